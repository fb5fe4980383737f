"""The `mynacheck` command line: one module per subcommand, `main` in verifier.cli.main."""

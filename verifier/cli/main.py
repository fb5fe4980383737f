"""`mynacheck`: the command line. Each subcommand lives in its own module of this package;
subcommands of plug-ins (the GUI, the simulated cards) are found through the
`mynacheck.commands` entry point, so this package never imports them.

This is the top of the program: the only place (with the GUI) that prints, reads the clock and
decides exit codes. Library code below it raises; here errors become one-line messages.

Start-up stays small: `--version` imports nothing of the project but its version, a built-in
subcommand imports its own module only, and the installed plug-ins' entry points are read only
when a plug-in's command (or the whole `--help`) is asked for.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from verifier import __version__

COMMAND_GROUP = "mynacheck.commands"
#: The built-in subcommands and their modules, imported only when asked for.
BUILT_IN = {"verify": "verifier.cli.verify", "readers": "verifier.cli.readers",
            "batch": "verifier.cli.batch", "trust": "verifier.cli.trust"}
#: Where each subcommand appears in `--help`; plug-ins not listed come last.
ORDER = ("verify", "demo", "readers", "simcard", "batch", "trust", "gui")
DESCRIPTION = ("マイナンバーカード・在留カード・特別永住者証明書のICチップを読み、真正か"
               "偽造の疑いかを判定します。 Tells a genuine My Number Card, 在留カード or "
               "特別永住者証明書 from a counterfeit by reading its chip.")


def _plugins() -> dict[str, ModuleType]:
    from importlib.metadata import entry_points

    return {entry.name: entry.load() for entry in entry_points(group=COMMAND_GROUP)
            if entry.name not in BUILT_IN}


def _commands(wanted: str | None = None) -> dict[str, ModuleType]:
    """The subcommand `wanted`, or every one (built-in and of installed plug-ins) when it is
    None or names none of the built-ins; each module has `register(subparsers) ->
    argparse.ArgumentParser` and `run(args) -> int`."""
    if wanted in BUILT_IN:
        return {wanted: importlib.import_module(BUILT_IN[wanted])}
    found = {name: importlib.import_module(module) for name, module in BUILT_IN.items()}
    found.update(_plugins())
    rank = {name: index for index, name in enumerate(ORDER)}
    return dict(sorted(found.items(), key=lambda item: rank.get(item[0], len(ORDER))))


def _epilog() -> str:
    from verifier.counter.exits import EXIT_HELP

    return EXIT_HELP


def build_parser(wanted: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mynacheck", description=DESCRIPTION,
                                     epilog=_epilog() if wanted is None else None)
    parser.add_argument("--version", action="version", version=f"mynacheck {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="debug logging to stderr (repeatable); never personal data")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _commands(wanted).values():
        sub: argparse.ArgumentParser = module.register(subparsers)
        sub.add_argument("-v", "--verbose", dest="sub_verbose", action="count", default=0,
                         help="debug logging to stderr (repeatable); never personal data")
        sub.set_defaults(run=module.run)
    return parser


def _command_of(argv: Sequence[str]) -> str | None:
    """The subcommand named in `argv` (the first word after the global options), if any."""
    for arg in argv:
        if arg in ("-h", "--help", "--version"):
            return None
        if not arg.startswith("-"):
            return arg
    return None


def configure_logging(verbosity: int) -> None:
    import logging

    level = logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    logging.basicConfig(level=level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["--version"]:
        print(f"mynacheck {__version__}")
        return 0
    args = build_parser(_command_of(arguments)).parse_args(arguments)
    configure_logging(args.verbose + getattr(args, "sub_verbose", 0))
    from verifier.counter.exits import USAGE_EXIT
    from verifier.errors import CodeBInputError, ConfigError

    try:
        code: int = args.run(args)
    except (ConfigError, CodeBInputError) as error:
        print(f"mynacheck: error: {error}", file=sys.stderr)
        return USAGE_EXIT
    except KeyboardInterrupt:
        print("mynacheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`| head`): stop quietly, as a shell tool does.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return code


if __name__ == "__main__":
    sys.exit(main())

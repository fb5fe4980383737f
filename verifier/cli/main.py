"""`mynacheck`: the command line. Each subcommand lives in its own module of this package;
subcommands of plug-ins (the GUI, the simulated cards) are found through the
`mynacheck.commands` entry point, so this package never imports them.

This is the top of the program: the only place (with the GUI) that prints, reads the clock and
decides exit codes. Library code below it raises; here errors become one-line messages.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points
from types import ModuleType

from verifier import __version__
from verifier.cli import batch, readers, verify
from verifier.counter.exits import EXIT_HELP, USAGE_EXIT
from verifier.errors import CodeBInputError, ConfigError

COMMAND_GROUP = "mynacheck.commands"
#: Where each subcommand appears in `--help`; plug-ins not listed come last.
ORDER = ("verify", "demo", "readers", "simcard", "batch", "gui")


def _commands() -> dict[str, ModuleType]:
    """Built-in subcommands and those of installed plug-ins; each module has
    `register(subparsers) -> argparse.ArgumentParser` and `run(args) -> int`."""
    found: dict[str, ModuleType] = {"verify": verify, "readers": readers, "batch": batch}
    for entry in entry_points(group=COMMAND_GROUP):
        found.setdefault(entry.name, entry.load())
    rank = {name: index for index, name in enumerate(ORDER)}
    return dict(sorted(found.items(), key=lambda item: rank.get(item[0], len(ORDER))))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mynacheck",
        description="マイナンバーカードのICチップを読み、真正か偽造の疑いかを判定します。"
                    " Tells a genuine My Number Card from a counterfeit by reading its chip.",
        epilog=EXIT_HELP,
    )
    parser.add_argument("--version", action="version", version=f"mynacheck {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="debug logging to stderr (repeatable); never personal data")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _commands().values():
        sub: argparse.ArgumentParser = module.register(subparsers)
        sub.add_argument("-v", "--verbose", dest="sub_verbose", action="count", default=0,
                         help="debug logging to stderr (repeatable); never personal data")
        sub.set_defaults(run=module.run)
    return parser


def configure_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    logging.basicConfig(level=level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose + getattr(args, "sub_verbose", 0))
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

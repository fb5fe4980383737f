"""`mynacheck`: the command line. Each subcommand lives in its own cli_<name> module.

This is the top of the program: the only place (with the GUI) that prints, reads the clock and
decides exit codes. Library code below it raises; here errors become one-line messages.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from verifier import __version__
from verifier.cli_common import UsageError

SUBCOMMANDS = ("verify", "demo", "readers", "simcard", "batch", "gui")
USAGE_EXIT = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mynacheck",
        description="マイナンバーカードのICチップを読み、真正か偽造の疑いかを判定します。"
                    " Tells a genuine My Number Card from a counterfeit by reading its chip.",
        epilog="exit codes: 0 GENUINE, 10 COUNTERFEIT_SUSPECTED, 11 INVALID_CARD, "
               "12 NOT_VERIFIED, 2 usage or configuration error",
    )
    parser.add_argument("--version", action="version", version=f"mynacheck {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="debug logging to stderr (repeatable); never personal data")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"verifier.cli_{name}")
        except ModuleNotFoundError as error:
            if error.name != f"verifier.cli_{name}":
                raise
            continue  # a subcommand whose module is not installed in this build
        module.register(subparsers)
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
    except UsageError as error:
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

"""`mynacheck gui`: the counter app, a subcommand the CLI finds as a plug-in. PySide6 is
imported only when the subcommand runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from verifier.counter.policy import HIERARCHIES
from verifier.counter.sources import SourceSpec
from verifier.errors import ConfigError

LANGUAGES = ("ja", "en")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The GUI's options; shared with the `mynacheck-gui` entry point (gui.app.main)."""
    parser.add_argument("--simulated", metavar="PROFILE",
                        help="training/demo mode: an in-process simulated card of PROFILE "
                             "(e.g. genuine); trusts the simulated CA automatically")
    parser.add_argument("--persona", type=int, default=0, metavar="N",
                        help="simulated persona (default 0)")
    parser.add_argument("--no-insert", action="store_true",
                        help="with --simulated: start with no card on the reader")
    parser.add_argument("--reader", metavar="NAME", help="reader to use (saved in the settings)")
    parser.add_argument("--lang", choices=LANGUAGES, help="language (saved in the settings)")
    parser.add_argument("--idle-timeout", type=int, metavar="SECONDS",
                        help="clear the screen after this many idle seconds (default 120)")
    parser.add_argument("--settings", type=Path, metavar="INI",
                        help="settings in this ini file instead of the user's settings")
    parser.add_argument("--training", action="store_true",
                        help="turn training mode on (saved in the settings): virtual readers "
                             "allowed, results marked simulated, shown in the title and a "
                             "banner")
    parser.add_argument("--trust", action="append", default=[], metavar="HIERARCHY",
                        choices=HIERARCHIES,
                        help="also accept this hierarchy (repeatable)")


def register(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "gui", help="the counter app (PySide6)",
        description="マイナンバーカード確認の窓口アプリ。 The counter app: reader picker, code B "
                    "entry, verdict with the chip photo; --simulated for training.")
    add_arguments(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    if args.simulated is not None:
        SourceSpec(simulated=args.simulated).validate()
    try:
        from gui.app import run_app
    except ImportError as error:
        raise ConfigError("the GUI needs PySide6: pip install 'mynacheck[gui]'") from error
    return run_app(args)


def main(argv: Sequence[str] | None = None) -> int:
    """The `mynacheck-gui` entry point: the same options as `mynacheck gui`."""
    parser = argparse.ArgumentParser(prog="mynacheck-gui",
                                     description="マイナンバーカード確認の窓口アプリ")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except ConfigError as error:
        print(f"mynacheck-gui: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

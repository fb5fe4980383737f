"""`mynacheck gui`: the counter app, a subcommand the CLI finds as a plug-in. PySide6 is
imported only when the subcommand runs."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from verifier.counter.policy import HIERARCHIES
from verifier.counter.readers import choose
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
                        help="clear the screen after this many idle seconds (this run only; the "
                             "saved setting, default 120, stays)")
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


def check_display(environ: Mapping[str, str] | None = None,
                  platform: str | None = None) -> None:
    """On Linux Qt needs an X or Wayland display (or an explicit QT_QPA_PLATFORM): say so in
    one line instead of Qt's abort and its advice to reinstall."""
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("linux"):
        return
    if env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return
    raise ConfigError("no display: the counter app needs a desktop session (DISPLAY or "
                      "WAYLAND_DISPLAY is not set); start it from the desktop, or use the "
                      "`verify` command in a terminal")


def run(args: argparse.Namespace) -> int:
    if args.simulated is not None:
        try:
            SourceSpec(simulated=args.simulated, persona=args.persona).validate()
        except ConfigError as error:
            raise ConfigError(f"--simulated/--persona: {error}") from error
    elif args.reader:
        # the reader --reader names, or a usage error listing them: never a silent fallback
        try:
            args.reader = choose(args.reader)
        except ConfigError as error:
            raise ConfigError(f"--reader {args.reader!r}: {error}") from error
    check_display()
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

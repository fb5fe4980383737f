"""Options shared by the subcommands that verify cards (verify, batch), turned into the
application layer's CounterPolicy and code B."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TextIO

from verifier.counter.codes import CodeFields, CodeInput, code_from_fields, code_from_line
from verifier.counter.documents import Document
from verifier.counter.keys import KeyInput, KeyKind, NumberInput, number_from_text
from verifier.counter.policy import (
    DEFAULT_DEADLINE_S,
    DEFAULT_KEEP_TRIES,
    HIERARCHIES,
    MAX_KEEP_TRIES,
    CounterPolicy,
)
from verifier.errors import CodeBInputError, ConfigError


def add_trust_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("trust")
    group.add_argument("--trust", action="append", choices=HIERARCHIES, default=[],
                       metavar="HIERARCHY",
                       help="also accept this hierarchy: production (always), jpki-test (My "
                            "Number test cards), agency-test (the Immigration Services Agency's "
                            "sample cards), simulated; repeatable")
    group.add_argument("--trust-file", action="append", type=Path, default=[], metavar="FILE",
                       help="CA keys in the card-ca-keys.json format (My Number Card), or "
                            "X.509 CA certificates, DER or PEM (residence cards), trusted; "
                            "repeatable")
    group.add_argument("--trust-dir", type=Path, metavar="DIR",
                       help="where `mynacheck trust add` installed the Agency's CA "
                            "certificates (default: the per-user place it uses)")
    group.add_argument("--keep-tries", type=int, default=DEFAULT_KEEP_TRIES, metavar="N",
                       help=f"never send a VERIFY when tries left <= N, 0 to {MAX_KEEP_TRIES} "
                            "(default %(default)s)")
    group.add_argument("--no-text-ap", action="store_true",
                       help="skip the 券面事項入力補助AP cross-check")
    group.add_argument("--deadline", type=float, default=DEFAULT_DEADLINE_S, metavar="SECONDS",
                       help="give up on a card that takes longer than this, NOT_VERIFIED "
                            "(default %(default)s)")


def add_training_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "training", "virtual readers (vsmartcard's 'Virtual PCD', or listed with "
        "--virtual-reader) are refused unless training mode is on; their results are marked "
        "simulated. --simulated cards are training by nature and need no --training.")
    group.add_argument("--training", action="store_true",
                       help="training mode: allow virtual readers (results marked simulated)")
    group.add_argument("--virtual-reader", action="append", default=[], metavar="NAME",
                       help="also treat readers whose name contains NAME as virtual; "
                            "repeatable")


def add_code_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "照合番号B (code B)",
        "either --code-b, or the three things printed on the card face. Prefer --code-b - "
        "(or no code at a terminal: a hidden prompt): what is on the command line, every "
        "local user can read in ps and /proc/PID/cmdline")
    group.add_argument("--code-b", metavar="14DIGITS",
                       help="birth date YYMMDD in the era year + expiry year + security code; "
                            "- reads one line from standard input: the 14 digits, or the "
                            "birth date, expiry year and security code separated by spaces"),
    group.add_argument("--birth", metavar="DATE",
                       help="birth date: 1980-02-17 (converted to the era year), "
                            "昭和55年2月17日 or S55.02.17")
    group.add_argument("--expiry-year", metavar="YYYY", help="expiry year (西暦) on the card")
    group.add_argument("--security-code", metavar="NNNN", help="4-digit security code")
    group.add_argument("--printed-gregorian", action="store_true",
                       help="the birth date is printed in 西暦 (foreign residents' cards): use "
                            "it as printed; unconfirmed by public sources")


def add_number_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "在留カード等番号 (card number)",
        "the 12 characters printed on a 在留カード or 特別永住者証明書 (two letters, eight "
        "digits, two letters). Prefer --card-number - (or nothing at a terminal: a hidden "
        "prompt once the card on the reader is a residence card): what is on the command line, "
        "every local user can read")
    group.add_argument("--card-number", metavar="XX00000000XX",
                       help="the card number, case-insensitive, full-width accepted; - reads "
                            "one line from standard input")


def add_audit_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("audit")
    group.add_argument("--audit-log", type=Path, metavar="FILE",
                       help="append one JSON line per verification (nothing personal)")
    group.add_argument("--operator", metavar="NAME", help="operator name for the audit log")


def policy_from_args(args: argparse.Namespace) -> CounterPolicy:
    """Raises ConfigError (a usage error) for a floor or trust file that cannot be used."""
    policy = CounterPolicy(hierarchies=tuple(args.trust), trust_files=tuple(args.trust_file),
                           keep_tries=args.keep_tries, text_ap=not args.no_text_ap,
                           audit_log=args.audit_log, operator=args.operator,
                           deadline_s=args.deadline,
                           training=getattr(args, "training", False),
                           trust_dir=getattr(args, "trust_dir", None),
                           virtual_readers=tuple(getattr(args, "virtual_reader", ())))
    policy.check_trust()
    return policy


STDIN = "-"
PROMPT = "照合番号B / code B (14 digits, or: birth expiry-year security-code): "
NUMBER_PROMPT = "在留カード等番号 / card number (12 characters): "


def any_code(args: argparse.Namespace) -> bool:
    return any(getattr(args, name, None) is not None
               for name in ("code_b", "birth", "expiry_year", "security_code"))


def number_from_args(args: argparse.Namespace, *, stdin: TextIO | None = None
                     ) -> NumberInput | None:
    """The card number of `--card-number` (`-`: one line of standard input, hidden at a
    terminal). Raises ConfigError, naming no character of it, for one no card prints."""
    text = getattr(args, "card_number", None)
    if text is None:
        return None
    if any_code(args):
        raise ConfigError("give either a code B (My Number Card) or --card-number (在留カード, "
                          "特別永住者証明書), not both")
    stream = sys.stdin if stdin is None else stdin
    if text == STDIN:
        text = getpass.getpass(NUMBER_PROMPT) if stream.isatty() else stream.readline()
    return number_from_text(text)


def key_prompt(args: argparse.Namespace, *, stdin: TextIO | None = None,
               today: date | None = None) -> Callable[[Document], KeyInput | None] | None:
    """At a terminal, the question the counter asks once it knows which document is on the
    reader: a hidden prompt for that document's key. None without a terminal."""
    stream = sys.stdin if stdin is None else stdin
    if not stream.isatty():
        return None

    def ask(document: Document) -> KeyInput | None:
        if document.key_kind is KeyKind.CARD_NUMBER:
            print(f"mynacheck: the card is a {document.title.en} ({document.title.ja})",
                  file=sys.stderr)
            return number_from_text(getpass.getpass(NUMBER_PROMPT))
        return code_from_line(getpass.getpass(PROMPT),
                              printed_gregorian=args.printed_gregorian,
                              today=today or date.today())

    return ask


def code_from_args(args: argparse.Namespace, *, ask: bool = False,
                   stdin: TextIO | None = None, today: date | None = None) -> CodeInput | None:
    """The code B of the options, of standard input (`--code-b -`), or, with `ask` and a
    terminal on standard input, of a hidden prompt: every path through the counter's rules
    (what no card can print is refused before a card is touched). Raises CodeBInputError."""
    stream = sys.stdin if stdin is None else stdin
    day = today or date.today()
    if args.code_b == STDIN:
        if any(part is not None for part in (args.birth, args.expiry_year, args.security_code)):
            raise CodeBInputError("give either --code-b or --birth/--expiry-year/"
                                  "--security-code")
        line = getpass.getpass(PROMPT) if stream.isatty() else stream.readline()
        return code_from_line(line, printed_gregorian=args.printed_gregorian, today=day)
    code = code_from_fields(CodeFields(args.code_b, args.birth, args.expiry_year,
                                       args.security_code, args.printed_gregorian), today=day)
    if code is None and ask and stream.isatty():
        return code_from_line(getpass.getpass(PROMPT), printed_gregorian=args.printed_gregorian,
                              today=day)
    return code

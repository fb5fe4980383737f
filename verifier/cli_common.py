"""Options and helpers shared by the subcommands that verify cards (verify, batch, gui)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from verifier import profile as p
from verifier.audit import AuditLog
from verifier.checks import VerifyOptions
from verifier.code_b import CodeB, code_b_from_text, parse_code_b
from verifier.errors import CodeBInputError, TrustFileError
from verifier.trust import TrustStore
from verifier.verdict import Result

HIERARCHIES = ("production", "jpki-test", "simulated")


class UsageError(Exception):
    """A usage or configuration error: exit 2 with a one-line message."""


def add_verbose(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-v", "--verbose", dest="sub_verbose", action="count", default=0,
                        help="debug logging to stderr (repeatable); never personal data")


def add_trust_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("trust")
    group.add_argument("--trust", action="append", choices=HIERARCHIES, default=[],
                       metavar="HIERARCHY",
                       help="also accept this hierarchy: production (always), jpki-test, "
                            "simulated; repeatable")
    group.add_argument("--trust-file", action="append", type=Path, default=[], metavar="FILE",
                       help="CA keys in the card-ca-keys.json format, trusted; repeatable")
    group.add_argument("--keep-tries", type=int, default=p.DEFAULT_KEEP_TRIES, metavar="N",
                       help="never send a VERIFY when tries left <= N (default %(default)s)")
    group.add_argument("--no-text-ap", action="store_true",
                       help="skip the 券面事項入力補助AP cross-check")


def add_code_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "照合番号B (code B)",
        "either --code-b, or the three things printed on the card face")
    group.add_argument("--code-b", metavar="14DIGITS",
                       help="birth date YYMMDD in the era year + expiry year + security code")
    group.add_argument("--birth", metavar="DATE",
                       help="birth date: 1980-02-17 (converted to the era year), "
                            "昭和55年2月17日 or S55.02.17")
    group.add_argument("--expiry-year", metavar="YYYY", help="expiry year (西暦) on the card")
    group.add_argument("--security-code", metavar="NNNN", help="4-digit security code")
    group.add_argument("--printed-gregorian", action="store_true",
                       help="the birth date is printed in 西暦 (foreign residents' cards): use "
                            "it as printed; unconfirmed by public sources")


def add_audit_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("audit")
    group.add_argument("--audit-log", type=Path, metavar="FILE",
                       help="append one JSON line per verification (nothing personal)")
    group.add_argument("--operator", metavar="NAME", help="operator name for the audit log")


def audit_from_args(args: argparse.Namespace) -> AuditLog | None:
    return AuditLog(args.audit_log) if args.audit_log is not None else None


def record(audit: AuditLog | None, result: Result, *, reader: str | None,
           operator: str | None) -> None:
    if audit is None:
        return
    try:
        audit.append(result, when=datetime.now(UTC).astimezone(), reader=reader,
                     operator=operator)
    except OSError as error:
        raise UsageError(f"cannot write the audit log: {error}") from error


def trust_from_args(args: argparse.Namespace, *, simulated: bool = False) -> TrustStore:
    accepted = {"production", *args.trust}
    announce = simulated and "simulated" not in accepted
    if simulated:
        accepted.add("simulated")
    try:
        store = TrustStore.builtin(accepted=tuple(sorted(accepted)))
        for path in args.trust_file:
            store = store.with_file(path)
    except TrustFileError as error:
        raise UsageError(str(error)) from error
    if announce:
        print("mynacheck: simulated card: trusting the 'simulated' test hierarchy for this run",
              file=sys.stderr)
    return store


def options_from_args(args: argparse.Namespace, *, simulated: bool = False,
                      today: date | None = None) -> VerifyOptions:
    if args.keep_tries < 0:
        raise UsageError("--keep-tries must be 0 or more")
    return VerifyOptions(trust=trust_from_args(args, simulated=simulated),
                         today=today or date.today(), keep_tries=args.keep_tries,
                         text_ap=not args.no_text_ap,
                         include_personal_data=True, simulated=simulated)


@dataclass(frozen=True)
class CodeFields:
    code_b: str | None = None
    birth: str | None = None
    expiry_year: str | None = None
    security_code: str | None = None
    printed_gregorian: bool = False


def code_from_fields(fields: CodeFields) -> CodeB | None:
    """The code B from either form; None when none was given. Raises UsageError."""
    parts = (fields.birth, fields.expiry_year, fields.security_code)
    try:
        if fields.code_b is not None:
            if any(part is not None for part in parts):
                raise UsageError("give either --code-b or --birth/--expiry-year/--security-code")
            return parse_code_b(fields.code_b)
        if all(part is None for part in parts):
            return None
        if any(part is None for part in parts):
            raise UsageError("--birth, --expiry-year and --security-code go together")
        assert fields.birth and fields.expiry_year and fields.security_code
        return code_b_from_text(fields.birth, fields.expiry_year, fields.security_code,
                                gregorian_birth=fields.printed_gregorian)
    except CodeBInputError as error:
        raise UsageError(str(error)) from error


def code_from_args(args: argparse.Namespace) -> CodeB | None:
    return code_from_fields(CodeFields(args.code_b, args.birth, args.expiry_year,
                                       args.security_code, args.printed_gregorian))

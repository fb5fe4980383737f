"""`mynacheck demo`: every simulated profile through the engine, in-process, as a table."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date
from typing import Any

from verifier.checks import Verification, VerifyOptions
from verifier.cli_common import add_verbose
from verifier.code_b import CodeB, parse_code_b
from verifier.trust import TrustStore
from verifier.verdict import CheckId, Result, Verdict


@dataclass(frozen=True)
class DemoRow:
    name: str
    expected: Verdict
    expected_check: CheckId | None
    result: Result

    @property
    def ok(self) -> bool:
        failing = self.result.failing_check
        return (self.result.verdict is self.expected
                and (failing.id if failing else None) == self.expected_check)


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "demo", help="run every simulated card profile and show the verdicts",
        description="Verify every simulated profile (genuine and each kind of counterfeit) "
                    "in-process; exit 0 when every verdict is the expected one.")
    parser.add_argument("--persona", type=int, default=0, metavar="N",
                        help="simulated persona (default 0)")
    add_verbose(parser)
    parser.set_defaults(run=run)


def wrong_code(code: CodeB) -> CodeB:
    """The persona's code with its security code's last digit changed: one mistyped digit."""
    digits = code.digits
    return parse_code_b(digits[:-1] + str((int(digits[-1]) + 1) % 10))


def run_demo(*, persona: int = 0, today: date | None = None) -> list[DemoRow]:
    import testcards

    options = VerifyOptions(trust=TrustStore.builtin(accepted=("production", "simulated")),
                            today=today or date.today(), simulated=True)
    code = testcards.PERSONAS[persona].code_b
    rows = []
    for name, profile in testcards.PROFILES.items():
        # The code a clerk would type from this card's printed face.
        printed = testcards.printed_persona(name, testcards.PERSONAS[persona]).code_b
        with testcards.build_card(name, persona=persona) as card:
            result = Verification(card, options).verify(printed)
        rows.append(DemoRow(name, profile.expected, profile.failing_check, result))
    with testcards.build_card("genuine", persona=persona) as card:
        result = Verification(card, options).verify(wrong_code(code))
    rows.append(DemoRow("genuine + wrong code", Verdict.NOT_VERIFIED, CheckId.CODE_B_VERIFY,
                        result))
    return rows


def format_table(rows: list[DemoRow]) -> str:
    header = f"{'profile':<22} {'verdict':<22} {'failing check':<20} {'APDUs':>5} {'ms':>7}  ok"
    lines = [header, "-" * len(header)]
    for row in rows:
        failing = row.result.failing_check
        mark = "✓" if row.ok else f"✗ expected {row.expected.value}"
        lines.append(f"{row.name:<22} {row.result.verdict.value:<22} "
                     f"{failing.id.value if failing else '-':<20} {row.result.apdu_count:>5} "
                     f"{row.result.elapsed_ms:>7.1f}  {mark}")
    good = sum(row.ok for row in rows)
    lines.append(f"{good}/{len(rows)} profiles got their expected verdict "
                 "(simulated cards, simulated CA trusted)")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    rows = run_demo(persona=args.persona)
    print(format_table(rows))
    return 0 if all(row.ok for row in rows) else 1

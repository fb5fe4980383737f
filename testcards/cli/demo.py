"""`mynacheck demo`: every simulated profile — My Number Cards and residence cards — through the
counter, in-process, as a table."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date
from typing import Any

from testcards.personas import PERSONAS
from testcards.profiles import PROFILES
from testcards.residence.profiles import RESIDENCE_PROFILES
from verifier.counter.policy import CounterPolicy
from verifier.counter.sources import SourceSpec
from verifier.counter.visit import Counter
from verifier.documents.my_number.check_ids import CheckId
from verifier.documents.my_number.code_b import CodeB, parse_code_b
from verifier.documents.residence.card_number import CardNumber
from verifier.documents.residence.check_ids import ResidenceCheck
from verifier.engine.verdict import Result, Verdict
from verifier.errors import ConfigError


@dataclass(frozen=True)
class DemoRow:
    name: str
    expected: Verdict
    expected_check: str | None
    result: Result

    @property
    def ok(self) -> bool:
        failing = self.result.failing_check
        return (self.result.verdict is self.expected
                and (failing.id if failing else None) == self.expected_check)


def register(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "demo", help="run every simulated card profile and show the verdicts",
        description="Verify every simulated profile (My Number Cards, 在留カード and "
                    "特別永住者証明書: genuine and each kind of counterfeit) in-process; exit 0 "
                    "when every verdict is the expected one.")
    parser.add_argument("--persona", type=int, default=0, metavar="N",
                        help="simulated persona (default 0)")
    return parser


def wrong_code(code: CodeB) -> CodeB:
    """The persona's code with its security code's last digit changed: one mistyped digit."""
    digits = code.digits
    return parse_code_b(digits[:-1] + str((int(digits[-1]) + 1) % 10))


def run_demo(*, persona: int = 0, today: date | None = None) -> list[DemoRow]:
    if not 0 <= persona < len(PERSONAS):
        raise ConfigError(f"--persona must be 0..{len(PERSONAS) - 1}")
    counter = Counter(CounterPolicy(), today=lambda: today or date.today())
    rows = []
    for name, profile in PROFILES.items():
        # no code given: the plug-in's card brings the code printed on its own face
        result = counter.check(SourceSpec(simulated=name, persona=persona), None).result
        rows.append(DemoRow(name, profile.expected, profile.failing_check, result))
    wrong = wrong_code(PERSONAS[persona].code_b)
    result = counter.check(SourceSpec(simulated="genuine", persona=persona), wrong).result
    rows.append(DemoRow("genuine + wrong code", Verdict.NOT_VERIFIED, CheckId.CODE_B_VERIFY,
                        result))
    for name, residence in RESIDENCE_PROFILES.items():
        # typed from the card (no picture): a forged face over a genuine chip passes the chip
        # and is the clerk's to catch, or the picture check's (`--card-number-from-image`)
        result = counter.check(SourceSpec(simulated=name), None).result
        typed_check = (residence.failing_check if residence.typed_expected is None
                       else residence.typed_failing_check)
        rows.append(DemoRow(name, residence.expected_when_typed,
                            str(typed_check) if typed_check else None, result))
    result = counter.check(SourceSpec(simulated="residence-genuine-2"),
                           CardNumber("ZZ00000001ZZ")).result
    rows.append(DemoRow("residence + wrong number", Verdict.NOT_VERIFIED,
                        str(ResidenceCheck.CARD_NUMBER_VERIFY), result))
    return rows


def format_table(rows: list[DemoRow]) -> str:
    header = f"{'profile':<26} {'verdict':<22} {'failing check':<20} {'APDUs':>5} {'ms':>7}  ok"
    lines = [header, "-" * len(header)]
    for row in rows:
        failing = row.result.failing_check
        mark = "✓" if row.ok else f"✗ expected {row.expected.value}"
        lines.append(f"{row.name:<26} {row.result.verdict.value:<22} "
                     f"{str(failing.id) if failing else '-':<20} {row.result.apdu_count:>5} "
                     f"{row.result.elapsed_ms:>7.1f}  {mark}")
    good = sum(row.ok for row in rows)
    lines.append(f"{good}/{len(rows)} profiles got their expected verdict "
                 "(simulated cards, simulated CA trusted)")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    rows = run_demo(persona=args.persona)
    print(format_table(rows))
    return 0 if all(row.ok for row in rows) else 1

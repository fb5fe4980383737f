"""How results look on a terminal."""

from __future__ import annotations

import sys

from verifier.card.values import yyyymmdd
from verifier.counter.answer import Checked
from verifier.counter.policy import CounterPolicy
from verifier.engine.verdict import Outcome, Verdict

MARKS = {Outcome.PASSED: "✓", Outcome.FAILED: "✗", Outcome.SKIPPED: "-", Outcome.NOT_RUN: "·"}
BANNER_MARKS = {Verdict.GENUINE: "✓", Verdict.COUNTERFEIT_SUSPECTED: "✗",
                Verdict.INVALID_CARD: "!", Verdict.NOT_VERIFIED: "?"}


def render(checked: Checked, *, include_personal_data: bool = False) -> str:
    result = checked.result
    v = result.verdict
    lines = [f"{BANNER_MARKS[v]} {v.label_ja} / {v.label_en} ({v.value})"]
    if result.simulated:
        lines.append("  [simulated card / シミュレーション]")
    failing = result.failing_check
    if failing is not None:
        lines.append(f"  {failing.id!s}: {failing.detail.ja}")
        lines.append(f"  {' ' * len(str(failing.id))}  {failing.detail.en}")
    lines.append("checks:")
    for check in result.checks:
        lines.append(f"  {MARKS[check.outcome]} {check.id!s:<25} {check.outcome.value:<8} "
                     f"{check.detail.en}")
    card = result.card
    if card.issuer_key_id:
        subject = f", subject {card.subject_key_id}" if card.subject_key_id else ""
        lines.append(f"certificate: issuer {card.issuer_key_id} ({card.hierarchy or 'unknown'})"
                     f"{subject}")
    if card.expiry:
        lines.append(f"expiry: {card.expiry.isoformat()}")
    if card.retries_left is not None:
        lines.append(f"code B tries left: {card.retries_left}")
    if include_personal_data and result.personal is not None:
        personal = result.personal
        birth = yyyymmdd(personal.birth_date) if personal.birth_date else None
        sex = personal.sex.code if personal.sex else None
        lines.append(f"birth date: {birth}  sex: {sex}")
        if personal.text_name:
            lines.append(f"name: {personal.text_name}")
        if personal.text_address:
            lines.append(f"address: {personal.text_address}")
        for label, value in personal.entries:
            lines.append(f"{label.en}: {value}")
    if result.oddities:
        lines.append(f"oddities (not evidence): {', '.join(result.oddities)}")
    if checked.extra_trust:
        lines.append(f"trusted beyond production: {', '.join(checked.extra_trust)}")
    lines.append(f"{result.apdu_count} APDUs, {result.elapsed_ms:.1f} ms")
    for caution in checked.cautions:
        lines.append(f"! {caution.words.ja}")
        lines.append(f"  {caution.words.en}")
    if checked.attempts_in_a_row >= 2:
        lines.append(f"attempts in a row not verified: {checked.attempts_in_a_row}")
    lines.append(f"next: {checked.next.words.ja}")
    lines.append(f"      {checked.next.words.en} ({checked.action.value})")
    return "\n".join(lines)


def announce_simulated_trust(policy: CounterPolicy) -> None:
    if policy.announces_simulated_trust():
        print("mynacheck: simulated card: trusting the 'simulated' test hierarchy for this run",
              file=sys.stderr)

"""The counter's answer for one card: what the front ends show, the JSON, the audit record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from verifier.counter.actions import NOT_ACCEPTED, Action, NextStep
from verifier.counter.exits import exit_code
from verifier.counter.printed import Caution
from verifier.engine.verdict import Result


@dataclass(frozen=True)
class Checked:
    """A result as the counter answers it: where it came from, what the clerk does next, how
    many times in a row this card could not be verified (0: it was), what to look at on the
    card, which trust beyond production was in force; `audit_error` says why its audit record
    is missing."""

    result: Result
    reader: str
    audit_error: str | None = None
    next: NextStep = field(default_factory=lambda: NextStep(Action.NOT_ACCEPTED, NOT_ACCEPTED))
    attempts_in_a_row: int = 0
    cautions: tuple[Caution, ...] = ()
    extra_trust: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        return exit_code(self.result.verdict)

    @property
    def action(self) -> Action:
        return self.next.action

    def to_json(self, *, include_personal_data: bool = False) -> dict[str, Any]:
        out = self.result.to_json(include_personal_data=include_personal_data)
        answer: dict[str, Any] = {
            "verdict": out.pop("verdict"), "exit_code": self.exit_code,
            "action": self.action.value,
            "next": {"ja": self.next.words.ja, "en": self.next.words.en},
            "attempts_in_a_row": self.attempts_in_a_row, **out,
            "warnings": [caution.to_json() for caution in self.cautions]}
        if self.extra_trust:
            answer["extra_trust"] = list(self.extra_trust)
        return answer



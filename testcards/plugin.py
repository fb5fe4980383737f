"""The simulated-card source the application layer finds by name (entry point
`mynacheck.card_sources: simulated`): profile/persona/quirk checks in one place."""

from __future__ import annotations

from collections.abc import Sequence

from apdu.transport import Transport
from testcards.builder import build_card, printed_persona
from testcards.personas import PERSONAS
from testcards.profiles import PROFILES
from testcards.quirks import parse_quirks
from verifier.counter.sources import PrintedCard
from verifier.documents.my_number.code_b import CodeB


class TestcardsSource:
    @property
    def profiles(self) -> Sequence[str]:
        return tuple(PROFILES)

    @property
    def persona_count(self) -> int:
        return len(PERSONAS)

    def check(self, profile: str, *, persona: int, quirks: str) -> None:
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; choose from {', '.join(PROFILES)}")
        if not 0 <= persona < len(PERSONAS):
            raise ValueError(f"persona must be 0..{len(PERSONAS) - 1}")
        parse_quirks(quirks)

    def open(self, profile: str, *, persona: int, quirks: str) -> tuple[Transport, CodeB]:
        self.check(profile, persona=persona, quirks=quirks)
        card = build_card(profile, persona=persona, quirks=parse_quirks(quirks))
        return card, printed_persona(profile, PERSONAS[persona]).code_b

    def describe(self, profile: str) -> str:
        return PROFILES[profile].description

    def persona_key(self, persona: int) -> str:
        return PERSONAS[persona].key

    def printed(self, profile: str, *, persona: int) -> PrintedCard:
        shown = printed_persona(profile, PERSONAS[persona])
        return PrintedCard(birth=shown.birth, gregorian=shown.foreign, expiry=shown.expiry,
                           security_code=shown.security_code)


SOURCE = TestcardsSource()

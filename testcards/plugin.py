"""The simulated-card source the application layer finds by name (entry point
`mynacheck.card_sources: simulated`): profile/persona/quirk checks in one place, for both
families of simulated card — the My Number profiles (`genuine`, `blank-chip`, ...) and the
residence-card ones (`residence-genuine-1`, ...), which share one namespace without a clash."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from apdu.transport import Transport
from testcards.builder import build_card, printed_persona
from testcards.personas import PERSONAS
from testcards.profiles import PROFILES
from testcards.quirks import parse_quirks
from verifier.counter.sources import PrintedCard, PrintedNumber
from verifier.documents.my_number.code_b import CodeB
from verifier.documents.residence.card_number import CardNumber

if TYPE_CHECKING:
    from testcards.residence.plugin import ResidenceCardsSource
    from testcards.vpcd import VirtualCard


#: Every residence profile's name starts so (testcards/residence/profiles.py): a My Number card
#: is made without loading the residence cards' modules.
RESIDENCE_PREFIX = "residence-"


def is_residence_profile(name: str) -> bool:
    return name.startswith(RESIDENCE_PREFIX)


def _residence() -> ResidenceCardsSource:
    from testcards.residence.plugin import RESIDENCE_SOURCE

    return RESIDENCE_SOURCE


class TestcardsSource:
    @property
    def profiles(self) -> Sequence[str]:
        return (*PROFILES, *_residence().profiles)

    @property
    def persona_count(self) -> int:
        """The My Number personas (the residence cards have `persona_count_of` theirs)."""
        return len(PERSONAS)

    def persona_count_of(self, profile: str) -> int:
        return (_residence().persona_count if is_residence_profile(profile)
                else len(PERSONAS))

    def check(self, profile: str, *, persona: int, quirks: str) -> None:
        if is_residence_profile(profile):
            _residence().check(profile, persona=persona, quirks=quirks)
            return
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; choose from "
                             f"{', '.join(self.profiles)}")
        if not 0 <= persona < len(PERSONAS):
            raise ValueError(f"persona must be 0..{len(PERSONAS) - 1}")
        parse_quirks(quirks)

    def open(self, profile: str, *, persona: int, quirks: str
             ) -> tuple[Transport, CodeB | CardNumber]:
        if is_residence_profile(profile):
            return _residence().open(profile, persona=persona, quirks=quirks)
        self.check(profile, persona=persona, quirks=quirks)
        card = build_card(profile, persona=persona, quirks=parse_quirks(quirks))
        return card, printed_persona(profile, PERSONAS[persona]).code_b

    def card(self, profile: str, *, persona: int, quirks: str) -> VirtualCard:
        """A freshly issued card of either family, as the vpcd bridge serves it."""
        self.check(profile, persona=persona, quirks=quirks)
        if is_residence_profile(profile):
            from testcards.residence.builder import build_residence_card

            return build_residence_card(profile, persona=persona, quirks=parse_quirks(quirks))
        return build_card(profile, persona=persona, quirks=parse_quirks(quirks))

    def describe(self, profile: str) -> str:
        if is_residence_profile(profile):
            return _residence().describe(profile)
        return PROFILES[profile].description

    def persona_key(self, persona: int, profile: str | None = None) -> str:
        if profile is not None and is_residence_profile(profile):
            return _residence().persona_key(persona)
        return PERSONAS[persona].key

    def printed(self, profile: str, *, persona: int) -> PrintedCard | PrintedNumber:
        if is_residence_profile(profile):
            shown = _residence().printed(profile, persona=persona)
            return PrintedNumber(card_number=shown.card_number.text,
                                 document=shown.document.value,
                                 generation=int(shown.generation))
        face = printed_persona(profile, PERSONAS[persona])
        return PrintedCard(birth=face.birth, gregorian=face.foreign, expiry=face.expiry,
                           security_code=face.security_code)


SOURCE = TestcardsSource()

"""What the simulated-card plug-in needs to offer residence cards, in the shape of
`testcards.plugin.TestcardsSource` (profiles, personas, open, describe, printed), with the card
number in place of code B. The lead registers it beside the My Number source; this module does
not touch testcards/plugin.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from apdu.transport import Transport
from testcards.quirks import parse_quirks
from testcards.residence.builder import PrintedResidenceCard, build_residence_card, printed
from testcards.residence.personas import RESIDENCE_PERSONAS
from testcards.residence.profiles import RESIDENCE_PROFILES
from verifier.documents.residence.card_number import CardNumber


def is_residence_profile(name: str) -> bool:
    return name in RESIDENCE_PROFILES


class ResidenceCardsSource:
    @property
    def profiles(self) -> Sequence[str]:
        return tuple(RESIDENCE_PROFILES)

    @property
    def persona_count(self) -> int:
        return len(RESIDENCE_PERSONAS)

    def check(self, profile: str, *, persona: int, quirks: str) -> None:
        """ValueError, with a message for the operator, for anything unusable."""
        if profile not in RESIDENCE_PROFILES:
            raise ValueError(f"unknown residence profile {profile!r}; choose from "
                             f"{', '.join(RESIDENCE_PROFILES)}")
        if not 0 <= persona < len(RESIDENCE_PERSONAS):
            raise ValueError(f"residence persona must be 0..{len(RESIDENCE_PERSONAS) - 1}")
        parse_quirks(quirks)

    def open(self, profile: str, *, persona: int, quirks: str) -> tuple[Transport, CardNumber]:
        """A freshly issued card (its own state) and the number printed on it."""
        self.check(profile, persona=persona, quirks=quirks)
        card = build_residence_card(profile, persona=persona, quirks=parse_quirks(quirks))
        return card, card.card_number

    def describe(self, profile: str) -> str:
        return RESIDENCE_PROFILES[profile].description

    def persona_key(self, persona: int) -> str:
        return RESIDENCE_PERSONAS[persona].key

    def printed(self, profile: str, *, persona: int) -> PrintedResidenceCard:
        return printed(profile, persona)


RESIDENCE_SOURCE = ResidenceCardsSource()

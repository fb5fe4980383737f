"""SimulatedResidenceCard: the residence card's chip OS in a simulated card (`testcards.physical`:
the same power model, field behaviour and reader quirks as the My Number card's).

Power: the secure session lives as long as power does (a warm reset keeps it, a power-down or
leaving the field ends it). The quirk `dribble` (a My Number card face claiming 64 KiB) has no
meaning here and is ignored.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from testcards.physical import PhysicalCard
from testcards.quirks import NO_QUIRKS, Quirks
from testcards.residence.cardos import ResidenceCardOS, ResidenceChip
from testcards.residence.personas import ResidencePersona
from verifier.documents.residence import constants as c
from verifier.documents.residence.card_number import CardNumber


class SimulatedResidenceCard(PhysicalCard):
    """One simulated residence card in one reader; its state is its own."""

    #: Commands whose data derive from the card number (an observer could search the number
    #: from them offline): recorded as header and Lc only.
    REDACTED_INS = frozenset({c.INS_VERIFY, c.INS_MUTUAL_AUTHENTICATE})
    T0_REFUSES_EXTENDED = True

    def __init__(self, chip: ResidenceChip, *, persona: ResidencePersona, profile: str,
                 quirks: Quirks = NO_QUIRKS,
                 random: Callable[[int], bytes] = os.urandom) -> None:
        self._os: ResidenceCardOS = ResidenceCardOS(chip, no_sfi=quirks.no_sfi,
                                                    wrong_le=quirks.wrong_le, random=random)
        super().__init__(self._os, quirks=quirks)
        self.profile = profile
        #: The persona as printed on this card (what a clerk reads the number from).
        self.persona = persona

    @property
    def card_number(self) -> CardNumber:
        """The number printed on this card."""
        return self.persona.number

    @property
    def verify_count(self) -> int:
        """VERIFY commands the chip received (whatever they were answered)."""
        return self._os.verify_count

    @property
    def authenticate_count(self) -> int:
        return self._os.authenticate_count

    @property
    def number_verified(self) -> bool:
        return self._os.verified

    @property
    def files_touched(self) -> list[tuple[bytes | None, int]]:
        return list(self._os.touched)

    def __repr__(self) -> str:
        return f"SimulatedResidenceCard({self.profile!r}, persona={self.persona.key!r})"

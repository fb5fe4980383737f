"""From (profile, persona) to a fresh simulated residence card, and what that card prints.

A new card per insertion: `build_residence_card` makes a card with its own state over a chip
whose bytes are built once per process (issuance.py caches them).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from testcards.errors import UnknownPersonaError, UnknownProfileError
from testcards.quirks import NO_QUIRKS, Quirks
from testcards.residence import issuance
from testcards.residence.card import SimulatedResidenceCard
from testcards.residence.personas import (
    DIFFERENT_FACE_BIRTH_SHIFT_YEARS,
    DIFFERENT_FACE_EXPIRY_SHIFT_YEARS,
    DIFFERENT_FACE_NAME,
    RESIDENCE_PERSONAS,
    ResidencePersona,
)
from testcards.residence.profiles import RESIDENCE_PROFILES, ResidenceProfile
from verifier.documents.residence.card_number import CardNumber
from verifier.documents.residence.card_type import CardType, Document, Generation


def residence_profile(name: str) -> ResidenceProfile:
    try:
        return RESIDENCE_PROFILES[name]
    except KeyError:
        raise UnknownProfileError(f"no simulated residence-card profile {name!r}; valid "
                                  f"profiles: {', '.join(RESIDENCE_PROFILES)}") from None


def residence_persona(index: int) -> ResidencePersona:
    if not 0 <= index < len(RESIDENCE_PERSONAS):
        raise UnknownPersonaError(f"no residence persona {index}; valid: "
                                  f"0..{len(RESIDENCE_PERSONAS) - 1}")
    return RESIDENCE_PERSONAS[index]


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@lru_cache(maxsize=128)
def printed_persona(profile: str, persona: ResidencePersona) -> ResidencePersona:
    """The persona as printed on this card: what the clerk reads, and the number typed from."""
    chosen = residence_profile(profile)
    issued = issuance.issued_persona(chosen, persona)
    if not chosen.printed_face_differs:
        return issued
    return replace(issued, name=DIFFERENT_FACE_NAME,
                   birth=_shift_years(issued.birth, DIFFERENT_FACE_BIRTH_SHIFT_YEARS),
                   expiry=_shift_years(issued.expiry, DIFFERENT_FACE_EXPIRY_SHIFT_YEARS))


@dataclass(frozen=True)
class PrintedResidenceCard:
    """What a simulated residence card prints (the README table, the training panel)."""

    document: Document
    generation: Generation
    card_type: CardType
    card_number: CardNumber
    name: str
    birth: date
    sex: str
    nationality: str  # as printed
    expiry: date
    status: str | None  # status of residence; None on an SPR certificate

    def __repr__(self) -> str:
        return f"PrintedResidenceCard({self.card_type.code}, <invented data>)"


def printed(profile: str, persona: int = 0) -> PrintedResidenceCard:
    chosen = residence_profile(profile)
    shown = printed_persona(profile, residence_persona(persona))
    return PrintedResidenceCard(
        document=chosen.card_type.document, generation=chosen.card_type.generation,
        card_type=chosen.card_type, card_number=shown.number, name=shown.name,
        birth=shown.birth, sex=shown.sex, nationality=shown.nationality_printed,
        expiry=shown.expiry, status=None if chosen.card_type.is_spr else shown.status)


def build_residence_card_for(persona: ResidencePersona, *,
                             profile: str = "residence-genuine-2",
                             quirks: Quirks = NO_QUIRKS,
                             random: Callable[[int], bytes] = os.urandom
                             ) -> SimulatedResidenceCard:
    """A fresh card (its own state) of `profile` issued to any persona."""
    chosen = residence_profile(profile)
    chip = issuance.residence_chip(chosen, persona)
    return SimulatedResidenceCard(chip, persona=printed_persona(profile, persona),
                                  profile=profile, quirks=quirks, random=random)


def build_residence_card(profile: str = "residence-genuine-2", *, persona: int = 0,
                         quirks: Quirks = NO_QUIRKS,
                         random: Callable[[int], bytes] = os.urandom) -> SimulatedResidenceCard:
    """A fresh card of a named profile for RESIDENCE_PERSONAS[persona]."""
    return build_residence_card_for(residence_persona(persona), profile=profile, quirks=quirks,
                                    random=random)

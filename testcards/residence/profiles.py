"""The kinds of simulated residence card: genuine ones of each type and generation, and each
counterfeit the checks must catch — one entry per profile, in one table, with the verdict and
failing check it must get. The builder applies the variations and never asks for a profile by
name.

Names start with `residence-` so they share the simulated-card plug-in's namespace with the
My Number profiles (`genuine`, `blank-chip`, …) without a clash.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from testcards.residence.authority import Issuer
from verifier.documents.residence.card_type import CardType
from verifier.documents.residence.check_ids import ResidenceCheck
from verifier.documents.residence.outcome import ResidenceReason
from verifier.engine.verdict import Verdict


class Chip(enum.Enum):
    RESIDENCE = "residence"  # MF, DF1, DF2, DF3 of its card type
    BLANK = "blank"  # a printed face on a blank chip: every SELECT but the MF's answers 6A82
    SPECIFIED = "specified"  # 特定在留カード: MF EF01/EF02 only, the rest in another application


class Edit(enum.Enum):
    """What changed in the chip after the issuer signed it."""

    NONE = "none"
    FLIP_PHOTO = "flip-photo"  # one byte of the photo's codestream, its length kept
    EXTEND_EXPIRY = "extend-expiry"  # C5, the card's expiry, five years later (gen 2)


@dataclass(frozen=True)
class ResidenceProfile:
    name: str
    card_type: CardType
    expected: Verdict
    failing_check: ResidenceCheck | None
    reason: ResidenceReason | None
    description: str
    chip: Chip = Chip.RESIDENCE
    issuer: Issuer = Issuer.SIMULATED
    edit: Edit = Edit.NONE
    #: The card as issued expires on this day (printed face and chip agree).
    expiry: date | None = None
    #: A forger's printed face over this genuine chip: other name, birth date and expiry.
    printed_face_differs: bool = False
    #: The verdict when the number is typed rather than read from a picture of the card (the
    #: printed-face check runs only on a picture); None: the same as `expected`.
    typed_expected: Verdict | None = None
    typed_failing_check: ResidenceCheck | None = None

    @property
    def expected_when_typed(self) -> Verdict:
        return self.expected if self.typed_expected is None else self.typed_expected


_C = Verdict.COUNTERFEIT_SUSPECTED
_R1, _S1 = CardType.RESIDENCE_1, CardType.SPR_1
_R2, _S2 = CardType.RESIDENCE_2, CardType.SPR_2

RESIDENCE_PROFILES: dict[str, ResidenceProfile] = {profile.name: profile for profile in (
    ResidenceProfile("residence-genuine-1", _R1, Verdict.GENUINE, None, None,
                     "a first-generation 在留カード (type 1) issued by the simulated CA"),
    ResidenceProfile("residence-spr-genuine-1", _S1, Verdict.GENUINE, None, None,
                     "a first-generation 特別永住者証明書 (type 2)"),
    ResidenceProfile("residence-genuine-2", _R2, Verdict.GENUINE, None, None,
                     "a second-generation 在留カード (type 05)"),
    ResidenceProfile("residence-spr-genuine-2", _S2, Verdict.GENUINE, None, None,
                     "a second-generation 特別永住者証明書 (type 06)"),
    ResidenceProfile("residence-forged-ca", _R2, _C, ResidenceCheck.CERTIFICATE_TRUSTED,
                     ResidenceReason.UNKNOWN_AUTHORITY,
                     "the card certificate was issued by a CA no trust table holds",
                     issuer=Issuer.FORGED_CA),
    ResidenceProfile("residence-forged-issuer-1", _R1, _C, ResidenceCheck.CERTIFICATE_TRUSTED,
                     ResidenceReason.BAD_CERTIFICATE_SIGNATURE,
                     "the card certificate names the simulated CA, but a forger signed it",
                     issuer=Issuer.FORGED_ISSUER),
    ResidenceProfile("residence-tampered-photo-1", _R1, _C, ResidenceCheck.DOCUMENT_SIGNATURE,
                     ResidenceReason.BAD_SIGNATURE,
                     "a first-generation card whose photo was changed after signing",
                     edit=Edit.FLIP_PHOTO),
    ResidenceProfile("residence-tampered-photo-2", _R2, _C, ResidenceCheck.DOCUMENT_SIGNATURE,
                     ResidenceReason.BAD_SIGNATURE,
                     "a second-generation card whose photo was changed after signing",
                     edit=Edit.FLIP_PHOTO),
    ResidenceProfile("residence-tampered-entry", _R2, _C, ResidenceCheck.DOCUMENT_SIGNATURE,
                     ResidenceReason.BAD_SIGNATURE,
                     "the card's expiry (C5) was moved five years on after signing",
                     edit=Edit.EXTEND_EXPIRY),
    ResidenceProfile("residence-blank-chip", _R2, _C, ResidenceCheck.DOCUMENT_TYPE,
                     ResidenceReason.NO_RESIDENCE_APPLICATION,
                     "a printed 在留カード on a blank chip: no residence application (6A82)",
                     chip=Chip.BLANK),
    ResidenceProfile("residence-expired", _R2, Verdict.INVALID_CARD,
                     ResidenceCheck.CARD_NOT_EXPIRED, ResidenceReason.EXPIRED,
                     "a genuine second-generation card whose expiry (2026-10-20) has passed",
                     expiry=date(2026, 10, 20)),
    ResidenceProfile("residence-specified", CardType.SPECIFIED_RESIDENCE, Verdict.NOT_VERIFIED,
                     ResidenceCheck.DOCUMENT_TYPE, ResidenceReason.NOT_SUPPORTED,
                     "a 特定在留カード (type 07): another application, not supported",
                     chip=Chip.SPECIFIED),
    ResidenceProfile("residence-different-face", _R2, _C, ResidenceCheck.PRINTED_FACE,
                     ResidenceReason.PRINTED_FACE_DIFFERS,
                     "a genuine chip under a forged face: its number, another name, birth "
                     "date and expiry (caught by comparing a picture of the card, or the clerk)",
                     printed_face_differs=True, typed_expected=Verdict.GENUINE),
)}

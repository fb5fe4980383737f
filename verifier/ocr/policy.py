"""What may be done with fields read from a picture: the rules the CLI, batch and GUI share.

A clerk confirms what was read before anything reaches the card. Without a clerk (`--yes`, a
batch job), a code is used only when every field is above the threshold; otherwise nothing
is sent and the answer is that the picture is not clear enough (issue 12, item 3). After a
verification, the printed dates are held against the chip's — as evidence only where the
reading is sure (design.md rule 7: accuse only on evidence). The same two rules for the card
number and the printed entries of a 在留カード / 特別永住者証明書 (issue 17) are at the end.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from verifier.documents.my_number.code_b import CodeB, to_era
from verifier.ocr.errors import OcrError
from verifier.ocr.fields import DEFAULT_THRESHOLD, PrintedFace
from verifier.ocr.residence import CARD_NUMBER_THRESHOLD, PrintedResidenceFace


class PictureNotClearError(OcrError):
    """The picture is not clear enough to use the code read from it without a person confirming
    it; nothing was sent to the card."""

    def __init__(self, fields: tuple[str, ...]) -> None:
        doc = " ".join((self.__doc__ or "").split())
        super().__init__(f"{doc} (unsure: {', '.join(fields)})")
        self.fields = fields  # field names only, never values


def unattended_code_b(face: PrintedFace, *, threshold: float = DEFAULT_THRESHOLD) -> CodeB:
    """The code to send with nobody confirming it, or `PictureNotClearError`."""
    unsure = face.low_confidence(threshold)
    if unsure:
        raise PictureNotClearError(unsure)
    return face.code_b()


class Agreement(enum.Enum):
    MATCHES = "matches"
    DIFFERS = "differs"
    NOT_COMPARED = "not_compared"  # the reading was unsure, or the chip has no such date


@dataclass(frozen=True)
class FaceVsChip:
    """The printed birth date and expiry held against the chip's (DF22 and DF29)."""

    birth: Agreement
    expiry: Agreement

    @property
    def overall(self) -> Agreement:
        outcomes = (self.birth, self.expiry)
        if Agreement.DIFFERS in outcomes:
            return Agreement.DIFFERS
        if all(outcome is Agreement.MATCHES for outcome in outcomes):
            return Agreement.MATCHES
        return Agreement.NOT_COMPARED

    def differing(self) -> tuple[str, ...]:
        return tuple(name for name, outcome in (("birth", self.birth), ("expiry", self.expiry))
                     if outcome is Agreement.DIFFERS)


def _chip_date(yyyymmdd: str | None) -> date | None:
    if yyyymmdd is None or len(yyyymmdd) != 8 or not yyyymmdd.isascii() \
            or not yyyymmdd.isdigit():
        return None
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return None


def _birth(face: PrintedFace, chip: date | None, threshold: float) -> Agreement:
    if chip is None or face.birth is None or face.birth_confidence < threshold:
        return Agreement.NOT_COMPARED
    if face.birth_gregorian or "birth.era_misread" not in face.fallbacks:
        return Agreement.MATCHES if face.birth == chip else Agreement.DIFFERS
    # The era name was recognised only through a look-alike: hold the printed era year,
    # month and day (what code B carries) against the chip's, not the era itself.
    try:
        same = (to_era(face.birth)[1], face.birth.month, face.birth.day) == (
            to_era(chip)[1], chip.month, chip.day)
    except ValueError:
        return Agreement.NOT_COMPARED
    return Agreement.MATCHES if same else Agreement.DIFFERS


def compare_with_chip(face: PrintedFace, *, chip_birth: str, chip_expiry: str | None,
                      threshold: float = DEFAULT_THRESHOLD) -> FaceVsChip:
    """Printed vs chip dates (chip dates as YYYYMMDD). A field read with less than `threshold`
    is not compared: an unsure reading is no evidence that the printed face was replaced."""
    expiry_chip = _chip_date(chip_expiry)
    if expiry_chip is None or face.expiry is None or face.expiry_confidence < threshold:
        expiry = Agreement.NOT_COMPARED
    else:
        expiry = Agreement.MATCHES if face.expiry == expiry_chip else Agreement.DIFFERS
    return FaceVsChip(birth=_birth(face, _chip_date(chip_birth), threshold), expiry=expiry)


# --- 在留カード / 特別永住者証明書 ----------------------------------------------------------------
def unattended_card_number(face: PrintedResidenceFace, *,
                           threshold: float = CARD_NUMBER_THRESHOLD) -> str:
    """The card number to send with nobody confirming it, or `PictureNotClearError`.

    The chip counts no tries for the card number, but a wrong one still costs the visit a
    確認できず and must never be sent twice: only a number read surely goes unattended.
    """
    if not face.usable_unattended(threshold) or face.card_number is None:
        raise PictureNotClearError(("card_number",))
    return face.card_number


@dataclass(frozen=True)
class ResidenceFaceVsChip:
    """The printed entries of a residence card front held against the chip's."""

    name: Agreement
    birth: Agreement
    nationality: Agreement
    stay_expiry: Agreement
    card_expiry: Agreement

    def _items(self) -> tuple[tuple[str, Agreement], ...]:
        return (("name", self.name), ("birth", self.birth), ("nationality", self.nationality),
                ("stay_expiry", self.stay_expiry), ("card_expiry", self.card_expiry))

    @property
    def overall(self) -> Agreement:
        outcomes = [outcome for _, outcome in self._items()]
        if Agreement.DIFFERS in outcomes:
            return Agreement.DIFFERS
        if any(outcome is Agreement.MATCHES for outcome in outcomes):
            return Agreement.MATCHES
        return Agreement.NOT_COMPARED

    def differing(self) -> tuple[str, ...]:
        return tuple(name for name, outcome in self._items() if outcome is Agreement.DIFFERS)

    def not_compared(self) -> tuple[str, ...]:
        return tuple(name for name, outcome in self._items()
                     if outcome is Agreement.NOT_COMPARED)


def _roman(name: str) -> str:
    # Letters only: the recogniser drops the spaces between the words of a name on a blurred
    # frame, and the chip's name is an image whose spacing nothing reads exactly.
    return "".join(ch for ch in name.upper() if ch.isalpha())


def _held(printed: object, confidence: float, chip: object, threshold: float) -> Agreement:
    if printed is None or chip is None or confidence < threshold:
        return Agreement.NOT_COMPARED
    return Agreement.MATCHES if printed == chip else Agreement.DIFFERS


def compare_residence_with_chip(face: PrintedResidenceFace, *, chip_birth: str | None,
                                chip_card_expiry: str | None, chip_stay_expiry: str | None,
                                chip_nationality: str | None, chip_name: str | None = None,
                                threshold: float = DEFAULT_THRESHOLD) -> ResidenceFaceVsChip:
    """Printed vs chip (second generation: the printed entries C5–CD; dates as YYYYMMDD, the
    nationality as its three-letter code, the name as text when the caller has it, e.g. read
    from the chip's name image). A field read with less than `threshold`, or absent on either
    side, is not compared: an unsure reading is no evidence that the printed face was replaced.
    """
    nationality = chip_nationality.strip().upper() if chip_nationality else None
    return ResidenceFaceVsChip(
        name=_held(_roman(face.name) if face.name else None, face.name_confidence,
                   _roman(chip_name) if chip_name else None, threshold),
        birth=_held(face.birth, face.birth_confidence, _chip_date(chip_birth), threshold),
        nationality=_held(face.nationality_code, face.nationality_confidence,
                          nationality or None, threshold),
        stay_expiry=_held(face.stay_expiry, face.stay_expiry_confidence,
                          _chip_date(chip_stay_expiry), threshold),
        card_expiry=_held(face.card_expiry, face.card_expiry_confidence,
                          _chip_date(chip_card_expiry), threshold),
    )

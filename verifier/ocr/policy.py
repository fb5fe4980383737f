"""What may be done with fields read from a picture: the rules the CLI, batch and GUI share.

A clerk confirms what was read before anything reaches the card. Without a clerk (`--yes`, a
batch job), a code is used only when every field is above the threshold; otherwise nothing
is sent and the answer is that the picture is not clear enough (issue 12, item 3). After a
verification, the printed dates are held against the chip's — as evidence only where the
reading is sure (design.md rule 7: accuse only on evidence).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from verifier.documents.my_number.code_b import CodeB, to_era
from verifier.ocr.errors import OcrError
from verifier.ocr.fields import DEFAULT_THRESHOLD, PrintedFace


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

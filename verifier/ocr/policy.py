"""What may be done with fields read from a picture: the rules the CLI, batch and GUI share.

A clerk confirms what was read before anything reaches the card. Without a clerk (`--yes`, a
batch job), a code is used only when every field is above the threshold; otherwise nothing
is sent and the answer is that the picture is not clear enough (issue 12, item 3). The same
rule for the card number of a 在留カード / 特別永住者証明書 (issue 17) is at the end. (What a
picture's fields then say against the chip is the counter's: verifier/counter/printed.py.)
"""

from __future__ import annotations

from verifier.documents.my_number.code_b import CodeB
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

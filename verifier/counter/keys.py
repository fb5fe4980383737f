"""What opens a chip, as an operator gives it: 照合番号B for the My Number Card (`codes.py`), the
card number for the 在留カード and 特別永住者証明書 (here). Each document says which key it takes
(`Document.key_kind`); a key of the other kind is a usage error raised before any VERIFY.

The card number reaches the counter from the command line (`--card-number`, `-` for standard
input, a hidden prompt), a batch line, the counter app's field, or a picture of the card; every
path ends in `number_from_text` or `number_from_picture`. Nothing here logs or formats it: a
card number names a person as surely as a code B does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from verifier.counter.codes import CodeInput, as_input
from verifier.documents.my_number.code_b import CodeB
from verifier.documents.residence.card_number import (
    CardNumber,
    CardNumberError,
    parse_card_number,
)
from verifier.engine.document import KeyKind
from verifier.errors import ConfigError

if TYPE_CHECKING:  # the OCR package is loaded when a picture is read, not at start-up
    from verifier.ocr.residence import PrintedResidenceFace

__all__ = ["KeyInput", "KeyKind", "NumberInput", "NumberInputError", "WrongKeyError", "as_key",
           "key_bytes", "key_kind", "key_sent", "number_from_picture", "number_from_text"]


@dataclass(frozen=True, repr=False)
class NumberInput:
    """A card number to send, and what it was given as. `face`: the picture of the card it was
    read from (held against the chip after a genuine verdict); `typed`: False only for a
    simulated card's printed number, used when none was given; `corrected`: True when the
    clerk changed what the picture filled in."""

    number: CardNumber
    face: PrintedResidenceFace | None = None
    typed: bool = True
    corrected: bool = False

    def __repr__(self) -> str:
        return "NumberInput(<redacted>)"

    __str__ = __repr__


KeyInput = CodeInput | NumberInput

_KIND_WORDS = {KeyKind.CODE_B: "a code B", KeyKind.CARD_NUMBER: "a card number"}


class WrongKeyError(ConfigError):
    """The key given is not the kind the card on the reader takes: nothing was sent to it."""

    def __init__(self, given: KeyKind, document_title: str, wanted: KeyKind) -> None:
        option = "--card-number" if wanted is KeyKind.CARD_NUMBER else "--code-b (or --birth, "\
            "--expiry-year, --security-code)"
        super().__init__(f"{_KIND_WORDS[given]} was given, but the card on the reader is a "
                         f"{document_title}, which opens with {_KIND_WORDS[wanted]}: give "
                         f"{option}; nothing was sent to the card")
        self.given = given
        self.wanted = wanted


def as_key(key: CodeB | CardNumber | CodeInput | NumberInput | None) -> KeyInput | None:
    """A bare code or number is one typed as such."""
    if isinstance(key, CardNumber):
        return NumberInput(key)
    if isinstance(key, NumberInput):
        return key
    return as_input(key)


def key_kind(key: KeyInput) -> KeyKind:
    return KeyKind.CARD_NUMBER if isinstance(key, NumberInput) else KeyKind.CODE_B


def key_sent(key: KeyInput) -> Any:
    """What the document's verification sends: the CodeB or the CardNumber."""
    return key.number if isinstance(key, NumberInput) else key.code


def key_bytes(key: KeyInput) -> bytes:
    """What the counter's memory keys a rejected key by (hashed there, never kept)."""
    return key_sent(key).to_bytes()  # type: ignore[no-any-return]


class NumberInputError(ConfigError):
    """A card number no card prints (a usage error); the message names no character of it."""

    def __init__(self, message: str, message_ja: str, field: str = "card_number") -> None:
        super().__init__(message)
        self.message_ja = message_ja
        self.field = field


def _parsed(text: str) -> CardNumber:
    try:
        return parse_card_number(text)
    except CardNumberError as error:
        raise NumberInputError(f"card number: {error}", error.message_ja) from None


def number_from_text(text: str) -> NumberInput:
    """A card number as typed: 12 characters, case-insensitive, full-width accepted, spaces and
    hyphens ignored. Raises NumberInputError."""
    return NumberInput(_parsed(text))


def number_from_picture(face: PrintedResidenceFace, *, unattended: bool = False,
                        corrected: str | None = None) -> NumberInput:
    """The number read from a picture of the card. `unattended` (a batch, nobody confirming):
    only a number read surely is used, else OcrError, and nothing is sent. `corrected`: the
    clerk's correction of what the picture filled in."""
    if corrected is not None:
        number = _parsed(corrected)
        return NumberInput(number, face, corrected=number.text != (face.card_number or ""))
    from verifier.ocr.policy import unattended_card_number

    if unattended:
        return NumberInput(_parsed(unattended_card_number(face)), face)
    return NumberInput(_parsed(face.card_number or ""), face)

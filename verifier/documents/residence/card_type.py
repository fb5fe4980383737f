"""Which document a residence chip is, from MF EF02 (tag C1): the type decides the generation,
and with it the cipher, the files and the signed target.

The card type is not signed: a value this program does not know is "not supported / not
verified" (`UnsupportedLayout`), never evidence.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from verifier.documents.residence import constants as c
from verifier.documents.residence.tlv import parse_one
from verifier.errors import MalformedData, UnsupportedLayout


class Generation(enum.IntEnum):
    FIRST = 1  # types 1/2: 2-key 3DES + retail MAC, RSA-2048 signature over two images
    SECOND = 2  # types 05/06: AES-128 + CMAC, ECDSA P-384 over entries and images


class Document(enum.StrEnum):
    """The JSON `document` values (issue 17)."""

    RESIDENCE_CARD = "residence_card"
    SPECIAL_PERMANENT_RESIDENT_CERTIFICATE = "special_permanent_resident_certificate"


class CardType(enum.Enum):
    """MF EF02's C1 value."""

    RESIDENCE_1 = c.TYPE_RESIDENCE_1
    SPR_1 = c.TYPE_SPR_1
    RESIDENCE_2 = c.TYPE_RESIDENCE_2
    SPR_2 = c.TYPE_SPR_2
    SPECIFIED_RESIDENCE = c.TYPE_SPECIFIED_RESIDENCE
    SPECIFIED_SPR = c.TYPE_SPECIFIED_SPR

    @property
    def code(self) -> str:
        """The code as the chip writes it: "1", "2", "05", …"""
        return self.value.decode("ascii")

    @property
    def document(self) -> Document:
        if self in (CardType.SPR_1, CardType.SPR_2, CardType.SPECIFIED_SPR):
            return Document.SPECIAL_PERMANENT_RESIDENT_CERTIFICATE
        return Document.RESIDENCE_CARD

    @property
    def generation(self) -> Generation:
        if self in (CardType.RESIDENCE_1, CardType.SPR_1):
            return Generation.FIRST
        return Generation.SECOND

    @property
    def supported(self) -> bool:
        """07/08 (特定在留カード) use another application and an RSA key delivery: not read."""
        return self not in (CardType.SPECIFIED_RESIDENCE, CardType.SPECIFIED_SPR)

    @property
    def is_spr(self) -> bool:
        return self.document is Document.SPECIAL_PERMANENT_RESIDENT_CERTIFICATE


class UnknownCardType(UnsupportedLayout):
    """MF EF02 holds a card type this program does not know."""


def _first_object(file_bytes: bytes, tag: int, what: str) -> bytes:
    """The value of the file's first object, which must have `tag`; 00/FF after it is the
    file's padding."""
    try:
        item = parse_one(bytes(file_bytes))
    except MalformedData as error:
        raise UnknownCardType(f"{what}: {error}") from None
    if item.tag != tag:
        raise UnknownCardType(f"{what}: tag {item.tag:X}, expected {tag:X}")
    return item.value


def parse_card_type(file_bytes: bytes) -> CardType:
    """MF EF02: `C1 01 31` (first generation) or `C1 02 30 35` (second)."""
    value = _first_object(file_bytes, c.TAG_CARD_TYPE, "card type (MF EF02)")
    try:
        return CardType(value)
    except ValueError:
        raise UnknownCardType(f"card type (MF EF02): {len(value)}-byte value this program "
                              "does not know") from None


@dataclass(frozen=True)
class CommonData:
    """MF EF01: the specification version the chip follows (`C0`, e.g. "0002")."""

    version: str


def parse_common_data(file_bytes: bytes) -> CommonData:
    value = _first_object(file_bytes, c.TAG_COMMON_DATA, "common data (MF EF01)")
    if not value.isascii() or not value.isalnum():
        raise UnknownCardType("common data (MF EF01): not a version string")
    return CommonData(version=value.decode("ascii"))

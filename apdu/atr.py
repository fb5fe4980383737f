"""What an answer-to-reset says about the command forms a card takes (ISO/IEC 7816-3 and -4).

pcscd hands every connection the ATR before the first command. When its historical bytes carry
the card capabilities (compact-TLV tag 7, ISO/IEC 7816-4 8.1.1.2.7), a reader need not probe:
they say whether the card takes short EF identifiers and extended Lc/Le. Anything the ATR does
not say clearly is unknown (None) and left to be found out by trying; a malformed ATR says
nothing, it is never an error.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Historical bytes that start with this category indicator are all compact-TLV objects.
CATEGORY_COMPACT_TLV = 0x80
#: ... with this one, compact-TLV objects followed by a 3-byte status indicator.
CATEGORY_STATUS_AT_END = 0x00
STATUS_INDICATOR_BYTES = 3
TAG_CARD_CAPABILITIES = 0x7
#: First software function table: short EF identifier supported.
SHORT_EF_SUPPORTED = 0x04
#: Third software function table: extended Lc and Le fields.
EXTENDED_LENGTH_SUPPORTED = 0x40


@dataclass(frozen=True)
class CardCapabilities:
    """None: the ATR does not say."""

    short_ef: bool | None = None
    extended_length: bool | None = None


UNKNOWN = CardCapabilities()


def historical_bytes(atr: bytes) -> bytes | None:
    """The historical bytes of an ATR, or None when the ATR is not well formed."""
    if len(atr) < 2:
        return None
    count = atr[1] & 0x0F
    indicator = atr[1]
    pos = 2
    while True:
        # TAi, TBi, TCi present per bits 5-7 of the indicator; TDi (bit 8) chains on
        present = [indicator & bit for bit in (0x10, 0x20, 0x40)]
        pos += sum(1 for bit in present if bit)
        if not indicator & 0x80:
            break
        if pos >= len(atr):
            return None
        indicator = atr[pos]
        pos += 1
    if pos + count > len(atr):
        return None
    return atr[pos:pos + count]


def _compact_tlv(data: bytes) -> dict[int, bytes] | None:
    objects: dict[int, bytes] = {}
    pos = 0
    while pos < len(data):
        tag, length = data[pos] >> 4, data[pos] & 0x0F
        pos += 1
        if pos + length > len(data):
            return None
        objects.setdefault(tag, data[pos:pos + length])
        pos += length
    return objects


def capabilities(atr: bytes) -> CardCapabilities:
    """What the ATR's card capabilities say (UNKNOWN when it has none)."""
    historical = historical_bytes(atr)
    if not historical:
        return UNKNOWN
    category, body = historical[0], historical[1:]
    if category == CATEGORY_STATUS_AT_END:
        body = body[:-STATUS_INDICATOR_BYTES] if len(body) >= STATUS_INDICATOR_BYTES else b""
    elif category != CATEGORY_COMPACT_TLV:
        return UNKNOWN
    objects = _compact_tlv(body)
    tables = objects.get(TAG_CARD_CAPABILITIES) if objects is not None else None
    if not tables:
        return UNKNOWN
    return CardCapabilities(
        short_ef=bool(tables[0] & SHORT_EF_SUPPORTED),
        extended_length=bool(tables[2] & EXTENDED_LENGTH_SUPPORTED) if len(tables) >= 3
        else None)

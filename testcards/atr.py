"""Answers-to-reset of the simulated card.

Neither is copied from a real My Number Card; they are well-formed ATRs (ISO/IEC 7816-3, and
PC/SC part 3 for the contactless pseudo-ATR) so pcscd, pyscard and the GUI accept them.
"""

from __future__ import annotations

from functools import reduce

#: Card capabilities (ISO/IEC 7816-4 8.1.1.2.7): selection by full DF name and by file id,
#: short EF identifiers (SHORT_EF), data units of one byte; command chaining and extended Lc/Le.
_CAPABILITIES_TAG = 0x73
_SELECTION = 0x90
SHORT_EF = 0x04
_DATA_CODING = 0x01
_EXTENDED = 0xC0
#: Card issuer's data (compact-TLV tag 5): a name, so nobody takes the ATR for a real card's.
_ISSUER_DATA = b"\x54" + b"MYNA"
#: Status indicator (compact-TLV tag 8): LCS 00 (no information), SW 9000.
_STATUS = bytes.fromhex("83009000")


def _contact_historical(*, short_ef: bool) -> bytes:
    """Category 80 (compact-TLV): card capabilities, issuer's data, status indicator."""
    tables = bytes((_SELECTION | (SHORT_EF if short_ef else 0), _DATA_CODING, _EXTENDED))
    return b"\x80" + bytes((_CAPABILITIES_TAG,)) + tables + _ISSUER_DATA + _STATUS
#: ATQB application data (4 B), protocol info (3 B: 106 kbit/s, FSCI 256 B ISO 14443-4, FWI 7)
#: and MBLI/CID (1 B): the eight historical bytes PC/SC part 3 gives a Type B card.
_TYPE_B_HISTORICAL = bytes.fromhex("00000000" "008171" "80")


def _tck(body: bytes) -> int:
    """Check byte: XOR of T0 to the last historical byte, so that XOR(T0..TCK) is 0."""
    return reduce(lambda a, b: a ^ b, body, 0)


def contact_atr(*, t0_only: bool = False, short_ef: bool = True) -> bytes:
    """A plausible contact ATR: T=1 (TA1 13, IFSC 254), or T=0 only for the `t0` quirk; its
    card capabilities say whether the card takes short EF identifiers (not for `no-sfi`)."""
    historical = _contact_historical(short_ef=short_ef)
    if t0_only:
        # TA1 and TD1 present; TD1 00 = T=0 only, no further interface bytes and no TCK.
        return bytes((0x3B, 0x90 | len(historical), 0x13, 0x00)) + historical
    body = bytes((0x90 | len(historical), 0x13, 0x81, 0x31, 0xFE, 0x45)) + historical
    return b"\x3b" + body + bytes((_tck(body),))


def contactless_atr() -> bytes:
    """PC/SC pseudo-ATR of an ISO 14443 Type B card: 3B 88 80 01 <8 historical bytes> TCK."""
    body = bytes((0x80 | len(_TYPE_B_HISTORICAL), 0x80, 0x01)) + _TYPE_B_HISTORICAL
    return b"\x3b" + body + bytes((_tck(body),))

"""Named status words and the one classifier of what an answer means.

Every decision on a status word (fetch more, resend, fall back to another form, stop reading,
count tries, read again) starts from `classify`, so two places can never disagree about what,
say, 6B00 is. The names follow ISO/IEC 7816-4 (5.6, tables 5 and 6); the comments say what the
My Number Card and the readers around it use each one for (../shared/docs/card-spec.md 3, 4, 7).
"""

from __future__ import annotations

import enum


@enum.unique
class SW(enum.IntEnum):
    """The status words this project names. The 61xx, 63Cx and 6Cxx families are given by
    their base (low byte 00 / C0): use `more_data`, `retries_left` and `wrong_le` on them."""

    OK = 0x9000
    MORE_DATA = 0x6100  # 61xx: xx more bytes wait for GET RESPONSE (00: 256)
    END_OF_FILE = 0x6282  # fewer bytes than Le: the end of the file came first
    VERIFY_FAILED = 0x6300  # wrong, and no counter given (a key with no retry limit)
    RETRIES = 0x63C0  # 63Cx: x tries left; 63C0 is the attempt that used the last one
    MEMORY_FAILURE = 0x6581
    WRONG_LENGTH = 0x6700  # Lc or Le not accepted
    INCOMPATIBLE_FILE = 0x6981  # e.g. READ BINARY of a key EF
    SECURITY_NOT_SATISFIED = 0x6982  # the key that opens this file is not verified
    AUTH_METHOD_BLOCKED = 0x6983
    REFERENCE_DATA_UNUSABLE = 0x6984  # the key is blocked (every attempt after 63C0)
    CONDITIONS_NOT_SATISFIED = 0x6985
    COMMAND_NOT_ALLOWED = 0x6986  # no current EF
    WRONG_DATA = 0x6A80  # the data field is not what the command takes
    FUNCTION_NOT_SUPPORTED = 0x6A81
    FILE_NOT_FOUND = 0x6A82  # also an AID the chip lacks
    INCORRECT_P1P2 = 0x6A86
    LC_INCONSISTENT_WITH_P1P2 = 0x6A87
    REFERENCE_NOT_FOUND = 0x6A88  # a key reference or short EF id the current DF lacks
    WRONG_P1P2 = 0x6B00  # READ BINARY: the offset is past the end of the file
    WRONG_LE = 0x6C00  # 6Cxx: send again with Le = xx (00: 256)
    INS_NOT_SUPPORTED = 0x6D00
    CLA_NOT_SUPPORTED = 0x6E00
    NO_PRECISE_DIAGNOSIS = 0x6F00  # real cards answer it to the first command after power-up


class Kind(enum.Enum):
    """What an answer means for the one who asked."""

    OK = "ok"
    MORE_DATA = "more_data"  # 61xx
    WRONG_LE = "wrong_le"  # 6Cxx
    RETRIES = "retries"  # 63C1..63CF: the code was wrong (or a query), tries left
    BLOCKED = "blocked"  # 63C0, 6983, 6984: no try left
    END_OF_FILE = "end_of_file"  # 6282, 6B00
    NOT_FOUND = "not_found"  # 6A82, 6A88 (for the card-face AP, twice, evidence)
    SECURITY_NOT_SATISFIED = "security_not_satisfied"  # 6982
    FORM_REFUSED = "form_refused"  # the command as formed is not supported
    TRANSIENT = "transient"  # no diagnosis or an execution fault: worth one more ask
    OTHER = "other"  # anything else: never evidence, never a reason to resend


_EXACT: dict[int, Kind] = {
    SW.OK: Kind.OK,
    SW.END_OF_FILE: Kind.END_OF_FILE,
    # 6B00 is "wrong P1-P2" in general; what READ BINARY means by it is an offset past the end.
    SW.WRONG_P1P2: Kind.END_OF_FILE,
    SW.RETRIES: Kind.BLOCKED,
    SW.AUTH_METHOD_BLOCKED: Kind.BLOCKED,
    SW.REFERENCE_DATA_UNUSABLE: Kind.BLOCKED,
    SW.FILE_NOT_FOUND: Kind.NOT_FOUND,
    SW.REFERENCE_NOT_FOUND: Kind.NOT_FOUND,
    SW.SECURITY_NOT_SATISFIED: Kind.SECURITY_NOT_SATISFIED,
    SW.WRONG_LENGTH: Kind.FORM_REFUSED,
    SW.WRONG_DATA: Kind.FORM_REFUSED,
    SW.FUNCTION_NOT_SUPPORTED: Kind.FORM_REFUSED,
    SW.INCORRECT_P1P2: Kind.FORM_REFUSED,
    SW.LC_INCONSISTENT_WITH_P1P2: Kind.FORM_REFUSED,
    SW.INS_NOT_SUPPORTED: Kind.FORM_REFUSED,
    SW.CLA_NOT_SUPPORTED: Kind.FORM_REFUSED,
}

#: SW1 of the answers that say nothing about the card (ISO 7816-4: 64xx execution error with
#: the memory unchanged, 65xx memory changed, 66xx security-related, 68xx a CLA function not
#: available now, 6Fxx no precise diagnosis).
_TRANSIENT_SW1 = frozenset({0x64, 0x65, 0x66, 0x68, 0x6F})


def classify(sw: int) -> Kind:
    """The kind of a status word (SW1 << 8 | SW2)."""
    sw1, sw2 = sw >> 8 & 0xFF, sw & 0xFF
    if sw1 == 0x61:
        return Kind.MORE_DATA
    if sw1 == 0x6C:
        return Kind.WRONG_LE
    if sw1 == 0x63 and sw2 & 0xF0 == 0xC0:
        return Kind.RETRIES if sw2 & 0x0F else Kind.BLOCKED
    exact = _EXACT.get(sw)
    if exact is not None:
        return exact
    if sw1 in _TRANSIENT_SW1:
        return Kind.TRANSIENT
    return Kind.OTHER


def more_data(sw: int) -> int | None:
    """For 61xx: how many bytes GET RESPONSE may fetch (xx 00 means 256)."""
    return (sw & 0xFF or 256) if classify(sw) is Kind.MORE_DATA else None


def wrong_le(sw: int) -> int | None:
    """For 6Cxx: the Le the card wants the command sent again with (xx 00 means 256)."""
    return (sw & 0xFF or 256) if classify(sw) is Kind.WRONG_LE else None


def retries_left(sw: int) -> int | None:
    """For 63Cx: tries left (63C0 included: none), else None."""
    return sw & 0x0F if sw & 0xFFF0 == SW.RETRIES else None


def with_retries(left: int) -> int:
    """The 63Cx a card answers with `left` tries left (0..15)."""
    if not 0 <= left <= 0x0F:
        raise ValueError(f"63Cx holds 0..15 tries, not {left}")
    return SW.RETRIES | left

"""Response APDUs and the meaning of their status words."""

from __future__ import annotations

from dataclasses import dataclass

from apdu import status
from apdu.errors import MalformedAPDU
from apdu.status import Kind, classify


@dataclass(frozen=True)
class StatusWord:
    """SW1 SW2 of an answer. Every property reads `apdu.status.classify`: one meaning per
    status word for every caller."""

    sw1: int
    sw2: int

    @classmethod
    def of(cls, value: int) -> StatusWord:
        return cls(value >> 8 & 0xFF, value & 0xFF)

    @property
    def value(self) -> int:
        return self.sw1 << 8 | self.sw2

    @property
    def kind(self) -> Kind:
        return classify(self.value)

    @property
    def ok(self) -> bool:
        return self.kind is Kind.OK

    @property
    def retries_left(self) -> int | None:
        """Tries left for 63Cx (63C0 included: no try left), else None."""
        return status.retries_left(self.value)

    @property
    def blocked(self) -> bool:
        """The reference data is blocked (6983 or 6984) or its last try is spent (63C0)."""
        return self.kind is Kind.BLOCKED

    @property
    def end_of_file(self) -> bool:
        """6282, or 6B00 (READ BINARY past the end)."""
        return self.kind is Kind.END_OF_FILE

    @property
    def more_data(self) -> int | None:
        """For 61xx: how many bytes GET RESPONSE may fetch (xx 00 means 256)."""
        return status.more_data(self.value)

    @property
    def correct_le(self) -> int | None:
        """For 6Cxx: the Le the card wants the command resent with."""
        return status.wrong_le(self.value)

    @property
    def not_found(self) -> bool:
        """6A82 or 6A88: no such file, application or reference."""
        return self.kind is Kind.NOT_FOUND

    @property
    def security_not_satisfied(self) -> bool:
        return self.kind is Kind.SECURITY_NOT_SATISFIED

    @property
    def transient(self) -> bool:
        """No precise diagnosis, a memory or execution fault, a CLA function not available
        now (6F00, 64xx, 65xx, 66xx, 68xx): says nothing about the card, worth one resend of an
        idempotent command. Real cards answer 6F00 to the first command after a power-up."""
        return self.kind is Kind.TRANSIENT

    @property
    def refused_form(self) -> bool:
        """The card does not take the command as formed (6700, 6A80, 6A81, 6A86, 6A87, 6D00,
        6E00): nothing was done, and the same request in another form may succeed."""
        return self.kind is Kind.FORM_REFUSED

    def __str__(self) -> str:
        return f"{self.value:04X}"


@dataclass(frozen=True)
class ResponseAPDU:
    data: bytes
    sw: StatusWord

    @classmethod
    def from_bytes(cls, raw: bytes) -> ResponseAPDU:
        if len(raw) < 2:
            raise MalformedAPDU(f"a response needs a status word, got {len(raw)} bytes")
        return cls(bytes(raw[:-2]), StatusWord(raw[-2], raw[-1]))

    def to_bytes(self) -> bytes:
        return self.data + bytes((self.sw.sw1, self.sw.sw2))

"""Response APDUs and the meaning of their status words."""

from __future__ import annotations

from dataclasses import dataclass

from apdu.errors import MalformedAPDU


@dataclass(frozen=True)
class StatusWord:
    sw1: int
    sw2: int

    @classmethod
    def of(cls, value: int) -> StatusWord:
        return cls(value >> 8 & 0xFF, value & 0xFF)

    @property
    def value(self) -> int:
        return self.sw1 << 8 | self.sw2

    @property
    def ok(self) -> bool:
        return self.value == 0x9000

    @property
    def retries_left(self) -> int | None:
        """Tries left for 63Cx (63C0 included: no try left), else None."""
        return self.sw2 & 0x0F if self.sw1 == 0x63 and self.sw2 & 0xF0 == 0xC0 else None

    @property
    def blocked(self) -> bool:
        """The reference data is blocked (6983 or 6984) or its last try is spent (63C0)."""
        return self.value in (0x6983, 0x6984, 0x63C0)

    @property
    def end_of_file(self) -> bool:
        return self.value in (0x6282, 0x6B00)

    @property
    def more_data(self) -> int | None:
        """For 61xx: how many bytes GET RESPONSE may fetch (xx 00 means 256)."""
        return (self.sw2 or 256) if self.sw1 == 0x61 else None

    @property
    def correct_le(self) -> int | None:
        """For 6Cxx: the Le the card wants the command resent with."""
        return (self.sw2 or 256) if self.sw1 == 0x6C else None

    @property
    def not_found(self) -> bool:
        return self.value in (0x6A82, 0x6A88)

    @property
    def security_not_satisfied(self) -> bool:
        return self.value == 0x6982

    @property
    def transient(self) -> bool:
        """No precise diagnosis, a memory or execution fault, a CLA function not available
        now (6F00, 64xx, 65xx, 66xx, 68xx): says nothing about the card, worth one resend of an
        idempotent command. Real cards answer 6F00 to the first command after a power-up."""
        return self.sw1 in (0x64, 0x65, 0x66, 0x68, 0x6F)

    @property
    def refused_form(self) -> bool:
        """The card does not support this form of the command (length, P1-P2, function)."""
        return self.value in (0x6700, 0x6A81, 0x6A86, 0x6D00, 0x6E00, 0x6B00) or self.sw1 == 0x6A

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

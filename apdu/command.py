"""Command APDUs in all four ISO/IEC 7816-4 cases, short and extended."""

from __future__ import annotations

from dataclasses import dataclass

from apdu.errors import MalformedAPDU

SHORT_MAX_LC = 255
SHORT_MAX_LE = 256
EXTENDED_MAX_LC = 65535
EXTENDED_MAX_LE = 65536


@dataclass(frozen=True)
class CommandAPDU:
    """One command. `le` is the number of bytes expected (None: no Le field).

    Le 256 is encoded `00` in short form and Le 65536 `00 00` in extended form, as the
    standard says; `extended` forces extended encoding when short would fit.
    """

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None
    extended: bool = False

    def __post_init__(self) -> None:
        for name in ("cla", "ins", "p1", "p2"):
            value = getattr(self, name)
            if not 0 <= value <= 0xFF:
                raise MalformedAPDU(f"{name} must be one byte, got {value}")
        if len(self.data) > EXTENDED_MAX_LC:
            raise MalformedAPDU(f"command data too long: {len(self.data)} bytes")
        if self.le is not None and not 1 <= self.le <= EXTENDED_MAX_LE:
            raise MalformedAPDU(f"Le out of range: {self.le}")

    @property
    def is_extended(self) -> bool:
        if self.case == 1:
            return False  # a bare header has no length field to make extended
        return (
            self.extended
            or len(self.data) > SHORT_MAX_LC
            or (self.le is not None and self.le > SHORT_MAX_LE)
        )

    @property
    def case(self) -> int:
        """ISO 7816-3 case number: 1 no data no Le, 2 Le only, 3 data only, 4 both."""
        if self.data:
            return 4 if self.le is not None else 3
        return 2 if self.le is not None else 1

    def with_le(self, le: int) -> CommandAPDU:
        return CommandAPDU(self.cla, self.ins, self.p1, self.p2, self.data, le, self.extended)

    def to_bytes(self) -> bytes:
        header = bytes((self.cla, self.ins, self.p1, self.p2))
        if not self.is_extended:
            body = b""
            if self.data:
                body += bytes((len(self.data),)) + self.data
            if self.le is not None:
                body += bytes((self.le % 256,))
            return header + body
        body = b"\x00"
        if self.data:
            body += len(self.data).to_bytes(2, "big") + self.data
        if self.le is not None:
            body += (self.le % 65536).to_bytes(2, "big")
        return header + body

    @classmethod
    def from_bytes(cls, raw: bytes) -> CommandAPDU:
        if len(raw) < 4:
            raise MalformedAPDU(f"a command needs at least 4 bytes, got {len(raw)}")
        cla, ins, p1, p2 = raw[:4]
        body = raw[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0] or 256)
        if body[0] != 0:
            lc = body[0]
            if len(body) == 1 + lc:
                return cls(cla, ins, p1, p2, bytes(body[1:]))
            if len(body) == 2 + lc:
                return cls(cla, ins, p1, p2, bytes(body[1 : 1 + lc]), body[-1] or 256)
            raise MalformedAPDU("short Lc does not match the command length")
        # Extended forms start with a 00 byte.
        if len(body) == 3:
            return cls(cla, ins, p1, p2, le=int.from_bytes(body[1:3], "big") or 65536,
                       extended=True)
        if len(body) < 3:
            raise MalformedAPDU("truncated extended length")
        lc = int.from_bytes(body[1:3], "big")
        if lc == 0:
            raise MalformedAPDU("extended Lc of zero")
        if len(body) == 3 + lc:
            return cls(cla, ins, p1, p2, bytes(body[3:]), extended=True)
        if len(body) == 5 + lc:
            le = int.from_bytes(body[-2:], "big") or 65536
            return cls(cla, ins, p1, p2, bytes(body[3 : 3 + lc]), le, extended=True)
        raise MalformedAPDU("extended Lc does not match the command length")

    def __str__(self) -> str:
        return self.to_bytes().hex(" ").upper()

"""Key ids of the My Number Card's card-verifiable certificates (証明者鍵ID / 被証明者鍵ID)."""

from __future__ import annotations

from dataclasses import dataclass

from verifier.documents.my_number import constants as p
from verifier.errors import MalformedData


@dataclass(frozen=True)
class KeyId:
    """A 16-byte key id (証明者鍵ID / 被証明者鍵ID). Equality compares all 16 bytes; `str` gives
    the printable form "5000023/001", which names a key but does not identify it uniquely."""

    raw: bytes

    def __post_init__(self) -> None:
        if len(self.raw) != p.KEY_ID_LEN:
            raise MalformedData(f"a key id is {p.KEY_ID_LEN} bytes, not {len(self.raw)}")

    def __str__(self) -> str:
        number, group = self.raw[:7], self.raw[9:12]
        if number.isascii() and number.isdigit() and group.isascii() and group.isdigit():
            return f"{number.decode('ascii')}/{group.decode('ascii')}"
        return self.raw.hex()

    def hex(self) -> str:
        return self.raw.hex()

"""Card values as types, parsed once when a record is loaded: key ids, sex, dates.

Chip bytes are turned into these at the edge (records.py), so no caller re-slices a
"YYYYMMDD" string or formats a key id on demand.
"""

from __future__ import annotations

import enum
from datetime import date

from verifier.errors import MalformedData


class Sex(enum.Enum):
    """JIS X 0303, as the chip stores it (one ASCII digit)."""

    UNKNOWN = "0"
    MALE = "1"
    FEMALE = "2"
    NOT_APPLICABLE = "9"
    #: A code outside JIS X 0303: kept distinct rather than guessed at.
    OTHER = "other"

    @classmethod
    def from_code(cls, code: str) -> Sex:
        try:
            return cls(code)
        except ValueError:
            return cls.OTHER

    @property
    def code(self) -> str:
        return self.value


def parse_yyyymmdd(value: bytes, what: str) -> date:
    """A chip date: 8 ASCII digits, Gregorian, a real calendar day."""
    if not (len(value) == 8 and value.isascii() and value.isdigit()):
        raise MalformedData(f"{what} is not 8 digits")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise MalformedData(f"{what} is not a calendar date") from None


def yyyymmdd(day: date) -> str:
    """The chip's own form of a date, as the JSON output has always shown it."""
    return day.strftime("%Y%m%d")

"""Reader and card quirks a simulated card can be told to show.

Each quirk mimics something a real reader or chip does, so the fallbacks of the engine's session
and `apdu.exchange` are exercised without hardware.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import hexdigits

#: What a transient answer says unless told otherwise: "no precise diagnosis".
DEFAULT_TRANSIENT_SW = 0x6F00
SW_HEX_DIGITS = 4

#: Quirk names as written on the command line, with what each one does.
QUIRK_HELP: dict[str, str] = {
    "no-extended": "6700 to any extended-length APDU (readers such as the ACS ACR1281)",
    "no-sfi": "6A81 to the short-EF-id forms of READ BINARY and VERIFY",
    "t0": "answers with data come as 61xx first; the data then via GET RESPONSE",
    "wrong-le": "a READ BINARY asking more than is left answers 6Cxx (the right Le) first",
    "slow=MS": "sleep MS milliseconds before each answer",
    "kbps=N": "a link of N kbit/s: each exchange takes the time its bytes need (106-424 NFC)",
    "tear-after=N": "after N exchanges the card is gone (CardRemovedError)",
    "contactless": "the ATR is the PC/SC pseudo-ATR of an ISO 14443 Type B card",
    "6f00-after-power-up": "the first command after each power-up is answered 6F00, no effect",
    "transient=N[:SW]": "exchange N (from 1) is answered SW (4 hex digits, default 6F00) once, "
                        "with no effect on the card",
    "dribble": "the card face claims ~64 KiB and every READ BINARY hands out 1 byte",
    "challenge=SW|silent": "the chip challenge (COMPUTE DIGITAL SIGNATURE) is answered SW (4 hex "
                           "digits) with no signature, or never (silent): a chip without the "
                           "card's key that will not show it",
    "tries=SW": "the empty VERIFY (the tries query) is answered SW (4 hex digits), whatever "
                "the counter says",
}
#: `challenge=silent`: the chip never answers the challenge.
SILENT = -1


@dataclass(frozen=True)
class Quirks:
    no_extended: bool = False
    no_sfi: bool = False
    t0: bool = False
    wrong_le: bool = False
    slow_ms: int = 0
    kbps: int = 0
    tear_after: int | None = None
    contactless: bool = False
    power_up_6f00: bool = False
    transient_at: int | None = None
    transient_sw: int = DEFAULT_TRANSIENT_SW
    dribble: bool = False
    #: the answer to the chip challenge: a status word, SILENT, or None (the card's own)
    challenge_sw: int | None = None
    #: the answer to every tries query (empty VERIFY), or None (the card's own)
    tries_sw: int | None = None

    def __post_init__(self) -> None:
        if self.slow_ms < 0:
            raise ValueError(f"slow must be 0 or more milliseconds, got {self.slow_ms}")
        if self.kbps < 0:
            raise ValueError(f"kbps must be 0 or more, got {self.kbps}")
        if self.tear_after is not None and self.tear_after < 0:
            raise ValueError(f"tear-after must be 0 or more exchanges, got {self.tear_after}")
        if self.transient_at is not None and self.transient_at < 1:
            raise ValueError(f"transient counts exchanges from 1, got {self.transient_at}")
        if not 0 <= self.transient_sw <= 0xFFFF:
            raise ValueError(f"transient SW must fit 2 bytes, got {self.transient_sw:#x}")
        for name, sw in (("challenge", self.challenge_sw), ("tries", self.tries_sw)):
            if sw is not None and sw != SILENT and not 0 <= sw <= 0xFFFF:
                raise ValueError(f"{name} SW must fit 2 bytes, got {sw:#x}")

    def __str__(self) -> str:
        """The same text `parse_quirks` reads, e.g. "no-extended,slow=5"."""
        parts = [name for name, attribute in _FLAGS.items() if getattr(self, attribute)]
        if self.slow_ms:
            parts.append(f"slow={self.slow_ms}")
        if self.kbps:
            parts.append(f"kbps={self.kbps}")
        if self.tear_after is not None:
            parts.append(f"tear-after={self.tear_after}")
        if self.transient_at is not None:
            sw = "" if self.transient_sw == DEFAULT_TRANSIENT_SW else f":{self.transient_sw:04X}"
            parts.append(f"transient={self.transient_at}{sw}")
        if self.challenge_sw is not None:
            answer = "silent" if self.challenge_sw == SILENT else f"{self.challenge_sw:04X}"
            parts.append(f"challenge={answer}")
        if self.tries_sw is not None:
            parts.append(f"tries={self.tries_sw:04X}")
        return ",".join(parts)


_FLAGS = {"no-extended": "no_extended", "no-sfi": "no_sfi", "t0": "t0", "wrong-le": "wrong_le",
          "contactless": "contactless", "6f00-after-power-up": "power_up_6f00",
          "dribble": "dribble"}
_NUMBERS = {"slow": "slow_ms", "kbps": "kbps", "tear-after": "tear_after"}
_TRANSIENT = "transient"


def _valid_names() -> str:
    return ", ".join(QUIRK_HELP)


def parse_quirks(text: str) -> Quirks:
    """Read a comma-separated quirk list such as "no-extended,slow=5" ("" = no quirks)."""
    values: dict[str, bool | int] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        name, sep, argument = item.partition("=")
        name = name.strip().lower()
        if name in _FLAGS and not sep:
            values[_FLAGS[name]] = True
        elif name == _TRANSIENT and sep:
            values["transient_at"], values["transient_sw"] = _transient(argument)
        elif name == "challenge" and sep:
            values["challenge_sw"] = (SILENT if argument.strip().lower() == "silent"
                                      else _status_word(name, argument))
        elif name == "tries" and sep:
            values["tries_sw"] = _status_word(name, argument)
        elif name in _NUMBERS and sep:
            try:
                number = int(argument)
            except ValueError:
                raise ValueError(f"quirk {name!r} needs a whole number, got {argument!r}; "
                                 f"valid quirks: {_valid_names()}") from None
            values[_NUMBERS[name]] = number
        elif name in _FLAGS or name in _NUMBERS or name == _TRANSIENT:
            form = name if name in _FLAGS else f"{name}=N"
            raise ValueError(f"quirk {name!r} is written {form!r}; valid quirks: {_valid_names()}")
        else:
            raise ValueError(f"unknown quirk {name!r}; valid quirks: {_valid_names()}")
    return Quirks(**values)  # type: ignore[arg-type]


def _status_word(name: str, text: str) -> int:
    text = text.strip()
    if len(text) != SW_HEX_DIGITS or not all(c in hexdigits for c in text):
        raise ValueError(f"quirk {name!r} needs a status word of 4 hex digits, got {text!r}")
    return int(text, 16)


def _transient(argument: str) -> tuple[int, int]:
    """The exchange number and status word of transient=N or transient=N:SW."""
    count, sep, sw = argument.partition(":")
    try:
        number = int(count)
    except ValueError:
        raise ValueError(f"quirk 'transient' needs a whole number of exchanges, got {count!r}; "
                         f"written transient=N or transient=N:SW") from None
    if not sep:
        return number, DEFAULT_TRANSIENT_SW
    if len(sw) != SW_HEX_DIGITS or not all(c in hexdigits for c in sw):
        raise ValueError(f"quirk 'transient' needs a status word of 4 hex digits, got {sw!r}")
    return number, int(sw, 16)


#: A card that behaves like a well-mannered chip in a well-mannered reader.
NO_QUIRKS = Quirks()

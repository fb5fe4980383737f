"""SimulatedResidenceCard: a Transport over the residence card OS, with the reader quirks of
`testcards.quirks` that make sense for it — the same power model and the same field behaviour as
testcards/card.py's My Number card.

Power: the secure session lives as long as power does (a warm reset keeps it, a power-down or
leaving the field ends it). A new card counts as just powered up. The quirk `dribble` (a
My Number card face claiming 64 KiB) has no meaning here and is ignored.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

from apdu.command import CommandAPDU
from apdu.errors import CardRemovedError, MalformedAPDU, UnresponsiveCardError
from apdu.status import SW
from apdu.transport import GET_RESPONSE_INS, TransportBase
from testcards.atr import contact_atr, contactless_atr
from testcards.quirks import NO_QUIRKS, Quirks
from testcards.residence.cardos import ResidenceCardOS, ResidenceChip
from testcards.residence.personas import ResidencePersona
from verifier.documents.residence import constants as c
from verifier.documents.residence.card_number import CardNumber

MAX_SHORT = 256
#: Commands whose data derive from the card number (an observer could search the number from
#: them offline): recorded as header and Lc only.
_REDACTED_INS = frozenset({c.INS_VERIFY, c.INS_MUTUAL_AUTHENTICATE})


def _loggable(apdu: bytes) -> bytes:
    if len(apdu) < 2 or apdu[1] not in _REDACTED_INS or len(apdu) <= 5:
        return bytes(apdu)
    lc_size = 3 if apdu[4] == 0 and len(apdu) > 7 else 1
    return bytes(apdu[:4 + lc_size])


def _answer(data: bytes, sw: int) -> bytes:
    return data + sw.to_bytes(2, "big")


class SimulatedResidenceCard(TransportBase):
    """One simulated residence card in one reader; its state is its own."""

    def __init__(self, chip: ResidenceChip, *, persona: ResidencePersona, profile: str,
                 quirks: Quirks = NO_QUIRKS,
                 random: Callable[[int], bytes] = os.urandom) -> None:
        self.profile = profile
        #: The persona as printed on this card (what a clerk reads the number from).
        self.persona = persona
        self.quirks = quirks
        self.exchanges = 0
        #: Every command received, in order; VERIFY and MUTUAL AUTHENTICATE as header + Lc.
        self.commands: list[bytes] = []
        self.events: list[str] = []
        self._os = ResidenceCardOS(chip, no_sfi=quirks.no_sfi, wrong_le=quirks.wrong_le,
                                   random=random)
        self._removed = False
        self._powered = True
        self._just_powered = True
        self._pending: tuple[bytes, int] | None = None  # t0: data waiting for GET RESPONSE
        self._lock = threading.Lock()

    # --- what a reader sees ---------------------------------------------------------------------
    @property
    def atr(self) -> bytes:
        if self.quirks.contactless:
            return contactless_atr()
        return contact_atr(t0_only=self.quirks.t0, short_ef=not self.quirks.no_sfi)

    @property
    def protocol_name(self) -> str:
        return "T0" if self.quirks.t0 else "T1"

    @property
    def card_number(self) -> CardNumber:
        """The number printed on this card."""
        return self.persona.number

    @property
    def removed(self) -> bool:
        return self._removed

    @property
    def powered(self) -> bool:
        return self._powered

    @property
    def verify_count(self) -> int:
        """VERIFY commands the chip received (whatever they were answered)."""
        return self._os.verify_count

    @property
    def authenticate_count(self) -> int:
        return self._os.authenticate_count

    @property
    def number_verified(self) -> bool:
        return self._os.verified

    @property
    def files_touched(self) -> list[tuple[bytes | None, int]]:
        return list(self._os.touched)

    # --- what a reader does to the card ----------------------------------------------------------
    def warm_reset(self) -> None:
        if not self._powered:
            self.power_up()
            return
        with self._lock:
            self._os.warm_reset()
            self._pending = None
            self.events.append("warm_reset")

    def reset(self) -> None:
        self.warm_reset()

    def power_down(self) -> None:
        with self._lock:
            self._lose_power()
            self.events.append("power_down")

    def power_up(self) -> None:
        with self._lock:
            self._lose_power()
            self._powered = True
            self._just_powered = True
            self.events.append("power_up")

    def power_cycle(self) -> None:
        self.power_down()
        self.power_up()

    def close(self) -> None:
        if not self._removed:
            self.power_down()

    def remove(self) -> None:
        with self._lock:
            self._leave_field()

    def _leave_field(self) -> None:
        self._lose_power()
        self._removed = True
        self.events.append("removed")

    def _lose_power(self) -> None:
        self._os.power_down()
        self._pending = None
        self._powered = False

    # --- Transport --------------------------------------------------------------------------------
    def transmit(self, apdu: bytes) -> bytes:
        with self._lock:
            tear = self.quirks.tear_after
            if tear is not None and self.exchanges >= tear and not self._removed:
                self._leave_field()
            if self._removed:
                raise CardRemovedError()
            if not self._powered:
                raise UnresponsiveCardError("the simulated card is not powered")
            self.exchanges += 1
            self.commands.append(_loggable(apdu))
            answer = self._lost_answer() or self._process(apdu)
        delay_s = self.quirks.slow_ms / 1000
        if self.quirks.kbps:
            delay_s += (len(apdu) + len(answer)) * 8 / (self.quirks.kbps * 1000)
        if delay_s:
            time.sleep(delay_s)
        return answer

    def _lost_answer(self) -> bytes | None:
        just_powered, self._just_powered = self._just_powered, False
        if self.exchanges == self.quirks.transient_at:
            return _answer(b"", self.quirks.transient_sw)
        if just_powered and self.quirks.power_up_6f00:
            return _answer(b"", SW.NO_PRECISE_DIAGNOSIS)
        return None

    def _process(self, apdu: bytes) -> bytes:
        try:
            command = CommandAPDU.from_bytes(apdu)
        except MalformedAPDU:
            self._pending = None
            return _answer(b"", SW.WRONG_LENGTH)
        if self.quirks.t0 and command.ins == GET_RESPONSE_INS and command.cla == c.CLA:
            return self._get_response(command)
        self._pending = None
        # T=0 carries no extended lengths at all; some T=1 readers refuse them too
        if (self.quirks.no_extended or self.quirks.t0) and command.is_extended:
            return _answer(b"", SW.WRONG_LENGTH)
        data, sw = self._os.process(command)
        if self.quirks.t0 and data:
            self._pending = (data, sw)
            return _answer(b"", SW.MORE_DATA | (min(len(data), MAX_SHORT) % MAX_SHORT))
        return _answer(data, sw)

    def _get_response(self, command: CommandAPDU) -> bytes:
        pending, self._pending = self._pending, None
        if pending is None:
            return _answer(b"", SW.CONDITIONS_NOT_SATISFIED)
        data, sw = pending
        size = command.le or MAX_SHORT
        chunk, rest = data[:size], data[size:]
        if rest:
            self._pending = (rest, sw)
            return _answer(chunk, SW.MORE_DATA | (min(len(rest), MAX_SHORT) % MAX_SHORT))
        return _answer(chunk, sw)

    def __repr__(self) -> str:
        return f"SimulatedResidenceCard({self.profile!r}, persona={self.persona.key!r})"

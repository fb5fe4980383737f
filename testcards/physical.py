"""What a reader sees of any simulated card, whatever chip it carries: power, removal, the ATR,
T=0's GET RESPONSE, and the reader quirks of `testcards.quirks` (tears, slowness, a lost answer,
6F00 after power-up, no extended lengths).

Power behaves as in the field (card-spec 7): what the chip opened stays open through a warm reset
and closes only when power goes (`power_down`, or `remove` from the field). A new card counts as
just powered up, the way a reader hands it over. Each family of card (`testcards.card` for the My
Number Card, `testcards.residence.card`) adds its chip's OS and what its tests read of it.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol

from apdu import iso
from apdu.command import CommandAPDU
from apdu.errors import CardRemovedError, MalformedAPDU, UnresponsiveCardError
from apdu.status import SW
from apdu.transport import GET_RESPONSE_INS, TransportBase
from testcards.atr import contact_atr, contactless_atr
from testcards.quirks import Quirks

MAX_SHORT = 256


class ChipOs(Protocol):
    """A chip's operating system, as the card's reader side drives it."""

    def process(self, command: CommandAPDU) -> tuple[bytes, int]: ...

    def warm_reset(self) -> None: ...

    def power_down(self) -> None: ...


def answer(data: bytes, sw: int) -> bytes:
    return data + sw.to_bytes(2, "big")


class PhysicalCard(TransportBase):
    """One simulated card in one reader; its counters and session state are its own."""

    #: Instructions whose data carry the key (or derive from it): recorded as header and Lc
    #: only, so that no test log holds a code or a number.
    REDACTED_INS: frozenset[int] = frozenset()
    #: An extended-length command on T=0 is refused (WRONG LENGTH) rather than served with
    #: 61xx pieces; the My Number card's tests exercise the pieces, the residence card's the
    #: refusal.
    T0_REFUSES_EXTENDED = False

    def __init__(self, chip_os: ChipOs, *, quirks: Quirks) -> None:
        self.quirks = quirks
        #: Physical exchanges so far (GET RESPONSE included).
        self.exchanges = 0
        #: Every command received, in order, key-bearing ones as header + Lc only.
        self.commands: list[bytes] = []
        #: Power events in order ("power_up", "power_down", "warm_reset", "removed").
        self.events: list[str] = []
        self._os = chip_os
        self._removed = False
        self._powered = True
        self._just_powered = True  # the next command is the first since a power-up
        self._pending: tuple[bytes, int] | None = None  # t0: data waiting for GET RESPONSE
        self._lock = threading.Lock()  # a bridge thread and a test may share one card

    # --- what a reader sees ---------------------------------------------------------------------
    @property
    def atr(self) -> bytes:
        if self.quirks.contactless:
            return contactless_atr()
        return contact_atr(t0_only=self.quirks.t0, short_ef=not self.quirks.no_sfi)

    @property
    def protocol_name(self) -> str:
        """What PC/SC would report: a T=0-only card never carries extended lengths."""
        return "T0" if self.quirks.t0 else "T1"

    @property
    def removed(self) -> bool:
        return self._removed

    @property
    def powered(self) -> bool:
        return self._powered

    # --- what a reader does to the card ---------------------------------------------------------
    def warm_reset(self) -> None:
        """Reset with power kept (vpcd RESET; SCARD_RESET_CARD): nothing stays selected, but
        what the chip opened stays open, as on the real card. A reader can only reset an
        unpowered card by powering it, so then this is a `power_up` (pcscd does send RESET to
        a card another connection powered down)."""
        if not self._powered:
            self.power_up()
            return
        with self._lock:
            self._os.warm_reset()
            self._pending = None
            self.events.append("warm_reset")

    def reset(self) -> None:
        """The same as `warm_reset`: a reset is never a power cycle (that is `power_down`)."""
        self.warm_reset()

    def power_down(self) -> None:
        """Power off (vpcd POWER_OFF; SCARD_UNPOWER_CARD): everything opened closes, the
        selection goes, the counters stay. Commands are refused until `power_up`."""
        with self._lock:
            self._lose_power()
            self.events.append("power_down")

    def power_up(self) -> None:
        """Power on (vpcd POWER_ON). A reader powering a card that had power cut it first, so
        this is always a cold start."""
        with self._lock:
            self._lose_power()
            self._powered = True
            self._just_powered = True
            self.events.append("power_up")

    def close(self) -> None:
        """The end of a card session, as PcscTransport.close ends it: powered down, so nothing
        stays open; the next session powers it up again."""
        if not self._removed:
            self.power_down()

    def power_cycle(self) -> None:
        """Down and up again (SCardReconnect with SCARD_UNPOWER_CARD)."""
        self.power_down()
        self.power_up()

    def remove(self) -> None:
        """Take the card out of the field: power goes with it, and every later transmit raises
        CardRemovedError."""
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

    # --- Transport ------------------------------------------------------------------------------
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
            self.commands.append(self._loggable(apdu))
            reply = self._lost_answer() or self._process(apdu)
        delay_s = self.quirks.slow_ms / 1000
        if self.quirks.kbps:
            delay_s += (len(apdu) + len(reply)) * 8 / (self.quirks.kbps * 1000)
        if delay_s:
            time.sleep(delay_s)
        return reply

    def _loggable(self, apdu: bytes) -> bytes:
        if len(apdu) <= 5 or apdu[1] not in self.REDACTED_INS:
            return bytes(apdu)
        lc_size = 3 if apdu[4] == 0 and len(apdu) > 7 else 1  # extended Lc is 00 LL LL
        return bytes(apdu[:4 + lc_size])

    def _lost_answer(self) -> bytes | None:
        """A status word for a command that has no effect on the card, or None."""
        just_powered, self._just_powered = self._just_powered, False
        if self.exchanges == self.quirks.transient_at:
            return answer(b"", self.quirks.transient_sw)
        if just_powered and self.quirks.power_up_6f00:
            return answer(b"", SW.NO_PRECISE_DIAGNOSIS)
        return None

    def _process(self, apdu: bytes) -> bytes:
        try:
            command = CommandAPDU.from_bytes(apdu)
        except MalformedAPDU:
            self._pending = None
            return answer(b"", SW.WRONG_LENGTH)
        if self.quirks.t0 and command.ins == GET_RESPONSE_INS and command.cla == iso.CLA:
            return self._get_response(command)
        self._pending = None
        # some T=1 readers refuse extended lengths; T=0 carries none at all
        refused = self.quirks.no_extended or (self.quirks.t0 and self.T0_REFUSES_EXTENDED)
        if refused and command.is_extended:
            return answer(b"", SW.WRONG_LENGTH)
        hostile = self._hostile_answer(command)
        if hostile is not None:
            return hostile
        data, sw = self._os.process(command)
        if self.quirks.t0 and data:
            self._pending = (data, sw)
            return answer(b"", SW.MORE_DATA | (min(len(data), MAX_SHORT) % MAX_SHORT))
        return answer(data, sw)

    def _hostile_answer(self, command: CommandAPDU) -> bytes | None:
        """What a chip built to pass for another answers instead of its OS; None: nothing."""
        return None

    def _get_response(self, command: CommandAPDU) -> bytes:
        pending, self._pending = self._pending, None
        if pending is None:
            return answer(b"", SW.CONDITIONS_NOT_SATISFIED)
        if (command.p1, command.p2) != (0, 0):
            self._pending = pending
            return answer(b"", SW.INCORRECT_P1P2)
        data, sw = pending
        size = command.le or MAX_SHORT
        chunk, rest = data[:size], data[size:]
        if rest:
            self._pending = (rest, sw)
            return answer(chunk, SW.MORE_DATA | (min(len(rest), MAX_SHORT) % MAX_SHORT))
        return answer(chunk, sw)

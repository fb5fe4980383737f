"""SimulatedCard: a Transport over the card OS, with the reader quirks of `testcards.quirks`.

Power behaves as in the field (card-spec 7): a verified key stays open through a warm reset and
closes only when power goes (`power_down`, or `remove` from the field). A new card counts as
just powered up, the way a reader hands it over.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import replace

from apdu.command import CommandAPDU
from apdu.errors import CardRemovedError, MalformedAPDU, UnresponsiveCardError
from apdu.status import SW
from apdu.transport import GET_RESPONSE_INS, TransportBase
from testcards.atr import contact_atr, contactless_atr
from testcards.cardos import CardOS, ChipSpec, FileSpec
from testcards.personas import Persona
from testcards.quirks import NO_QUIRKS, SILENT, Quirks
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.code_b import CodeB

MAX_SHORT = 256
#: What the card face claims to hold under the `dribble` quirk: close to the 64 KiB any
#: READ BINARY form can reach, far beyond any real card face.
DRIBBLE_CLAIMED = 0xFFF0
DRIBBLE_BYTES = 1

#: Key names of `tries_left`, and the key EFs they stand for.
KEY_REFERENCES = {"card_face_b": (p.AID_CARD_FACE, p.EF_CF_KEY_CODE_B),
                  "text_b": (p.AID_TEXT, p.EF_TX_KEY_CODE_B)}


def _loggable(apdu: bytes) -> bytes:
    """The command as recorded: VERIFY keeps its header and Lc, never the digits after them."""
    if apdu[1:2] != bytes((p.INS_VERIFY,)) or len(apdu) <= 5:
        return bytes(apdu)
    lc_size = 3 if apdu[4] == 0 and len(apdu) > 7 else 1  # extended Lc is 00 LL LL
    return bytes(apdu[:4 + lc_size])


def _answer(data: bytes, sw: int) -> bytes:
    return data + sw.to_bytes(2, "big")


def _claiming_large_face(chip: ChipSpec) -> ChipSpec:
    """The chip with its card face's outer object claiming DRIBBLE_CLAIMED bytes, and
    physically that long (FF after the real objects), so every offset up to it answers."""
    def inflate(file: FileSpec) -> FileSpec:
        if file.fid != p.EF_CF_FACE or file.data[2:3] != b"\x82":
            return file
        header = file.data[:2] + b"\x82" + DRIBBLE_CLAIMED.to_bytes(2, "big")
        body = file.data[len(header):]
        return replace(file, data=header + body.ljust(DRIBBLE_CLAIMED, b"\xff"))

    return replace(chip, apps=tuple(
        replace(app, files=tuple(map(inflate, app.files))) if app.aid == p.AID_CARD_FACE else app
        for app in chip.apps))


class SimulatedCard(TransportBase):
    """One simulated card in one reader. Its counters and session state are its own."""

    def __init__(self, chip: ChipSpec, *, persona: Persona, profile: str = "genuine",
                 quirks: Quirks = NO_QUIRKS,
                 random: Callable[[int], bytes] = os.urandom) -> None:
        self.profile = profile
        #: The persona as printed on this card's face (what a clerk types code B from).
        self.persona = persona
        self.quirks = quirks
        #: Physical exchanges so far (GET RESPONSE included).
        self.exchanges = 0
        #: Every command received, in order; VERIFY as header + Lc only (no code digits).
        self.commands: list[bytes] = []
        #: Power events in order ("power_up", "power_down", "warm_reset", "removed").
        self.events: list[str] = []
        if quirks.dribble:
            chip = _claiming_large_face(chip)
        self._os = CardOS(chip, no_sfi=quirks.no_sfi, wrong_le=quirks.wrong_le,
                          read_limit=DRIBBLE_BYTES if quirks.dribble else None, random=random)
        self._removed = False
        self._powered = True
        self._just_powered = True  # the next command is the first since a power-up
        self._pending: tuple[bytes, int] | None = None  # t0: data waiting for GET RESPONSE
        self._lock = threading.Lock()  # a bridge thread and a test may share one card

    # --- what a reader sees -------------------------------------------------------------------
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
    def code_b(self) -> CodeB:
        """The 照合番号B printed on this card (for tampered-birth and expired, the altered one)."""
        return self.persona.code_b

    @property
    def removed(self) -> bool:
        return self._removed

    @property
    def files_touched(self) -> list[tuple[bytes, int]]:
        """(AID, EF) of every EF selected or read, in order."""
        return list(self._os.touched)

    def tries_left(self, key: str) -> int:
        """Tries left of "card_face_b" or "text_b"."""
        return self._os.tries_left(*self._key_reference(key))

    def _key_reference(self, key: str) -> tuple[bytes, int]:
        if key not in KEY_REFERENCES:
            raise KeyError(f"no key {key!r}; valid: {', '.join(KEY_REFERENCES)}")
        if not self._os.has_key(*KEY_REFERENCES[key]):
            raise KeyError(f"this {self.profile} chip has no {key} key")
        return KEY_REFERENCES[key]

    @property
    def powered(self) -> bool:
        return self._powered

    def key_open(self, key: str) -> bool:
        """Whether "card_face_b" or "text_b" is verified (open) right now."""
        return self._os.verified(*self._key_reference(key))

    # --- what a reader does to the card -------------------------------------------------------
    def warm_reset(self) -> None:
        """Reset with power kept (vpcd RESET; SCARD_RESET_CARD): nothing stays selected, but
        verified keys stay open, as on the real card. A reader can only reset an unpowered
        card by powering it, so then this is a `power_up` (pcscd does send RESET to a card
        another connection powered down)."""
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
        """Power off (vpcd POWER_OFF; SCARD_UNPOWER_CARD): every key closes, the selection goes,
        the counters stay. Commands are refused until `power_up`."""
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
        """The end of a card session, as PcscTransport.close ends it: powered down, so no key
        stays open; the next session powers it up again."""
        if not self._removed:
            self.power_down()

    def power_cycle(self) -> None:
        """Down and up again (SCardReconnect with SCARD_UNPOWER_CARD): every key closes."""
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

    # --- Transport ----------------------------------------------------------------------------
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
        """A status word for a command that has no effect on the card, or None."""
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
        if self.quirks.t0 and command.ins == GET_RESPONSE_INS and command.cla == p.CLA:
            return self._get_response(command)
        self._pending = None
        if self.quirks.no_extended and command.is_extended:
            return _answer(b"", SW.WRONG_LENGTH)
        hostile = self._hostile_answer(command)
        if hostile is not None:
            return hostile
        data, sw = self._os.process(command)
        if self.quirks.t0 and data:
            self._pending = (data, sw)
            return _answer(b"", SW.MORE_DATA | (min(len(data), MAX_SHORT) % MAX_SHORT))
        return _answer(data, sw)

    def _hostile_answer(self, command: CommandAPDU) -> bytes | None:
        """What a chip built to pass for another answers instead (quirks challenge=, tries=)."""
        if command.cla == p.CLA_PROPRIETARY and command.ins == p.INS_COMPUTE_SIGNATURE \
                and self.quirks.challenge_sw is not None:
            if self.quirks.challenge_sw == SILENT:
                raise UnresponsiveCardError("the simulated chip does not answer the challenge")
            return _answer(b"", self.quirks.challenge_sw)
        if command.ins == p.INS_VERIFY and not command.data and self.quirks.tries_sw is not None:
            return _answer(b"", self.quirks.tries_sw)
        return None

    def _get_response(self, command: CommandAPDU) -> bytes:
        pending, self._pending = self._pending, None
        if pending is None:
            return _answer(b"", SW.CONDITIONS_NOT_SATISFIED)
        if (command.p1, command.p2) != (0, 0):
            self._pending = pending
            return _answer(b"", SW.INCORRECT_P1P2)
        data, sw = pending
        chunk, rest = data[:command.le or MAX_SHORT], data[command.le or MAX_SHORT:]
        if rest:
            self._pending = (rest, sw)
            return _answer(chunk, SW.MORE_DATA | (min(len(rest), MAX_SHORT) % MAX_SHORT))
        return _answer(chunk, sw)

    def __repr__(self) -> str:
        return f"SimulatedCard({self.profile!r}, persona={self.persona.key!r})"

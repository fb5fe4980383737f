"""The card's read sequence over a Transport: fewest exchanges first, with remembered fallbacks.

One CardSession belongs to one card connection (rule 6). It tries the short-EF-id and
extended-length forms first and, when the card or reader refuses one, falls back and remembers
that for the rest of the session instead of failing twice per file. What the protocol already
rules out is never probed: no extended lengths on T=0, and a card that refuses the short-EF READ
is taken to refuse the short-EF VERIFY too. `Forms` can carry that knowledge from one card to
the next on the same reader (the same ATR): a form, never card data.

Idempotent commands (SELECT, READ BINARY, the empty tries query) answered with a transient
status word (6F00 and the like, `StatusWord.transient`) are sent once more; a VERIFY with digits
and the chip challenge are never resent.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from apdu import iso
from apdu.atr import UNKNOWN, CardCapabilities
from apdu.command import CommandAPDU
from apdu.response import ResponseAPDU, StatusWord
from apdu.status import SW
from apdu.transport import Transport, exchange
from verifier.card.limits import MAX_FILE_BYTES
from verifier.card.tlv import total_length
from verifier.errors import MalformedData, VerifierError

log = logging.getLogger(__name__)

SHORT_CHUNK = 256
MAX_OFFSET = 0x7FFF  # READ BINARY's P1-P2 offset
HEADER_PROBE = 8  # enough for any tag (3 B) and length (4 B) the card uses


def refuses_short_ef(sw: StatusWord) -> bool:
    """Whether an answer (with no data) to a short-EF-id command says the card does not take
    that form. It may say so plainly (`refused_form`), or read the P1/P2 bits that carry the
    short EF id as something else: a file or key reference it does not have (6A82, 6A88), or
    an offset past the end (6B00). Falling back to SELECT EF costs one exchange; a genuine
    file or key missing is then reported by the SELECT."""
    return sw.refused_form or sw.not_found or sw.value == SW.WRONG_P1P2


#: The answers to the tries query that say the key is blocked (card-spec 3, 7): 6984 for every
#: attempt after the counter ran out, 63C0 from the attempt that exhausted it.
BLOCKED_ANSWERS = frozenset({SW.REFERENCE_DATA_UNUSABLE, SW.RETRIES})


class ForbiddenFileError(VerifierError):
    """This project never reads that file (rule 1: no 個人番号)."""


class ReadError(VerifierError):
    """The card refused to give a file."""

    def __init__(self, ef: int, sw: StatusWord) -> None:
        super().__init__(f"EF {ef:04X} could not be read: SW {sw}")
        self.sw = sw


class TooManyExchangesError(VerifierError):
    """The card handed out a file in more pieces than any genuine card needs."""


@dataclass
class Forms:
    """What this reader and card accept; None: not yet tried."""

    sfi_read: bool | None = None
    sfi_verify: bool | None = None
    extended: bool | None = None
    #: a document's own record of forms, by document name (one that reads with its own
    #: protocol, as the residence card's secure messaging does)
    others: dict[str, Any] = field(default_factory=dict)


def exchange_cap(ef_max_bytes: int) -> int:
    """Exchanges allowed for one file: every 256-byte chunk of its largest legal size, plus
    room for the header probe, the SELECT, one resend and a wrong-length answer."""
    return -(-ef_max_bytes // SHORT_CHUNK) + 6


class KeyState(enum.Enum):
    VERIFIED = "verified"  # the key is already open in this card session
    BLOCKED = "blocked"
    UNKNOWN = "unknown"  # the card answered something no genuine card does


class CardSession:
    def __init__(self, transport: Transport, *, forms: Forms | None = None,
                 t0: bool = False, capabilities: CardCapabilities = UNKNOWN) -> None:
        self._transport = transport
        self._forbidden: dict[bytes, frozenset[int]] = {}
        # Readers and cards differ per form, so each is kept; shared with the caller's Forms.
        self.forms = forms if forms is not None else Forms()
        # What pcscd already said is not probed for: T=0 carries no extended lengths, and an
        # ATR may state that the card takes no short EF ids (the reader may still refuse
        # extended lengths the card takes, so only a "no" is believed before trying).
        if t0 or capabilities.extended_length is False:
            self.forms.extended = False
        if capabilities.short_ef is False and self.forms.sfi_read is None:
            self.forms.sfi_read = self.forms.sfi_verify = False
        self._ap: bytes | None = None
        self._selected_ef: int | None = None
        self._file_exchanges = 0
        self._file_cap = exchange_cap(MAX_FILE_BYTES)
        self._file_max = MAX_FILE_BYTES

    def forbid(self, files: Mapping[bytes, frozenset[int]]) -> None:
        """Files of each application this session must never select or read (a document's
        rule 1: no 個人番号), refused before anything is sent."""
        for aid, efs in files.items():
            self._forbidden[aid] = self._forbidden.get(aid, frozenset()) | efs

    def restarted(self) -> None:
        """Nothing is selected any more: the card was powered down and up, or another
        document's application was asked for in between (the counter's recognition)."""
        self._ap = None
        self._selected_ef = None

    # --- applications -------------------------------------------------------------------------
    def select_ap(self, aid: bytes) -> StatusWord:
        command = CommandAPDU(iso.CLA, iso.INS_SELECT, iso.SELECT_BY_DF_NAME, iso.SELECT_NO_FCI,
                              aid)
        sw = self._send_again_if_transient(command).sw
        self._ap = aid if sw.ok else None
        self._selected_ef = None
        return sw

    def _select_ef(self, ef: int) -> StatusWord:
        self._guard(ef)
        command = CommandAPDU(iso.CLA, iso.INS_SELECT, iso.SELECT_EF_UNDER_DF, iso.SELECT_NO_FCI,
                              ef.to_bytes(2, "big"))
        sw = self._send_again_if_transient(command).sw
        self._selected_ef = ef if sw.ok else None
        return sw

    def _guard(self, ef: int) -> None:
        if self._ap is not None and ef in self._forbidden.get(self._ap, frozenset()):
            raise ForbiddenFileError(f"EF {ef:04X} of this AP is never touched")

    # --- reading ------------------------------------------------------------------------------
    def read_file(self, ef: int, *, padded: bool = False,
                  max_bytes: int = MAX_FILE_BYTES) -> bytes:
        """The first TLV of the file (its filler cut off), in as few exchanges as allowed.

        `padded`: the file holds much filler after its TLV (the card face, whose physical size
        is fixed). Its header is read first and then exactly the rest, one exchange more but
        kilobytes less over a contactless link.
        """
        self._guard(ef)
        self._file_exchanges = 0
        self._file_cap = exchange_cap(max_bytes)
        self._file_max = max_bytes
        first: ResponseAPDU | None = None
        if self.forms.sfi_read is not False and ef <= 0x1F:
            first = self._read_first(ef, padded=padded, sfi=True)
        if first is None:
            sw = self._select_ef(ef)
            if not sw.ok:
                raise ReadError(ef, sw)
            first = self._read_first(ef, padded=padded, sfi=False)
            if first is None:
                raise ReadError(ef, StatusWord.of(SW.WRONG_LENGTH))
        return self._read_rest(ef, first)

    def _read_first(self, ef: int, *, padded: bool, sfi: bool) -> ResponseAPDU | None:
        """The read at offset 0; None when the card refuses the short-EF-id form."""
        whole = not padded and self.forms.extended is not False
        le = MAX_FILE_BYTES if whole else SHORT_CHUNK
        p1 = iso.SFI_FLAG | ef if sfi else 0
        while True:
            response = self._read(CommandAPDU(iso.CLA, iso.INS_READ_BINARY, p1, 0, le=le,
                                              extended=le > SHORT_CHUNK))
            if response.sw.value != SW.WRONG_LENGTH or response.data:
                break
            if le > SHORT_CHUNK:
                self.forms.extended = False
                log.debug("extended Le refused; short reads from now on")
                le = SHORT_CHUNK
            elif le != HEADER_PROBE:
                le = HEADER_PROBE  # a card that wants an exact Le without saying which
            else:
                break
        if sfi and refuses_short_ef(response.sw) and not response.data:
            self.forms.sfi_read = False
            self.forms.sfi_verify = False  # the same card OS refuses the same addressing
            log.debug("short EF id refused (SW %s); SELECT EF from now on", response.sw)
            return None
        if not (response.sw.ok or response.sw.end_of_file) or not response.data:
            raise ReadError(ef, response.sw)
        if sfi:
            self.forms.sfi_read = True
            # A short-EF-id read makes the file the current EF (ISO 7816-4 7.2.2).
            self._selected_ef = ef
        if le > SHORT_CHUNK:
            self.forms.extended = True
        return response

    def _read_rest(self, ef: int, first: ResponseAPDU) -> bytes:
        data = first.data
        wanted = self._claimed(ef, data)
        ended = first.sw.end_of_file
        while not ended and (wanted is None or len(data) < wanted):
            offset = len(data)
            if offset > MAX_FILE_BYTES:
                raise MalformedData(f"EF {ef:04X} is larger than any file on this card")
            if offset > MAX_OFFSET:
                # P1-P2 address 15 bits: a masked offset would silently read the start again
                raise TooManyExchangesError(f"EF {ef:04X} goes on past offset {MAX_OFFSET:#x}")
            limit = MAX_FILE_BYTES if self.forms.extended is not False else SHORT_CHUNK
            le = limit if wanted is None else min(limit, wanted - offset)
            response = self._read(CommandAPDU(iso.CLA, iso.INS_READ_BINARY, offset >> 8 & 0x7F,
                                              offset & 0xFF, le=le, extended=le > SHORT_CHUNK))
            if response.sw.value == SW.WRONG_LENGTH and le > SHORT_CHUNK and not response.data:
                self.forms.extended = False
                log.debug("extended Le refused; short reads from now on")
                continue
            if not response.data:
                if response.sw.end_of_file:
                    break
                raise ReadError(ef, response.sw)
            if not (response.sw.ok or response.sw.end_of_file):
                raise ReadError(ef, response.sw)
            if le > SHORT_CHUNK:
                self.forms.extended = True
            data += response.data
            ended = response.sw.end_of_file
            if wanted is None:
                wanted = self._claimed(ef, data)
        return self._trim(data)

    def _claimed(self, ef: int, data: bytes) -> int | None:
        """The size the file's header claims; more than the file can legally hold is data no
        genuine card has, delivered with 9000 (evidence, not a fault)."""
        wanted = total_length(data)
        if wanted is not None and wanted > self._file_max:
            raise MalformedData(f"EF {ef:04X} claims {wanted} bytes; it holds at most "
                                f"{self._file_max}")
        return wanted

    @staticmethod
    def _trim(data: bytes) -> bytes:
        length = total_length(data)
        if length is None or length > len(data):
            return data  # let the record parser name what is wrong
        return data[:length]

    def _read(self, command: CommandAPDU) -> ResponseAPDU:
        """One READ BINARY of the current file, within the file's exchange cap: a card that
        dribbles a file byte by byte would otherwise hold the counter for minutes."""
        self._file_exchanges += 1
        if self._file_exchanges > self._file_cap:
            raise TooManyExchangesError(f"more than {self._file_cap} exchanges for one file")
        return self._send_again_if_transient(command)

    # --- 照合番号B ------------------------------------------------------------------------------
    def query_tries(self, key_ef: int) -> int | KeyState:
        """Tries left, without spending one (VERIFY with no data)."""
        sw = self._verify(key_ef, b"")
        if sw.transient:
            sw = self._verify(key_ef, b"")  # no digits: asking again spends nothing
        if sw.ok:
            return KeyState.VERIFIED
        if sw.value in BLOCKED_ANSWERS:
            return KeyState.BLOCKED
        if sw.retries_left is not None:
            return sw.retries_left
        # refused (6A8x, 6Dxx), or 6983 and the like: no count, and no claim of a lock a
        # clerk should send the customer to city hall for
        return KeyState.UNKNOWN

    def verify_code(self, key_ef: int, digits: bytes) -> StatusWord:
        """One VERIFY, in the form the tries query just used: never a second form after the
        digits were sent (two forms would be two tries for one confirm). Callers decide
        whether a try may be spent; this never retries."""
        if not digits:
            raise ValueError("a VERIFY with no data is the tries query, not a code")
        return self._verify(key_ef, digits, probe=False)

    def _verify(self, key_ef: int, data: bytes, *, probe: bool = True) -> StatusWord:
        self._guard(key_ef)
        if self.forms.sfi_verify is not False and key_ef <= 0x1F:
            command = CommandAPDU(iso.CLA, iso.INS_VERIFY, 0, iso.SFI_FLAG | key_ef, data)
            sw = self._send(command).sw
            if not probe or not refuses_short_ef(sw):
                if not refuses_short_ef(sw):
                    self.forms.sfi_verify = True
                return sw
            self.forms.sfi_verify = False
            log.debug("short-EF VERIFY refused (SW %s); SELECT EF from now on", sw)
        if self._selected_ef != key_ef:
            sw = self._select_ef(key_ef)
            if not sw.ok:
                return sw
        return self._send(CommandAPDU(iso.CLA, iso.INS_VERIFY, 0, iso.VERIFY_P2_SELECTED, data)).sw

    # --- the chip's own key -------------------------------------------------------------------
    def send(self, command: CommandAPDU) -> ResponseAPDU:
        """One command of the document's own (a challenge, a MUTUAL AUTHENTICATE), sent once
        and logged without its data."""
        return self._send(command)

    def _send_again_if_transient(self, command: CommandAPDU) -> ResponseAPDU:
        """For idempotent commands only: a transient answer is worth one more ask."""
        response = self._send(command)
        if response.sw.transient and not response.data:
            log.debug("transient SW %s; sent once more", response.sw)
            response = self._send(command)
        return response

    def _send(self, command: CommandAPDU) -> ResponseAPDU:
        response = exchange(self._transport, command)
        if command.ins == iso.INS_VERIFY:
            # The header only: code B digits never reach a log (rule 2).
            log.debug("VERIFY %02X%02X -> %s", command.p1, command.p2, response.sw)
        else:
            log.debug("%02X %02X %02X %02X -> %s, %d bytes", command.cla, command.ins,
                      command.p1, command.p2, response.sw, len(response.data))
        return response

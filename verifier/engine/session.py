"""The card's read sequence over a Transport: fewest exchanges first, with remembered fallbacks.

One CardSession belongs to one card connection (rule 6). It tries the short-EF-id and
extended-length forms first and, when the card or reader refuses one, falls back and remembers
that for the rest of the session instead of failing twice per file.
"""

from __future__ import annotations

import enum
import logging

from apdu.command import CommandAPDU
from apdu.response import ResponseAPDU, StatusWord
from apdu.transport import Transport, exchange
from verifier.card import constants as p
from verifier.card.crypto import digest_info_sha256
from verifier.card.tlv import total_length
from verifier.errors import MalformedData, VerifierError

log = logging.getLogger(__name__)

SHORT_CHUNK = 256
HEADER_PROBE = 8  # enough for any tag (3 B) and length (4 B) the card uses
WRONG_LENGTH = 0x6700
SFI_REFUSALS = frozenset({0x6A81, 0x6A86, 0x6A88, 0x6A82, 0x6B00, 0x6D00, 0x6E00})


class ForbiddenFileError(VerifierError):
    """This project never reads that file (rule 1: no 個人番号)."""


class ReadError(VerifierError):
    """The card refused to give a file."""

    def __init__(self, ef: int, sw: StatusWord) -> None:
        super().__init__(f"EF {ef:04X} could not be read: SW {sw}")
        self.sw = sw


class KeyState(enum.Enum):
    VERIFIED = "verified"  # the key is already open in this card session
    BLOCKED = "blocked"
    UNKNOWN = "unknown"  # the card answered something no genuine card does


class CardSession:
    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        # None: not yet tried on this card. Readers and cards differ per form, so each is kept.
        self._sfi_read_ok: bool | None = None
        self._sfi_verify_ok: bool | None = None
        self._extended_ok: bool | None = None
        self._ap: bytes | None = None
        self._selected_ef: int | None = None

    # --- applications -------------------------------------------------------------------------
    def select_ap(self, aid: bytes) -> StatusWord:
        command = CommandAPDU(p.CLA, p.INS_SELECT, p.SELECT_BY_DF_NAME, p.SELECT_NO_FCI, aid)
        sw = self._send(command).sw
        self._ap = aid if sw.ok else None
        self._selected_ef = None
        return sw

    def _select_ef(self, ef: int) -> StatusWord:
        self._guard(ef)
        command = CommandAPDU(p.CLA, p.INS_SELECT, p.SELECT_EF_UNDER_DF, p.SELECT_NO_FCI,
                              ef.to_bytes(2, "big"))
        sw = self._send(command).sw
        self._selected_ef = ef if sw.ok else None
        return sw

    def _guard(self, ef: int) -> None:
        if self._ap is not None and ef in p.FORBIDDEN_EFS.get(self._ap, set()):
            raise ForbiddenFileError(f"EF {ef:04X} of this AP is never touched")

    # --- reading ------------------------------------------------------------------------------
    def read_file(self, ef: int, *, padded: bool = False) -> bytes:
        """The first TLV of the file (its filler cut off), in as few exchanges as allowed.

        `padded`: the file holds much filler after its TLV (the card face, whose physical size
        is fixed). Its header is read first and then exactly the rest, one exchange more but
        kilobytes less over a contactless link.
        """
        self._guard(ef)
        first: ResponseAPDU | None = None
        if self._sfi_read_ok is not False and ef <= 0x1F:
            first = self._read_first(ef, padded=padded, sfi=True)
        if first is None:
            sw = self._select_ef(ef)
            if not sw.ok:
                raise ReadError(ef, sw)
            first = self._read_first(ef, padded=padded, sfi=False)
            if first is None:
                raise ReadError(ef, StatusWord.of(WRONG_LENGTH))
        return self._read_rest(ef, first)

    def _read_first(self, ef: int, *, padded: bool, sfi: bool) -> ResponseAPDU | None:
        """The read at offset 0; None when the card refuses the short-EF-id form."""
        whole = not padded and self._extended_ok is not False
        le = p.MAX_FILE_BYTES if whole else SHORT_CHUNK
        p1 = p.SFI_FLAG | ef if sfi else 0
        while True:
            response = self._send(CommandAPDU(p.CLA, p.INS_READ_BINARY, p1, 0, le=le,
                                              extended=le > SHORT_CHUNK))
            if response.sw.value != WRONG_LENGTH or response.data:
                break
            if le > SHORT_CHUNK:
                self._extended_ok = False
                log.debug("extended Le refused; short reads from now on")
                le = SHORT_CHUNK
            elif le != HEADER_PROBE:
                le = HEADER_PROBE  # a card that wants an exact Le without saying which
            else:
                break
        if sfi and response.sw.value in SFI_REFUSALS and not response.data:
            self._sfi_read_ok = False
            log.debug("short EF id refused (SW %s); SELECT EF from now on", response.sw)
            return None
        if not (response.sw.ok or response.sw.end_of_file) or not response.data:
            raise ReadError(ef, response.sw)
        if sfi:
            self._sfi_read_ok = True
            # A short-EF-id read makes the file the current EF (ISO 7816-4 7.2.2).
            self._selected_ef = ef
        if le > SHORT_CHUNK:
            self._extended_ok = True
        return response

    def _read_rest(self, ef: int, first: ResponseAPDU) -> bytes:
        data = first.data
        wanted = total_length(data)
        ended = first.sw.end_of_file
        while not ended and (wanted is None or len(data) < wanted):
            offset = len(data)
            if offset > p.MAX_FILE_BYTES:
                raise MalformedData(f"EF {ef:04X} is larger than any file on this card")
            limit = p.MAX_FILE_BYTES if self._extended_ok is not False else SHORT_CHUNK
            le = limit if wanted is None else min(limit, wanted - offset)
            response = self._send(CommandAPDU(p.CLA, p.INS_READ_BINARY, offset >> 8 & 0x7F,
                                              offset & 0xFF, le=le, extended=le > SHORT_CHUNK))
            if response.sw.value == WRONG_LENGTH and le > SHORT_CHUNK and not response.data:
                self._extended_ok = False
                log.debug("extended Le refused; short reads from now on")
                continue
            if not response.data:
                if response.sw.end_of_file:
                    break
                raise ReadError(ef, response.sw)
            if not (response.sw.ok or response.sw.end_of_file):
                raise ReadError(ef, response.sw)
            if le > SHORT_CHUNK:
                self._extended_ok = True
            data += response.data
            ended = response.sw.end_of_file
            if wanted is None:
                wanted = total_length(data)
        return self._trim(data)

    @staticmethod
    def _trim(data: bytes) -> bytes:
        length = total_length(data)
        if length is None or length > len(data):
            return data  # let the record parser name what is wrong
        return data[:length]

    # --- 照合番号B ------------------------------------------------------------------------------
    def query_tries(self, key_ef: int) -> int | KeyState:
        """Tries left, without spending one (VERIFY with no data)."""
        sw = self._verify(key_ef, b"")
        if sw.ok:
            return KeyState.VERIFIED
        if sw.blocked:
            return KeyState.BLOCKED
        if sw.retries_left is not None:
            return sw.retries_left
        return KeyState.UNKNOWN

    def verify_code(self, key_ef: int, digits: bytes) -> StatusWord:
        """One VERIFY. Callers decide whether a try may be spent; this never retries."""
        if len(digits) != p.CODE_B_LENGTH:
            raise ValueError("code B must be 14 digits")
        return self._verify(key_ef, digits)

    def _verify(self, key_ef: int, data: bytes) -> StatusWord:
        self._guard(key_ef)
        if self._sfi_verify_ok is not False and key_ef <= 0x1F:
            command = CommandAPDU(p.CLA, p.INS_VERIFY, 0, p.SFI_FLAG | key_ef, data)
            sw = self._send(command).sw
            if sw.value not in SFI_REFUSALS:
                self._sfi_verify_ok = True
                return sw
            self._sfi_verify_ok = False
            log.debug("short-EF VERIFY refused (SW %s); SELECT EF from now on", sw)
        if self._selected_ef != key_ef:
            sw = self._select_ef(key_ef)
            if not sw.ok:
                return sw
        return self._send(CommandAPDU(p.CLA, p.INS_VERIFY, 0, p.VERIFY_P2_SELECTED, data)).sw

    # --- the chip's own key -------------------------------------------------------------------
    def sign_challenge(self, challenge: bytes) -> ResponseAPDU:
        command = CommandAPDU(p.CLA_PROPRIETARY, p.INS_COMPUTE_SIGNATURE, p.COMPUTE_SIGNATURE_P1,
                              p.COMPUTE_SIGNATURE_P2, digest_info_sha256(challenge),
                              le=p.RSA_BYTES)
        return self._send(command)

    def _send(self, command: CommandAPDU) -> ResponseAPDU:
        response = exchange(self._transport, command)
        if command.ins == p.INS_VERIFY:
            # The header only: code B digits never reach a log (rule 2).
            log.debug("VERIFY %02X%02X -> %s", command.p1, command.p2, response.sw)
        else:
            log.debug("%02X %02X %02X %02X -> %s, %d bytes", command.cla, command.ins,
                      command.p1, command.p2, response.sw, len(response.data))
        return response

"""The card operating system of a simulated residence chip (in the style of testcards/cardos.py):
an INS dispatch table, handlers that return data or raise a status word, the secure messaging
with real cryptography keyed by the card number, and per-card state.

What the chip holds is an immutable `ResidenceChip`, built once per profile and persona; what
changes in use — the selection, the pending challenge, the session key, whether the number was
verified — lives in one `ResidenceCardOS` per card, and goes with the power.
"""

from __future__ import annotations

import enum
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from apdu.command import EXTENDED_MAX_LE, CommandAPDU
from apdu.status import SW
from testcards.cardos import CardStatusError
from testcards.residence import sm
from verifier.documents.residence import constants as c
from verifier.documents.residence.tlv import encode

SM_DATA_OBJECTS_INCORRECT = 0x6988
Answer = tuple[bytes, int]
Handler = Callable[[CommandAPDU], Answer]


class Access(enum.Enum):
    FREE = "free"  # MF files
    NUMBER = "number"  # after the card-number VERIFY, plain (DF2, DF3)
    NUMBER_SM = "number+sm"  # after the VERIFY, under secure messaging only (DF1)


@dataclass(frozen=True)
class EfSpec:
    sfi: int
    fid: int
    data: bytes
    access: Access

    def __repr__(self) -> str:
        return f"EfSpec({self.sfi:02X}, {len(self.data)} bytes, {self.access.value})"


@dataclass(frozen=True)
class DfSpec:
    aid: bytes
    files: tuple[EfSpec, ...]


@dataclass(frozen=True)
class ResidenceChip:
    """Everything one chip holds. `number`: the 12 ASCII bytes its key is made from (None: a
    chip with no residence application to open). `aes`: second generation."""

    mf_files: tuple[EfSpec, ...] = ()
    dfs: tuple[DfSpec, ...] = ()
    number: bytes | None = None
    aes: bool = True

    def __repr__(self) -> str:
        return f"ResidenceChip({len(self.mf_files)} MF files, {len(self.dfs)} DFs)"


@dataclass
class _Session:
    key: bytes
    verified: bool = False


@dataclass
class _State:
    df: bytes | None = None  # None: the MF
    ef: EfSpec | None = None
    challenge: bytes | None = None  # valid for the next command only
    session: _Session | None = None
    touched: list[tuple[bytes | None, int]] = field(default_factory=list)


class ResidenceCardOS:
    """One residence chip's behaviour: `process(command)` → (response data, status word)."""

    def __init__(self, chip: ResidenceChip, *, no_sfi: bool = False, wrong_le: bool = False,
                 random: Callable[[int], bytes] = os.urandom) -> None:
        self._chip = chip
        self._no_sfi = no_sfi
        self._wrong_le = wrong_le
        self._random = random
        self._dfs = {df.aid: df for df in chip.dfs}
        self._state = _State()
        #: Counts a test can read: every VERIFY and MUTUAL AUTHENTICATE the chip received.
        self.verify_count = 0
        self.authenticate_count = 0
        self._handlers: dict[tuple[int, int], Handler] = {
            (c.CLA, c.INS_SELECT): self._select,
            (c.CLA, c.INS_READ_BINARY): self._read_plain,
            (c.CLA_SM, c.INS_READ_BINARY): self._read_sm,
            (c.CLA, c.INS_GET_CHALLENGE): self._get_challenge,
            (c.CLA, c.INS_MUTUAL_AUTHENTICATE): self._mutual_authenticate,
            (c.CLA_SM, c.INS_VERIFY): self._verify,
        }

    # --- state seen from outside ------------------------------------------------------------------
    @property
    def touched(self) -> list[tuple[bytes | None, int]]:
        """(DF AID or None for the MF, file id) of every EF selected or read, in order."""
        return self._state.touched

    @property
    def verified(self) -> bool:
        session = self._state.session
        return session is not None and session.verified

    def warm_reset(self) -> None:
        """The selection and a pending challenge go; the secure session, like a verified key
        on the My Number Card, lives as long as power does."""
        self._state.df = None
        self._state.ef = None
        self._state.challenge = None

    def power_down(self) -> None:
        self.warm_reset()
        self._state.session = None

    # --- dispatch -------------------------------------------------------------------------------
    def process(self, command: CommandAPDU) -> Answer:
        handler = self._handlers.get((command.cla, command.ins))
        challenge, self._state.challenge = self._state.challenge, None
        if handler is None:
            known_ins = {ins for _, ins in self._handlers}
            return b"", SW.CLA_NOT_SUPPORTED if command.ins in known_ins else SW.INS_NOT_SUPPORTED
        try:
            if command.ins == c.INS_MUTUAL_AUTHENTICATE:
                return self._mutual_authenticate(command, challenge)
            return handler(command)
        except CardStatusError as error:
            return b"", error.sw

    # --- SELECT ---------------------------------------------------------------------------------
    def _select(self, command: CommandAPDU) -> Answer:
        if command.p1 == c.SELECT_MF:
            if command.data not in (b"", c.MF_FILE_ID) or command.p2 not in (
                    c.SELECT_NO_FCI, c.SELECT_WITH_FCI):
                raise CardStatusError(SW.INCORRECT_P1P2)
            self._state.df, self._state.ef = None, None
            return b"", SW.OK
        if command.p2 != c.SELECT_NO_FCI:
            raise CardStatusError(SW.INCORRECT_P1P2)
        if command.p1 == c.SELECT_DF_NAME:
            if command.data not in self._dfs:
                raise CardStatusError(SW.FILE_NOT_FOUND)
            self._state.df, self._state.ef = command.data, None
            return b"", SW.OK
        if command.p1 == c.SELECT_EF:
            if len(command.data) != 2:
                raise CardStatusError(SW.WRONG_LENGTH)
            fid = int.from_bytes(command.data, "big")
            self._state.ef = self._find(lambda ef: ef.fid == fid)
            return b"", SW.OK
        raise CardStatusError(SW.INCORRECT_P1P2)

    def _files(self) -> tuple[EfSpec, ...]:
        if self._state.df is None:
            return self._chip.mf_files
        return self._dfs[self._state.df].files

    def _find(self, match: Callable[[EfSpec], bool]) -> EfSpec:
        found = next((ef for ef in self._files() if match(ef)), None)
        if found is None:
            raise CardStatusError(SW.FILE_NOT_FOUND)
        self._state.touched.append((self._state.df, found.fid))
        return found

    # --- READ BINARY ----------------------------------------------------------------------------
    def _target(self, command: CommandAPDU) -> tuple[EfSpec, int]:
        """The file and offset P1-P2 name: a short EF id (and P2 the offset), or the current
        EF and a 15-bit offset."""
        if command.p1 & c.SFI_FLAG:
            if self._no_sfi:
                raise CardStatusError(SW.FUNCTION_NOT_SUPPORTED)
            if command.p1 & ~(c.SFI_FLAG | c.SFI_MASK):
                raise CardStatusError(SW.INCORRECT_P1P2)
            sfi = command.p1 & c.SFI_MASK
            self._state.ef = self._find(lambda ef: ef.sfi == sfi)
            return self._state.ef, command.p2
        if self._state.ef is None:
            raise CardStatusError(SW.COMMAND_NOT_ALLOWED)
        self._state.touched.append((self._state.df, self._state.ef.fid))
        return self._state.ef, command.p1 << 8 | command.p2

    def _allowed(self, ef: EfSpec, *, secure: bool) -> None:
        if ef.access is Access.FREE:
            return
        if not self.verified or (ef.access is Access.NUMBER_SM and not secure):
            raise CardStatusError(SW.SECURITY_NOT_SATISFIED)

    def _read_plain(self, command: CommandAPDU) -> Answer:
        if command.data or command.le is None:
            raise CardStatusError(SW.WRONG_LENGTH)
        ef, offset = self._target(command)
        self._allowed(ef, secure=False)
        left = len(ef.data) - offset
        if left <= 0:
            raise CardStatusError(SW.WRONG_P1P2)
        if command.le == EXTENDED_MAX_LE and command.is_extended:  # 00 00: the whole file
            return ef.data[offset:], SW.OK
        if command.le > left:
            if self._wrong_le and left <= 256:
                raise CardStatusError(SW.WRONG_LE | left % 256)
            return ef.data[offset:], SW.END_OF_FILE
        return ef.data[offset:offset + command.le], SW.OK

    def _read_sm(self, command: CommandAPDU) -> Answer:
        data = command.data
        if len(data) != 4 or data[:2] != bytes((c.TAG_SM_LE, 2)) or command.le is None:
            raise CardStatusError(SM_DATA_OBJECTS_INCORRECT)
        ef, offset = self._target(command)
        session = self._state.session
        if session is None or not session.verified:
            raise CardStatusError(SW.SECURITY_NOT_SATISFIED)
        left = len(ef.data) - offset
        if left <= 0:
            raise CardStatusError(SW.WRONG_P1P2)
        wanted = int.from_bytes(data[2:], "big") or left  # 00 00: the whole file
        plain = ef.data[offset:offset + wanted]
        block = 16 if self._chip.aes else 8
        cryptogram = bytes((c.PADDING_INDICATOR,)) + sm.cbc(
            session.key, sm.iso_pad(plain, block), aes=self._chip.aes, encrypt=True)
        return encode(c.TAG_SM_CRYPTOGRAM, cryptogram), SW.OK

    # --- opening --------------------------------------------------------------------------------
    def _get_challenge(self, command: CommandAPDU) -> Answer:
        if (command.p1, command.p2) != (0, 0):
            raise CardStatusError(SW.INCORRECT_P1P2)
        if command.data or command.le != c.CHALLENGE_BYTES:
            raise CardStatusError(SW.WRONG_LENGTH)
        if self._chip.number is None:
            raise CardStatusError(SW.CONDITIONS_NOT_SATISFIED)
        challenge = self._random(c.CHALLENGE_BYTES)
        self._state.challenge = challenge
        return challenge, SW.OK

    def _mutual_authenticate(self, command: CommandAPDU,
                             challenge: bytes | None = None) -> Answer:
        self.authenticate_count += 1
        self._state.session = None  # a new authentication ends the old session
        if (command.p1, command.p2) != (0, 0):
            raise CardStatusError(SW.INCORRECT_P1P2)
        if len(command.data) != c.AUTH_DATA_BYTES:
            raise CardStatusError(SW.WRONG_LENGTH)
        number = self._chip.number
        if challenge is None or number is None:
            raise CardStatusError(SW.CONDITIONS_NOT_SATISFIED)
        aes = self._chip.aes
        key = sm.card_key(number)
        e_ifd, m_ifd = command.data[:32], command.data[32:]
        if not hmac.compare_digest(sm.mac8(key, e_ifd, aes=aes), m_ifd):
            raise CardStatusError(SW.VERIFY_FAILED)  # the number's key does not match
        plain = sm.cbc(key, e_ifd, aes=aes, encrypt=False)
        rnd_ifd, rnd_icc, k_ifd = plain[:8], plain[8:16], plain[16:]
        if not hmac.compare_digest(rnd_icc, challenge):
            raise CardStatusError(SW.VERIFY_FAILED)
        k_icc = self._random(c.KEY_BYTES)
        e_icc = sm.cbc(key, challenge + rnd_ifd + k_icc, aes=aes, encrypt=True)
        self._state.session = _Session(sm.session_key(k_ifd, k_icc, aes=aes))
        return e_icc + sm.mac8(key, e_icc, aes=aes), SW.OK

    def _verify(self, command: CommandAPDU) -> Answer:
        self.verify_count += 1
        if (command.p1, command.p2) != (0, c.VERIFY_P2_NUMBER):
            raise CardStatusError(SW.INCORRECT_P1P2)
        session, number = self._state.session, self._chip.number
        if session is None or number is None:
            raise CardStatusError(SW.SECURITY_NOT_SATISFIED)
        data = command.data
        if len(data) != 19 or data[:3] != bytes((c.TAG_SM_CRYPTOGRAM, 17, c.PADDING_INDICATOR)):
            raise CardStatusError(SM_DATA_OBJECTS_INCORRECT)
        plain = sm.cbc(session.key, data[3:], aes=self._chip.aes, encrypt=False)
        session.verified = hmac.compare_digest(plain, number + c.NUMBER_PADDING)
        if not session.verified:
            raise CardStatusError(SW.VERIFY_FAILED)
        return b"", SW.OK

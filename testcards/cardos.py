"""The card operating system of a simulated My Number Card.

Structured like vsmartcard's vpicc: an INS dispatch table, handlers that return data or raise a
status-word error, and key references with their own retry counters. What the chip holds is an
immutable `ChipSpec` (built once per profile and persona); what changes during use — counters,
verified keys, the selected AP and EF — lives in one `CardOS` instance per card.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from asn1crypto import algos
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, utils

from apdu.command import CommandAPDU
from apdu.status import SW, with_retries
from testcards.keystore import private_key
from verifier.documents.my_number import constants as p

SIGN_INPUT_LEN = 51  # DER DigestInfo of a SHA-256 digest
SHA256_LEN = 32
SELECT_MF = 0x00
SFI_MASK = 0x1F
JUNK_SIZE = 65536


class CardStatusError(Exception):
    """A handler's answer that carries no data: the status word says what went wrong."""

    def __init__(self, sw: int) -> None:
        super().__init__(f"SW {sw:04X}")
        self.sw = sw


@dataclass(frozen=True)
class FileSpec:
    fid: int
    data: bytes
    #: Key EFs any one of which, once verified, opens the file; empty means free to read.
    opened_by: frozenset[int] = frozenset()


@dataclass(frozen=True)
class KeySpec:
    fid: int
    secret: bytes
    max_tries: int = p.CODE_B_MAX_TRIES
    tries: int = p.CODE_B_MAX_TRIES  # left at issuance (a profile may start lower)


@dataclass(frozen=True)
class AppSpec:
    aid: bytes
    files: tuple[FileSpec, ...] = ()
    keys: tuple[KeySpec, ...] = ()
    #: Test key COMPUTE DIGITAL SIGNATURE signs with (the chip key behind DF24), if any.
    signing_key: str | None = None


@dataclass(frozen=True)
class ChipSpec:
    apps: tuple[AppSpec, ...] = ()
    #: A "yes card": 9000 with junk bytes to every command.
    yes_card: bool = False


@dataclass
class _KeyState:
    tries: int
    verified: bool = False


Answer = tuple[bytes, int]
Handler = Callable[[CommandAPDU], Answer]


@lru_cache(maxsize=1)
def _junk() -> bytes:
    blocks = [hashlib.sha256(b"yes-card/%d" % i).digest() for i in range(JUNK_SIZE // 32)]
    return b"".join(blocks)


class CardOS:
    """One chip's behaviour: `process(command)` → (response data, status word)."""

    def __init__(self, chip: ChipSpec, *, no_sfi: bool = False, wrong_le: bool = False,
                 read_limit: int | None = None,
                 random: Callable[[int], bytes] = os.urandom) -> None:
        self._chip = chip
        self._no_sfi = no_sfi
        self._wrong_le = wrong_le
        #: At most this many bytes per READ BINARY, whatever Le asked (with 9000).
        self._read_limit = read_limit
        self._random = random
        self._apps = {app.aid: app for app in chip.apps}
        self._files = {(app.aid, f.fid): f for app in chip.apps for f in app.files}
        self._key_specs = {(app.aid, k.fid): k for app in chip.apps for k in app.keys}
        self._keys = {ref: _KeyState(spec.tries) for ref, spec in self._key_specs.items()}
        self._app: AppSpec | None = None
        self._ef: int | None = None
        #: (AID, EF) of every EF selected or read, in order: lets a test prove what was touched.
        self.touched: list[tuple[bytes, int]] = []
        self._handlers: dict[int, tuple[int, Handler]] = {
            p.INS_SELECT: (p.CLA, self._select),
            p.INS_READ_BINARY: (p.CLA, self._read_binary),
            p.INS_VERIFY: (p.CLA, self._verify),
            p.INS_COMPUTE_SIGNATURE: (p.CLA_PROPRIETARY, self._compute_signature),
            p.INS_GET_CHALLENGE: (p.CLA, self._get_challenge),
        }

    # --- state seen from outside --------------------------------------------------------------
    def warm_reset(self) -> None:
        """A warm reset deselects, but verified keys stay open: they live as long as power
        does (card-spec 7), so a reset by one program leaves the card open to the next."""
        self._app = None
        self._ef = None

    def power_down(self) -> None:
        """Power lost (unpowered by the reader, or out of the field): every key closes, the
        selection goes; counters are in EEPROM and stay."""
        for state in self._keys.values():
            state.verified = False
        self.warm_reset()

    def has_key(self, aid: bytes, key_fid: int) -> bool:
        return (aid, key_fid) in self._keys

    def tries_left(self, aid: bytes, key_fid: int) -> int:
        return self._keys[(aid, key_fid)].tries

    def verified(self, aid: bytes, key_fid: int) -> bool:
        return self._keys[(aid, key_fid)].verified

    # --- dispatch -----------------------------------------------------------------------------
    def process(self, command: CommandAPDU) -> Answer:
        if self._chip.yes_card:
            return _junk()[:command.le or 0], SW.OK
        if command.cla not in (p.CLA, p.CLA_PROPRIETARY):
            return b"", SW.CLA_NOT_SUPPORTED
        entry = self._handlers.get(command.ins)
        if entry is None:
            return b"", SW.INS_NOT_SUPPORTED
        cla, handler = entry
        if command.cla != cla:
            return b"", SW.CLA_NOT_SUPPORTED
        try:
            return handler(command)
        except CardStatusError as e:
            return b"", e.sw

    # --- SELECT -------------------------------------------------------------------------------
    def _select(self, command: CommandAPDU) -> Answer:
        if command.p2 != p.SELECT_NO_FCI:
            raise CardStatusError(SW.INCORRECT_P1P2)
        if command.p1 == p.SELECT_BY_DF_NAME:
            if not 1 <= len(command.data) <= 16:
                raise CardStatusError(SW.WRONG_LENGTH)
            app = self._apps.get(command.data)
            if app is None:
                raise CardStatusError(SW.FILE_NOT_FOUND)
            # Entering an AP closes what was opened in any other; its own keys stay open, also
            # after a warm reset deselected it (the card still has power).
            for (aid, _), state in self._keys.items():
                if aid != app.aid:
                    state.verified = False
            self._app, self._ef = app, None
            return b"", SW.OK
        if command.p1 == p.SELECT_EF_UNDER_DF:
            if len(command.data) != 2:
                raise CardStatusError(SW.WRONG_LENGTH)
            fid = int.from_bytes(command.data, "big")
            self._ef = self._find_ef(fid)
            return b"", SW.OK
        if command.p1 == SELECT_MF:
            # As the real card does once an AP is selected: 9000, and nothing changes.
            return b"", SW.OK
        raise CardStatusError(SW.INCORRECT_P1P2)

    def _find_ef(self, fid: int) -> int:
        if self._app is None:
            raise CardStatusError(SW.FILE_NOT_FOUND)
        ref = (self._app.aid, fid)
        if ref not in self._files and ref not in self._key_specs:
            raise CardStatusError(SW.FILE_NOT_FOUND)
        self.touched.append(ref)
        return fid

    # --- READ BINARY --------------------------------------------------------------------------
    def _read_binary(self, command: CommandAPDU) -> Answer:
        if command.data or command.le is None:
            raise CardStatusError(SW.WRONG_LENGTH)
        if command.p1 & p.SFI_FLAG:
            if self._no_sfi:
                raise CardStatusError(SW.FUNCTION_NOT_SUPPORTED)
            if command.p1 & ~(p.SFI_FLAG | SFI_MASK):
                raise CardStatusError(SW.INCORRECT_P1P2)
            self._ef = self._find_ef(command.p1 & SFI_MASK)
            offset = command.p2
        else:
            offset = command.p1 << 8 | command.p2
        file = self._current_file()
        aid = self._aid()
        self.touched.append((aid, file.fid))
        if file.opened_by and not any(self._is_verified(aid, key) for key in file.opened_by):
            raise CardStatusError(SW.SECURITY_NOT_SATISFIED)
        left = len(file.data) - offset
        if left <= 0:
            raise CardStatusError(SW.WRONG_P1P2)
        if command.le > left:
            if self._wrong_le and left <= 256:
                raise CardStatusError(SW.WRONG_LE | left % 256)
            if self._read_limit is None or left <= self._read_limit:
                return file.data[offset:], SW.END_OF_FILE
        size = min(command.le, self._read_limit or command.le)
        return file.data[offset:offset + size], SW.OK

    def _is_verified(self, aid: bytes, key_fid: int) -> bool:
        state = self._keys.get((aid, key_fid))
        return state is not None and state.verified

    def _aid(self) -> bytes:
        if self._app is None:
            raise CardStatusError(SW.COMMAND_NOT_ALLOWED)
        return self._app.aid

    def _current_file(self) -> FileSpec:
        if self._ef is None:
            raise CardStatusError(SW.COMMAND_NOT_ALLOWED)
        ref = (self._aid(), self._ef)
        file = self._files.get(ref)
        if file is None:
            raise CardStatusError(SW.INCOMPATIBLE_FILE)  # a key EF holds no readable data
        return file

    # --- VERIFY -------------------------------------------------------------------------------
    def _verify(self, command: CommandAPDU) -> Answer:
        if command.p1 != 0:
            raise CardStatusError(SW.INCORRECT_P1P2)
        if command.p2 == p.VERIFY_P2_SELECTED:
            fid = self._ef
        elif command.p2 & p.SFI_FLAG and not command.p2 & ~(p.SFI_FLAG | SFI_MASK):
            if self._no_sfi:
                raise CardStatusError(SW.FUNCTION_NOT_SUPPORTED)
            fid = command.p2 & SFI_MASK
        else:
            raise CardStatusError(SW.INCORRECT_P1P2)
        if self._app is None or fid is None or (self._app.aid, fid) not in self._key_specs:
            raise CardStatusError(SW.REFERENCE_NOT_FOUND)
        spec = self._key_specs[(self._app.aid, fid)]
        state = self._keys[(self._app.aid, fid)]
        if not command.data:  # a query: spends nothing
            if state.tries == 0:
                raise CardStatusError(SW.REFERENCE_DATA_UNUSABLE)
            if state.verified:
                return b"", SW.OK
            raise CardStatusError(with_retries(state.tries))
        if state.tries == 0:
            raise CardStatusError(SW.REFERENCE_DATA_UNUSABLE)
        if len(command.data) != len(spec.secret):
            raise CardStatusError(SW.WRONG_LENGTH)
        if hmac.compare_digest(command.data, spec.secret):
            state.tries, state.verified = spec.max_tries, True
            return b"", SW.OK
        state.tries -= 1
        state.verified = False
        raise CardStatusError(with_retries(state.tries))

    # --- COMPUTE DIGITAL SIGNATURE, GET CHALLENGE ---------------------------------------------
    def _compute_signature(self, command: CommandAPDU) -> Answer:
        if (command.p1, command.p2) != (p.COMPUTE_SIGNATURE_P1, p.COMPUTE_SIGNATURE_P2):
            raise CardStatusError(SW.INCORRECT_P1P2)
        if len(command.data) != SIGN_INPUT_LEN:
            raise CardStatusError(SW.WRONG_LENGTH)
        if self._app is None or self._app.signing_key is None:
            raise CardStatusError(SW.CONDITIONS_NOT_SATISFIED)
        digest = _sha256_digest_of(command.data)
        signature = private_key(self._app.signing_key).sign(
            digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
        return signature, SW.OK

    def _get_challenge(self, command: CommandAPDU) -> Answer:
        if (command.p1, command.p2) != (0, 0):
            raise CardStatusError(SW.INCORRECT_P1P2)
        if command.data or command.le is None:
            raise CardStatusError(SW.WRONG_LENGTH)
        return self._random(command.le), SW.OK


def _sha256_digest_of(info: bytes) -> bytes:
    """The digest of a strict DER SHA-256 DigestInfo, or 6A80."""
    try:
        parsed = algos.DigestInfo.load(info, strict=True)
        algorithm = parsed["digest_algorithm"]["algorithm"].native
        digest = parsed["digest"].native
    except (ValueError, TypeError, KeyError):
        raise CardStatusError(SW.WRONG_DATA) from None
    if algorithm != "sha256" or not isinstance(digest, bytes) or len(digest) != SHA256_LEN:
        raise CardStatusError(SW.WRONG_DATA)
    return digest

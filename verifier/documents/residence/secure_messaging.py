"""Opening the chip with the card number, and its secure messaging (spec 3): the terminal's side,
as pure functions over bytes. The protocol driver (reader.py) sends what these build.

1. GET CHALLENGE → RND.ICC, immediately before
2. MUTUAL AUTHENTICATE with E.IFD ‖ M.IFD, where E.IFD encrypts RND.IFD ‖ RND.ICC ‖ K.IFD under
   the base key from the number and M.IFD is its MAC; the chip answers E.ICC ‖ M.ICC. M.ICC is
   checked first, then E.ICC is decrypted and both nonces must come back in place.
3. KSenc from K.IFD xor K.ICC; VERIFY the number under it (sent once, never again).
4. SM READ BINARY: `86 L 01 <ciphertext>` back, decrypted under KSenc (IV 0), padding removed.

What the spec leaves open and the choice made here (docs: the module and the report):

- The answer to an SM READ BINARY carries no MAC in the Agency's example, and KSmac is never
  derived. A card that appends a protected status (99) or a MAC (8E) after the cryptogram is
  read all the same, the objects ignored and reported (`SmAnswer.trailer`): integrity comes
  from the Agency's signature over the data, never from the channel.
- The SM READ BINARY asks for the whole file (`96 02 00 00`, extended Le 00 00). Where a reader
  refuses extended lengths, the file is read in chunks: `96 02 00 E0` in a short APDU at
  offsets of 224 bytes, each answer a cryptogram of its own (the other reading's form).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from apdu.command import EXTENDED_MAX_LE, SHORT_MAX_LE, CommandAPDU
from verifier.documents.residence import constants as c
from verifier.documents.residence import sm_crypto
from verifier.documents.residence.card_number import CardNumber
from verifier.documents.residence.card_type import Generation
from verifier.documents.residence.tlv import parse_one
from verifier.errors import InternalError, MalformedData

NONCE_BYTES = c.CHALLENGE_BYTES


def suite_for(generation: Generation) -> sm_crypto.Suite:
    return sm_crypto.Suite.AES if generation is Generation.SECOND else sm_crypto.Suite.TDES


class CardMacMismatch(ValueError):
    """M.ICC is not the MAC of E.ICC under the number's key: the chip does not hold the typed
    number (or the answer was garbled). Never evidence."""


class NonceMismatch(ValueError):
    """E.ICC decrypted, but RND.ICC or RND.IFD is not where it must be."""


class SmAnswerError(ValueError):
    """An SM answer this program cannot open (no cryptogram, bad padding, wrong block size)."""


@dataclass(frozen=True)
class TerminalNonces:
    """What the terminal picks for one mutual authentication: fresh for each."""

    rnd_ifd: bytes  # 8 bytes
    k_ifd: bytes  # 16 bytes

    def __post_init__(self) -> None:
        if len(self.rnd_ifd) != NONCE_BYTES or len(self.k_ifd) != c.KEY_BYTES:
            raise InternalError("RND.IFD is 8 bytes and K.IFD 16")

    def __repr__(self) -> str:
        return "TerminalNonces(<secret>)"


@dataclass(frozen=True)
class Session:
    """An opened secure channel: the generation's suite and KSenc."""

    suite: sm_crypto.Suite
    ks_enc: bytes

    def __repr__(self) -> str:
        return f"Session({self.suite.value}, <key>)"


def authentication_data(generation: Generation, key: bytes, rnd_icc: bytes,
                        nonces: TerminalNonces) -> bytes:
    """E.IFD ‖ M.IFD (40 bytes) for MUTUAL AUTHENTICATE; `key` is the base key."""
    if len(rnd_icc) != NONCE_BYTES:
        raise InternalError(f"RND.ICC of {len(rnd_icc)} bytes")
    suite = suite_for(generation)
    e_ifd = sm_crypto.encrypt(suite, key, nonces.rnd_ifd + rnd_icc + nonces.k_ifd)
    return e_ifd + sm_crypto.mac(suite, key, e_ifd)


def mutual_authenticate_command(data: bytes) -> CommandAPDU:
    """`00 82 00 00 28 ‖ E.IFD ‖ M.IFD ‖ 00`."""
    return CommandAPDU(c.CLA, c.INS_MUTUAL_AUTHENTICATE, 0, 0, data, le=SHORT_MAX_LE)


def get_challenge_command() -> CommandAPDU:
    return CommandAPDU(c.CLA, c.INS_GET_CHALLENGE, 0, 0, le=c.CHALLENGE_BYTES)


def open_session(generation: Generation, key: bytes, answer: bytes, rnd_icc: bytes,
                 nonces: TerminalNonces) -> Session:
    """The chip's E.ICC ‖ M.ICC checked (MAC first, then both nonces) and KSenc derived.
    CardMacMismatch when the MAC fails (also for an answer of the wrong size), NonceMismatch
    when the nonces are not in place."""
    suite = suite_for(generation)
    if len(answer) != c.AUTH_DATA_BYTES:
        raise CardMacMismatch(f"an answer of {len(answer)} bytes, not {c.AUTH_DATA_BYTES}")
    e_icc, m_icc = answer[:32], answer[32:]
    if not hmac.compare_digest(sm_crypto.mac(suite, key, e_icc), m_icc):
        raise CardMacMismatch("M.ICC does not match E.ICC under the number's key")
    plain = sm_crypto.decrypt(suite, key, e_icc)
    if not (hmac.compare_digest(plain[:8], rnd_icc)
            and hmac.compare_digest(plain[8:16], nonces.rnd_ifd)):
        raise NonceMismatch("RND.ICC / RND.IFD are not the ones of this authentication")
    return Session(suite, sm_crypto.session_key(suite, nonces.k_ifd, plain[16:32]))


def verify_command(session: Session, number: CardNumber) -> CommandAPDU:
    """`08 20 00 86 13 86 11 01 ‖ E(KSenc, number ‖ 80 00 00 00)`: one block pair for 3DES,
    one AES block; the 16 bytes need no further padding."""
    plain = number.to_bytes() + c.NUMBER_PADDING
    cryptogram = sm_crypto.encrypt(session.suite, session.ks_enc, plain)
    data = bytes((c.TAG_SM_CRYPTOGRAM, 1 + len(cryptogram), c.PADDING_INDICATOR)) + cryptogram
    return CommandAPDU(c.CLA_SM, c.INS_VERIFY, 0, c.VERIFY_P2_NUMBER, data)


def sm_read_command(p1: int, p2: int, *, length: int | None = None) -> CommandAPDU:
    """SM READ BINARY. `length` None: the whole file (`96 02 00 00`, extended Le 00 00, as the
    spec's example); else that many plain bytes in a short APDU (chunked reading)."""
    if length is None:
        return CommandAPDU(c.CLA_SM, c.INS_READ_BINARY, p1, p2, _le_object(0),
                           le=EXTENDED_MAX_LE, extended=True)
    if not 1 <= length <= c.SM_CHUNK:
        raise InternalError(f"an SM chunk of {length} bytes")
    return CommandAPDU(c.CLA_SM, c.INS_READ_BINARY, p1, p2, _le_object(length), le=SHORT_MAX_LE)


def _le_object(length: int) -> bytes:
    return bytes((c.TAG_SM_LE, 2)) + length.to_bytes(2, "big")


@dataclass(frozen=True)
class SmAnswer:
    """An SM answer opened: the plain data and the tags of any objects after the cryptogram."""

    data: bytes
    trailer: tuple[int, ...]

    def __repr__(self) -> str:
        return f"SmAnswer(<{len(self.data)} bytes>, trailer={self.trailer})"


def open_answer(session: Session, answer: bytes) -> SmAnswer:
    """The plain data of `86 L 01 <ciphertext> [99 02 SW] [8E 08 MAC]`; SmAnswerError for
    anything else. An empty answer is empty data (a read at the very end of a file)."""
    if not answer:
        return SmAnswer(b"", ())
    try:
        cryptogram = parse_one(answer)
    except MalformedData as error:
        raise SmAnswerError(f"SM answer: {error}") from None
    if cryptogram.tag != c.TAG_SM_CRYPTOGRAM:
        raise SmAnswerError(f"SM answer starts with tag {cryptogram.tag:X}, not 86")
    value = cryptogram.value
    block = sm_crypto.block_size(session.suite)
    if not value or value[0] != c.PADDING_INDICATOR or (len(value) - 1) % block \
            or len(value) == 1:
        raise SmAnswerError("SM cryptogram without indicator 01 and whole blocks")
    trailer = _trailer(answer[len(cryptogram.raw):])
    plain = sm_crypto.decrypt(session.suite, session.ks_enc, value[1:])
    try:
        return SmAnswer(sm_crypto.unpad(plain), trailer)
    except sm_crypto.PaddingError:
        raise SmAnswerError("SM answer decrypts without 80 00.. padding") from None


def _trailer(rest: bytes) -> tuple[int, ...]:
    tags: list[int] = []
    while rest:
        try:
            item = parse_one(rest)
        except MalformedData:
            raise SmAnswerError("bytes after the SM cryptogram are not objects") from None
        if item.tag not in (c.TAG_SM_STATUS, c.TAG_SM_MAC):
            raise SmAnswerError(f"object {item.tag:X} after the SM cryptogram")
        tags.append(item.tag)
        rest = rest[len(item.raw):]
    return tuple(tags)

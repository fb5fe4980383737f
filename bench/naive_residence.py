"""The residence cards' baseline: a naive reader, as a first implementation from the spec would
read a 在留カード or 特別永住者証明書.

The same protocol as the product's reader — SELECT MF, the card type, GET CHALLENGE, MUTUAL
AUTHENTICATE, VERIFY, then every file the verification needs — with none of its shortcuts:
each file by SELECT EF and READ BINARY at growing offsets (no short EF ids, no extended
lengths, no whole-file reads), DF1 in secure messaging 224 plain bytes a command (the most a
short answer carries, so the baseline is the best a short-APDU reader does), DF3 in plain
256-byte chunks, nothing remembered between cards. The secure messaging and the judgement
(the chain, then the signature) are the product's own functions: the bench compares how the
chip is asked, not the crypto.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from apdu.command import CommandAPDU
from apdu.response import ResponseAPDU
from apdu.transport import Transport, exchange
from bench.naive import read_chunks, read_file, select_ef
from verifier.documents.residence import constants as c
from verifier.documents.residence import records, sm_crypto
from verifier.documents.residence import secure_messaging as sm
from verifier.documents.residence.card_number import CardNumber
from verifier.documents.residence.card_type import CardType, Generation, parse_card_type
from verifier.documents.residence.certificate import parse_card_certificate
from verifier.documents.residence.signature import (
    ChainFinding,
    SignatureFinding,
    check_chain,
    verify_first_generation,
    verify_second_generation,
)
from verifier.documents.residence.trust import ResidenceTrust

#: DF1's files by file id, in the order the signature takes them. The second generation's
#: unsigned address image is read too, as the counter reads it for the clerk: both readers
#: then fetch the same bytes.
DF1_FILES = {Generation.FIRST: (c.FID1_FRONT_IMAGE, c.FID1_PHOTO),
             Generation.SECOND: (c.FID2_PRINTED_ENTRIES, c.FID2_IMAGES, c.FID2_ADDRESS_IMAGE)}
SIGNATURE_FILE = {Generation.FIRST: c.FID1_SIGNATURE, Generation.SECOND: c.FID2_SIGNATURE}


class NaiveReadFailed(Exception):
    """The chip refused a step the naive reader cannot do without (it has no fallbacks)."""


@dataclass(frozen=True)
class NaiveOutcome:
    card_type: CardType
    chain: ChainFinding
    signature: SignatureFinding | None  # None: the chain was not trusted, nothing verified

    @property
    def genuine(self) -> bool:
        """What the product calls GENUINE, as far as the signed data go: a trusted chain and
        a valid signature."""
        return self.chain.trusted and self.signature is not None and self.signature.valid


def naive_residence(transport: Transport, number: CardNumber, trust: ResidenceTrust, *,
                    random: Callable[[int], bytes] = os.urandom,
                    at: datetime | None = None) -> NaiveOutcome:
    """One card read and judged; NaiveReadFailed (or the SM module's errors) where the chip
    refused a step. `at` dates the certificates (default: now)."""
    _checked(exchange(transport, CommandAPDU(c.CLA, c.INS_SELECT, c.SELECT_MF, c.SELECT_NO_FCI,
                                             c.MF_FILE_ID)), "SELECT MF")
    card_type = parse_card_type(read_file(transport, c.FID_MF_CARD_TYPE, limit=c.MAX_FILE_BYTES))
    generation = card_type.generation
    session = _open(transport, generation, number, random)
    _select_df(transport, c.AID_DF1, "DF1")
    df1 = [_read_sm_file(transport, session, fid) for fid in DF1_FILES[generation]]
    _select_df(transport, c.AID_DF3, "DF3")
    signature_file = read_file(transport, SIGNATURE_FILE[generation], limit=c.MAX_FILE_BYTES)
    return _judge(card_type, df1, signature_file, trust, at or datetime.now(UTC))


def _checked(response: ResponseAPDU, step: str) -> ResponseAPDU:
    if not response.sw.ok:
        raise NaiveReadFailed(f"{step}: {response.sw}")
    return response


def _select_df(transport: Transport, aid: bytes, name: str) -> None:
    _checked(exchange(transport, CommandAPDU(c.CLA, c.INS_SELECT, c.SELECT_DF_NAME,
                                             c.SELECT_NO_FCI, aid)), f"SELECT {name}")


def _open(transport: Transport, generation: Generation, number: CardNumber,
          random: Callable[[int], bytes]) -> sm.Session:
    key = sm_crypto.base_key(number)
    rnd_icc = _checked(exchange(transport, sm.get_challenge_command()), "GET CHALLENGE").data
    nonces = sm.TerminalNonces(random(c.CHALLENGE_BYTES), random(c.KEY_BYTES))
    answer = _checked(exchange(transport, sm.mutual_authenticate_command(
        sm.authentication_data(generation, key, rnd_icc, nonces))), "MUTUAL AUTHENTICATE")
    session = sm.open_session(generation, key, answer.data, rnd_icc, nonces)
    _checked(exchange(transport, sm.verify_command(session, number)), "VERIFY")
    return session


def _read_sm_file(transport: Transport, session: sm.Session, fid: int) -> bytes:
    select_ef(transport, fid)
    return read_chunks(
        transport,
        lambda offset: sm.sm_read_command(offset >> 8, offset & 0xFF, length=c.SM_CHUNK),
        c.SM_CHUNK, unwrap=lambda answer: sm.open_answer(session, answer).data,
        limit=c.MAX_FILE_BYTES)


def _judge(card_type: CardType, df1: Sequence[bytes], signature_file: bytes,
           trust: ResidenceTrust, at: datetime) -> NaiveOutcome:
    generation = card_type.generation
    located = records.locate_signature_file(signature_file, generation)
    chain = check_chain(parse_card_certificate(located.certificate), generation, trust, at=at)
    if not chain.trusted:
        return NaiveOutcome(card_type, chain, None)
    if generation is Generation.FIRST:
        front, photo = df1
        finding = verify_first_generation(chain.certificate, located,
                                          records.locate_front_and_photo(front, photo))
    else:
        entries, images, _address = df1
        finding = verify_second_generation(chain.certificate, located,
                                           records.locate_printed_entries(entries),
                                           records.locate_name_and_photo(images), card_type)
    return NaiveOutcome(card_type, chain, finding)

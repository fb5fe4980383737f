"""The ordered checks of one verification, each producing a `Check`.

A `Verification` belongs to one card (rule 6). `precheck()` runs what needs no code (and sends
no VERIFY); `verify()` runs everything, reusing what the precheck already read. The steps are
numbered methods; each returns a Check, and the first failure stops the rest, so a counterfeit
never gets a code B try spent on it.

Accusations rest on evidence only (rule 7, docs/evidence.md): a status word is never evidence
unless it is "not found" for the card-face AP twice; faults, timeouts, programming errors and
signed data in a form we do not know are NOT_VERIFIED (`faults.reason_for_error`). Unsigned
details of a record's layout that differ from the known one are oddities: logged, carried in
the Result for developers, never a reason. A verification is bounded in time
(`VerifyOptions.deadline_s`, per call) and can be abandoned from another thread when the card
or reader changed.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from apdu.command import CommandAPDU
from apdu.errors import CardTimeoutError
from apdu.response import StatusWord
from apdu.transport import Transport
from verifier.card.oddities import Oddity
from verifier.card.values import yyyymmdd
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.authority import PURPOSE_CARD_FACE, judge_certificate
from verifier.documents.my_number.check_ids import DOCUMENT, REQUIRED, CheckId
from verifier.documents.my_number.code_b import CodeB, birth_matches, expiry_matches
from verifier.documents.my_number.crypto import (
    digest_info_sha256,
    verify_card_face,
    verify_pkcs1_sha256,
)
from verifier.documents.my_number.records import (
    CardFace,
    CertifiedKey,
    CvCertificate,
    locate_card_face,
    locate_cv_certificate,
    read_card_face,
)
from verifier.documents.my_number.text_ap import TextApReader
from verifier.documents.my_number.trust import TrustAnchor, TrustStore
from verifier.engine import messages as m
from verifier.engine.faults import read_failure
from verifier.engine.floor import may_spend_try
from verifier.engine.session import Forms, KeyState, ReadError
from verifier.engine.steps import (
    DEFAULT_DEADLINE_S,
    Channel,
    DeadlineExceeded,
    StepCallback,
    StepRunner,
)
from verifier.engine.verdict import CardSummary, Check, Outcome, PersonalData, Reason, Result
from verifier.errors import InternalError, MalformedData

log = logging.getLogger(__name__)

CHALLENGE_BYTES = 32
#: Largest legal size of each file read: the certificate is 568 bytes (card-spec.md 2); the card
#: face's photo size on real cards is not known, so only READ BINARY's own limit bounds it.
FILE_MAX_BYTES = {p.EF_CF_CERTIFICATE: 1024, p.EF_CF_FACE: p.MAX_FILE_BYTES}

#: Asked just before code B is sent: the reason not to send it, or None to send it.
CodeGate = Callable[[CodeB], "Reason | None"]


@dataclass(frozen=True)
class VerifyOptions:
    trust: TrustStore
    today: date
    keep_tries: int = p.DEFAULT_KEEP_TRIES
    text_ap: bool = True
    #: Decode the JPEG 2000 photo for display (GUI, --include-personal-data, --save-photo);
    #: otherwise the decoder is never run on chip bytes.
    decode_photo: bool = False
    #: The card is a simulated one (in-process, or served on a virtual reader). Only then can
    #: the simulated CA, whose private keys are public, be accepted at all.
    simulated: bool = False
    #: Seconds one precheck or verify may take before it ends NOT_VERIFIED.
    deadline_s: float = DEFAULT_DEADLINE_S


class Verification(StepRunner):
    """One My Number Card, precheck and verify."""

    DOCUMENT = DOCUMENT
    CHECK_ORDER = tuple(CheckId)
    REQUIRED = REQUIRED

    def __init__(self, transport: Transport | Channel, options: VerifyOptions, *,
                 clock: Callable[[], float] = time.perf_counter,
                 nonce: Callable[[int], bytes] = os.urandom,
                 forms: Forms | None = None,
                 deadline_clock: Callable[[], float] = time.monotonic,
                 first_select: StatusWord | None = None) -> None:
        super().__init__(transport, simulated=options.simulated, deadline_s=options.deadline_s,
                         clock=clock, deadline_clock=deadline_clock, forms=forms,
                         forbidden=p.FORBIDDEN_EFS)
        self._options = options
        self._nonce = nonce
        #: the answer to SELECT of the card-face AP when the counter's recognition sent it
        self._first_select = first_select
        self._anchor: TrustAnchor | None = None
        self._certificate: CvCertificate | None = None
        self._certificate_raw = b""
        self._certified: CertifiedKey | None = None
        self._face: CardFace | None = None
        self._retries: int | None = None
        self._select_sw: StatusWord | None = None

    # --- public -------------------------------------------------------------------------------
    @property
    def options(self) -> VerifyOptions:
        return self._options

    def precheck(self, on_step: StepCallback | None = None) -> Result:
        """chip.present, ap.card_face, certificate.trusted, code_b.retries. Sends no VERIFY."""
        return self._timed(on_step, self._precheck_steps)

    def identity(self) -> tuple[bytes, bytes]:
        """What the chip answered without a code (its ATR and certificate), once the precheck
        read them: enough to tell this card from the next on the same reader."""
        return self._atr, self._certificate_raw

    def card_key(self) -> bytes | None:
        """The chip's own public key (DF24) once the signed card face was read: what tells one
        card from every other."""
        if self._face is None:
            return None
        key = self._face.card_key
        return key.modulus.to_bytes((key.modulus.bit_length() + 7) // 8, "big")

    def verify(self, code_b: CodeB | None, on_step: StepCallback | None = None, *,
               code_printed: bool = False, gate: CodeGate | None = None) -> Result:
        """`code_printed`: nobody typed `code_b`; it is the one printed on a simulated card's
        face, so its consistency says nothing about what a clerk typed. `gate` may refuse to
        send the code (the counter's memory of codes this card rejected)."""

        def steps() -> None:
            self._precheck_steps()
            self._run(CheckId.CODE_B_VERIFY, lambda: self._step_verify_code(code_b, gate))
            self._run(CheckId.CARD_FACE_SIGNATURE, self._step_card_face_signature)
            self._run(CheckId.CHIP_AUTHENTIC, self._step_chip_authentic)
            self._run(CheckId.CODE_B_CONSISTENT,
                      lambda: self._step_consistent(code_b, code_printed))
            self._run(CheckId.CARD_NOT_EXPIRED, self._step_not_expired)
            self._text_ap_steps(code_b)

        return self._timed(on_step, steps)

    # --- steps ---------------------------------------------------------------------------------
    def _precheck_steps(self) -> None:
        self._run(CheckId.CHIP_PRESENT, self._step_select)
        self._run(CheckId.AP_CARD_FACE, self._step_ap)
        self._run(CheckId.CERTIFICATE_TRUSTED, self._step_certificate)
        # Queried afresh each time: the count may have changed since the precheck.
        self._rerun(CheckId.CODE_B_RETRIES)
        self._run(CheckId.CODE_B_RETRIES, self._step_retries)

    def _card_summary(self) -> CardSummary:
        return CardSummary(
            hierarchy=self._anchor.hierarchy if self._anchor else None,
            issuer_key_id=str(self._certificate.issuer_key_id) if self._certificate else None,
            subject_key_id=str(self._certified.subject_key_id) if self._certified else None,
            expiry=self._face.expiry if self._face else None,
            retries_left=self._retries,
        )

    # --- 1. the chip and its card-face AP -----------------------------------------------------
    def _step_select(self) -> Check:
        first, self._first_select = self._first_select, None
        self._select_sw = first if first is not None else self._session.select_ap(
            p.AID_CARD_FACE)
        return m.passed(CheckId.CHIP_PRESENT)

    def _step_ap(self) -> Check:
        sw = self._select_sw
        if sw is not None and sw.not_found:
            # "not found" is evidence only when the chip says it twice
            sw = self._select_sw = self._session.select_ap(p.AID_CARD_FACE)
            if sw.not_found:
                return m.failed(CheckId.AP_CARD_FACE, Reason.NO_CARD_FACE_AP, f"SELECT {sw}")
        if sw is None or not sw.ok:
            return m.failed(CheckId.AP_CARD_FACE, Reason.READ_FAILED, f"SELECT {sw}")
        return m.passed(CheckId.AP_CARD_FACE)

    # --- 2. the issuer certificate (EF 0004) --------------------------------------------------
    def _step_certificate(self) -> Check:
        check_id = CheckId.CERTIFICATE_TRUSTED
        try:
            raw = self._session.read_file(p.EF_CF_CERTIFICATE,
                                          max_bytes=FILE_MAX_BYTES[p.EF_CF_CERTIFICATE])
        except ReadError as error:
            return read_failure(check_id, "EF 0004", error)
        self._certificate_raw = raw
        certificate = locate_cv_certificate(raw)
        self._certificate = certificate
        self._note("certificate", certificate.oddities)
        finding = judge_certificate(certificate, self._options.trust, purpose=PURPOSE_CARD_FACE,
                                    simulated_card=self._options.simulated)
        self._anchor = finding.anchor
        if finding.failure is not None:
            return m.failed(check_id, finding.failure, finding.cause)
        if finding.anchor is None or finding.certified is None:
            raise InternalError("a trusted certificate without its anchor or key")
        self._certified = finding.certified
        return m.passed(check_id, m.issuer(finding.issuer, finding.anchor.hierarchy))

    # --- 3. tries left, without spending one --------------------------------------------------
    def _step_retries(self) -> Check:
        check_id = CheckId.CODE_B_RETRIES
        state = self.fresh_tries(p.AID_CARD_FACE, p.EF_CF_KEY_CODE_B)
        if state is KeyState.VERIFIED:
            return m.failed(check_id, Reason.KEY_OPEN)
        if state is KeyState.BLOCKED:
            self._retries = 0
            return m.failed(check_id, Reason.BLOCKED)
        if state is KeyState.UNKNOWN:
            return m.failed(check_id, Reason.TRIES_UNCLEAR)
        self._retries = state
        if not may_spend_try(state, self._options.keep_tries):
            return Check(check_id, Outcome.FAILED, m.too_few_tries(state, self._options.keep_tries),
                         Reason.TOO_FEW_TRIES)
        return Check(check_id, Outcome.PASSED, m.tries_left(state))

    # --- 4. 照合番号B: one VERIFY, never repeated ------------------------------------------------
    def _step_verify_code(self, code_b: CodeB | None, gate: CodeGate | None = None) -> Check:
        check_id = CheckId.CODE_B_VERIFY
        if code_b is None:
            return m.failed(check_id, Reason.NO_CODE)
        refusal = gate(code_b) if gate is not None else None
        if refusal is not None:
            return m.failed(check_id, refusal)
        sw = self._session.verify_code(p.EF_CF_KEY_CODE_B, code_b.to_bytes())
        if sw.ok:
            return m.passed(check_id)
        if sw.blocked:
            self._retries = 0
            return m.failed(check_id, Reason.BLOCKED)
        if sw.retries_left is not None:
            self._retries = sw.retries_left
            return Check(check_id, Outcome.FAILED, m.code_rejected(sw.retries_left),
                         Reason.CODE_REJECTED)
        return self._unclear_verify(check_id, sw, p.EF_CF_KEY_CODE_B)

    def _unclear_verify(self, check_id: CheckId, sw: StatusWord, key_ef: int) -> Check:
        """A VERIFY answered neither yes nor no: never sent again; the tries are asked (no
        digits) so the clerk knows what is left."""
        state = self._session.query_tries(key_ef)
        if isinstance(state, int):
            self._retries = state
            return m.failed(check_id, Reason.READ_FAILED,
                            f"VERIFY answered {sw}; {state} tries left")
        return m.failed(check_id, Reason.READ_FAILED, f"VERIFY answered {sw}")

    def fresh_tries(self, aid: bytes, key_ef: int) -> int | KeyState:
        """Tries left, asked of a key nobody else opened: an open key (9000 to the empty
        VERIFY) proves nothing about the code typed now, so the card is powered down and up
        (closing every key) and asked again; a key still open stays VERIFIED."""
        state = self._session.query_tries(key_ef)
        if state is not KeyState.VERIFIED:
            return state
        try:
            self._link.power_cycle()
        except NotImplementedError:
            return state
        log.debug("key open before any VERIFY: card powered down and up")
        self._session.restarted()
        if not self._session.select_ap(aid).ok:
            return KeyState.UNKNOWN
        return self._session.query_tries(key_ef)

    # --- 5. the card face and its signature ---------------------------------------------------
    def _step_card_face_signature(self) -> Check:
        check_id = CheckId.CARD_FACE_SIGNATURE
        if self._certified is None:
            raise InternalError("card face checked before a trusted certificate")
        try:
            raw = self._session.read_file(p.EF_CF_FACE, padded=True,
                                          max_bytes=FILE_MAX_BYTES[p.EF_CF_FACE])
        except ReadError as error:
            return read_failure(check_id, "EF 0002", error)
        located = locate_card_face(raw)
        self._note("card_face", located.oddities)
        if not verify_card_face(self._certified.public_key, located):
            return m.failed(check_id, Reason.BAD_SIGNATURE)
        # Only now are DF22..DF27 parsed: a value the issuer signed in a form we do not
        # know is our failure (UnsupportedLayout), not the card's.
        face = read_card_face(located)
        self._face = face
        self._personal = _personal_from_face(face, decode_photo=self._options.decode_photo)
        return m.passed(check_id)

    # --- 6. the chip signs a fresh challenge with the DF24 key --------------------------------
    def _step_chip_authentic(self) -> Check:
        check_id = CheckId.CHIP_AUTHENTIC
        face = self._require_face()
        challenge = self._nonce(CHALLENGE_BYTES)
        try:
            response = self._session.send(CommandAPDU(
                p.CLA_PROPRIETARY, p.INS_COMPUTE_SIGNATURE, p.COMPUTE_SIGNATURE_P1,
                p.COMPUTE_SIGNATURE_P2, digest_info_sha256(challenge), le=p.RSA_BYTES))
        except DeadlineExceeded:
            raise  # our deadline ran out before the challenge was sent: a timeout
        except CardTimeoutError as error:
            # silence is no signature either; a card pulled off the reader is another story
            return m.failed(check_id, Reason.CHIP_REFUSED_CHALLENGE, f"no answer ({error})")
        if not response.sw.ok:
            # a refusal is no signature: only a signature that fails is evidence
            return m.failed(check_id, Reason.CHIP_REFUSED_CHALLENGE,
                            f"challenge answered {response.sw}")
        if not verify_pkcs1_sha256(face.card_key, challenge, response.data):
            return m.failed(check_id, Reason.CHALLENGE_FAILED)
        return m.passed(check_id)

    # --- 7. the chip's data against the code it accepted --------------------------------------
    def _step_consistent(self, code_b: CodeB | None, code_printed: bool = False) -> Check:
        check_id = CheckId.CODE_B_CONSISTENT
        face = self._require_face()
        if code_b is None:
            return Check(check_id, Outcome.SKIPPED, m.SKIPPED_BY_OPTION)
        if not birth_matches(code_b, face.birth_date):
            return m.failed(check_id, Reason.INCONSISTENT, "birth date")
        if face.expiry is not None and not expiry_matches(code_b, face.expiry):
            # DF29 is not signed: what it says is no evidence either way (rule 7). The chip
            # accepted the code's expiry year; a date that disagrees with it is no date.
            self._note("card_face", (Oddity.EXPIRY_NOT_THE_CODES,))
            self._face = replace(face, expiry=None)
        return m.passed(check_id, m.CONSISTENT_WITH_PRINTED if code_printed else None)

    # --- 8. expiry (DF29 is not signed; the code B expiry year ties it to the print) ----------
    def _step_not_expired(self) -> Check:
        check_id = CheckId.CARD_NOT_EXPIRED
        face = self._require_face()
        if face.expiry is None:
            # DF29 is outside the signature: missing, unreadable or given twice with two dates,
            # it proves nothing, but leaves no date (the oddities say which)
            return m.failed(check_id, Reason.UNSUPPORTED_LAYOUT, "no readable expiry date (DF29)")
        if self._options.today > face.expiry:
            return m.failed(check_id, Reason.EXPIRED, yyyymmdd(face.expiry))
        return m.passed(check_id)

    # --- 9. the text AP, opened with the same code B ------------------------------------------
    def _text_ap_steps(self, code_b: CodeB | None) -> None:
        if not self._options.text_ap:
            self._skip(CheckId.TEXT_AP_SIGNATURE)
            self._skip(CheckId.TEXT_AP_CONSISTENT)
            return
        reader = TextApReader(self._session, self._options.trust,
                              simulated_card=self._options.simulated,
                              keep_tries=self._options.keep_tries, tries=self.fresh_tries,
                              unclear=self._unclear_verify, note=self._note)
        self._run(CheckId.TEXT_AP_SIGNATURE, lambda: reader.check_signature(code_b))
        self._run(CheckId.TEXT_AP_CONSISTENT, lambda: self._text_consistent(reader))

    def _text_consistent(self, reader: TextApReader) -> Check:
        check = reader.check_consistent(self._require_face())
        if check.outcome is Outcome.PASSED and self._personal is not None and reader.text:
            self._personal = replace(self._personal, text_name=reader.text.name,
                                     text_address=reader.text.address)
        return check

    def _require_face(self) -> CardFace:
        if self._face is None:
            raise InternalError("a step that needs the card face ran before it was read")
        return self._face


def verify_card(transport: Transport, options: VerifyOptions, code_b: CodeB | None, *,
                on_step: StepCallback | None = None,
                clock: Callable[[], float] = time.perf_counter,
                nonce: Callable[[int], bytes] = os.urandom) -> Result:
    return Verification(transport, options, clock=clock, nonce=nonce).verify(code_b, on_step)


def _personal_from_face(face: CardFace, *, decode_photo: bool) -> PersonalData:
    photo_png: bytes | None = None
    if decode_photo:
        # Pillow stays out of start-up, and rule 4: this runs only after the signature verified.
        from verifier.card.images import decode_photo as decode

        try:
            photo_png = decode(face.photo_jp2)
        except MalformedData as error:
            log.warning("signed photo could not be decoded: %s", error)
    return PersonalData(birth_date=face.birth_date, sex=face.sex, name_png=face.name_png,
                        address_png=face.address_png, photo_jp2=face.photo_jp2,
                        photo_png=photo_png)


"""The 券面事項入力補助AP cross-check (spec 5), without ever reading its EF 0001.

It runs only after the card-face AP accepted the code B. Its key has a counter of its own, so
it gets its own tries query (an open key is closed first) and the floor before its one VERIFY:
six exchanges (SELECT, EF 0004, tries, VERIFY, EF 0002, EF 0003).

Like the card face, each record is located (its signed bytes found; unsigned details noted as
oddities), verified — DF33 over DF31 and DF32, then DF32 against EF 0002 from DF22 to its
end — and only then read. Errors propagate to `Verification._run`, which maps them with
`faults.reason_for_error`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from apdu.response import StatusWord
from verifier.card.oddities import Oddity
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.authority import PURPOSE_TEXT, judge_certificate
from verifier.documents.my_number.check_ids import CheckId
from verifier.documents.my_number.code_b import CodeB
from verifier.documents.my_number.crypto import text_hash_matches, verify_text_integrity
from verifier.documents.my_number.records import (
    CardFace,
    TextBasicFour,
    basic_four_digest,
    locate_cv_certificate,
    locate_text_basic_four,
    locate_text_integrity,
    read_text_basic_four,
)
from verifier.documents.my_number.trust import TrustStore
from verifier.engine import messages as m
from verifier.engine.faults import read_failure
from verifier.engine.floor import may_spend_try
from verifier.engine.session import CardSession, KeyState, ReadError
from verifier.engine.verdict import Check, Reason
from verifier.errors import InternalError

TriesQuery = Callable[[bytes, int], "int | KeyState"]
UnclearVerify = Callable[[CheckId, StatusWord, int], Check]
NoteOddities = Callable[[str, Iterable[Oddity]], None]


class TextApReader:
    def __init__(self, session: CardSession, trust: TrustStore, *, simulated_card: bool,
                 keep_tries: int, tries: TriesQuery, unclear: UnclearVerify,
                 note: NoteOddities) -> None:
        self._session = session
        self._trust = trust
        self._simulated_card = simulated_card
        self._keep_tries = keep_tries
        self._tries = tries
        self._unclear = unclear
        self._note = note
        self.text: TextBasicFour | None = None

    def check_signature(self, code_b: CodeB | None) -> Check:
        check_id = CheckId.TEXT_AP_SIGNATURE
        if code_b is None:
            return m.failed(check_id, Reason.NO_CODE)
        sw = self._session.select_ap(p.AID_TEXT)
        if not sw.ok:
            return m.failed(check_id, Reason.READ_FAILED, f"text AP: SELECT {sw}")
        try:
            certificate = locate_cv_certificate(self._session.read_file(p.EF_TX_CERTIFICATE))
            self._note("text_ap.certificate", certificate.oddities)
            finding = judge_certificate(certificate, self._trust, purpose=PURPOSE_TEXT,
                                        simulated_card=self._simulated_card)
            if finding.failure is not None:
                return m.failed(check_id, finding.failure, f"text AP {finding.cause}")
            refused = self._may_verify(check_id)
            if refused is not None:
                return refused
            sw = self._session.verify_code(p.EF_TX_KEY_CODE_B, code_b.to_bytes())
            if sw.blocked:
                return m.failed(check_id, Reason.BLOCKED, "text AP")
            if sw.retries_left is not None:
                # The card-face AP accepted this very code: a genuine chip's text AP does too.
                return m.failed(check_id, Reason.INCONSISTENT, f"text AP rejected code B: {sw}")
            if not sw.ok:
                return self._unclear(check_id, sw, p.EF_TX_KEY_CODE_B)
            basic = locate_text_basic_four(self._session.read_file(p.EF_TX_BASIC_FOUR))
            self._note("text_ap", basic.oddities)
            integrity = locate_text_integrity(self._session.read_file(p.EF_TX_INTEGRITY))
            self._note("text_ap.integrity", integrity.oddities)
        except ReadError as error:
            return read_failure(check_id, "text AP", error)
        if finding.certified is None:
            raise InternalError("a trusted text AP certificate without its key")
        if not verify_text_integrity(finding.certified.public_key, integrity):
            return m.failed(check_id, Reason.BAD_SIGNATURE, "text AP signature")
        if not text_hash_matches(basic, basic_four_digest(integrity)):
            return m.failed(check_id, Reason.BAD_SIGNATURE, "text AP hash")
        self.text = read_text_basic_four(basic)
        self._note("text_ap", self.text.oddities)
        return m.passed(check_id)

    def _may_verify(self, check_id: CheckId) -> Check | None:
        """The text key's own counter, and the floor, before its VERIFY; None: go ahead."""
        state = self._tries(p.AID_TEXT, p.EF_TX_KEY_CODE_B)
        if state is KeyState.VERIFIED:
            return m.failed(check_id, Reason.KEY_OPEN, "text AP")
        if state is KeyState.BLOCKED:
            return m.failed(check_id, Reason.BLOCKED, "text AP")
        if state is KeyState.UNKNOWN:
            return m.failed(check_id, Reason.TRIES_UNCLEAR, "text AP")
        if not may_spend_try(state, self._keep_tries):
            return m.failed(check_id, Reason.TOO_FEW_TRIES, f"text AP: {state} tries left")
        return None

    def check_consistent(self, face: CardFace) -> Check:
        check_id = CheckId.TEXT_AP_CONSISTENT
        if self.text is None:
            raise InternalError("text AP compared before it was read")
        if self.text.birth_date != face.birth_date:
            return m.failed(check_id, Reason.INCONSISTENT, "birth date differs")
        if self.text.sex != face.sex:
            return m.failed(check_id, Reason.INCONSISTENT, "sex differs")
        return m.passed(check_id)

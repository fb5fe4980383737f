"""The 券面事項入力補助AP cross-check (spec 5), without ever reading its EF 0001.

It runs only after the card-face AP accepted the code B, so the code is known to be right and
its VERIFY cannot spend a try of a genuine card: that is why no separate tries query is sent
(the step stays within five exchanges: SELECT, EF 0004, VERIFY, EF 0002, EF 0003).
"""

from __future__ import annotations

from verifier.card import constants as p
from verifier.card.code_b import CodeB
from verifier.card.crypto import text_hash_matches, verify_text_integrity
from verifier.card.records import (
    CardFace,
    TextBasicFour,
    parse_text_basic_four,
    parse_text_integrity,
)
from verifier.card.trust import TrustStore
from verifier.engine import messages as m
from verifier.engine.authority import PURPOSE_TEXT, judge_certificate
from verifier.engine.session import CardSession, ReadError
from verifier.engine.verdict import Check, CheckId, Reason


class TextApReader:
    def __init__(self, session: CardSession, trust: TrustStore, *, simulated_card: bool) -> None:
        self._session = session
        self._trust = trust
        self._simulated_card = simulated_card
        self.text: TextBasicFour | None = None

    def check_signature(self, code_b: CodeB | None) -> Check:
        check_id = CheckId.TEXT_AP_SIGNATURE
        if code_b is None:
            return m.failed(check_id, Reason.NO_CODE)
        sw = self._session.select_ap(p.AID_TEXT)
        if not sw.ok:
            return m.failed(check_id, Reason.MALFORMED_DATA, f"text AP missing: SELECT {sw}")
        try:
            finding = judge_certificate(self._session.read_file(p.EF_TX_CERTIFICATE),
                                        self._trust, purpose=PURPOSE_TEXT,
                                        simulated_card=self._simulated_card)
            if finding.failure is not None:
                return m.failed(check_id, finding.failure, f"text AP {finding.cause}")
            sw = self._session.verify_code(p.EF_TX_KEY_CODE_B, code_b.to_bytes())
            if sw.blocked:
                return m.failed(check_id, Reason.BLOCKED, "text AP")
            if not sw.ok:
                # The card-face AP accepted this very code: a genuine chip's text AP does too.
                return m.failed(check_id, Reason.INCONSISTENT, f"text AP rejected code B: {sw}")
            basic = parse_text_basic_four(self._session.read_file(p.EF_TX_BASIC_FOUR))
            integrity = parse_text_integrity(self._session.read_file(p.EF_TX_INTEGRITY))
        except ReadError as error:
            return m.failed(check_id, Reason.MALFORMED_DATA, f"text AP: SW {error.sw}")
        if not text_hash_matches(basic, integrity):
            return m.failed(check_id, Reason.BAD_SIGNATURE, "text AP hash")
        if not verify_text_integrity(finding.certificate.public_key, integrity):
            return m.failed(check_id, Reason.BAD_SIGNATURE, "text AP signature")
        self.text = basic
        return m.passed(check_id)

    def check_consistent(self, face: CardFace) -> Check:
        check_id = CheckId.TEXT_AP_CONSISTENT
        if self.text is None:
            return m.failed(check_id, Reason.MALFORMED_DATA, "text AP not read")
        if self.text.birth_date != face.birth_date:
            return m.failed(check_id, Reason.INCONSISTENT, "birth date differs")
        if self.text.sex != face.sex:
            return m.failed(check_id, Reason.INCONSISTENT, "sex differs")
        return m.passed(check_id)

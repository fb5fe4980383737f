"""A card another program holds (apdu.errors.SharingViolationError) is "reader busy": the clerk
is told to close that program, and the card is never accused (rule 7)."""

from __future__ import annotations

from datetime import date

import testcards
from apdu.errors import SharingViolationError
from verifier.documents.my_number.check_ids import CheckId
from verifier.documents.my_number.checks import VerifyOptions, verify_card
from verifier.documents.my_number.trust import TrustStore
from verifier.engine import messages
from verifier.engine.faults import reason_for_card_error, result_for_connect_error
from verifier.engine.verdict import COUNTERFEIT_REASONS, Reason, Verdict

OPTIONS = VerifyOptions(trust=TrustStore.builtin(accepted=("simulated",)),
                        today=date(2026, 11, 23), simulated=True)


def test_reader_busy_is_no_evidence() -> None:
    assert Reason.READER_BUSY.value == "reader_busy"
    assert Reason.READER_BUSY not in COUNTERFEIT_REASONS
    assert reason_for_card_error(SharingViolationError()) is Reason.READER_BUSY


def test_a_connect_refused_for_another_program_is_not_verified_with_its_wording() -> None:
    result = result_for_connect_error(SharingViolationError("another program is using the reader"))
    assert result.verdict is Verdict.NOT_VERIFIED
    failing = result.failing_check
    assert failing is not None and failing.id == CheckId.CHIP_PRESENT
    assert failing.reason is Reason.READER_BUSY
    wording = messages.FAILED[Reason.READER_BUSY]
    assert failing.detail.ja == wording.ja
    # for the clerk: polite, no jargon; the English names what to close
    assert wording.ja.endswith("ください") and "です" in wording.ja
    assert not any(word in wording.ja for word in ("PC/SC", "SW", "AP", "エラー"))
    assert "close it" in wording.en and "JPKI" in wording.en


class TakenAway:
    """A card whose reader another program takes over after `after` exchanges."""

    def __init__(self, after: int) -> None:
        self.card = testcards.build_card("genuine")
        self.after = after

    def transmit(self, apdu: bytes) -> bytes:
        if self.card.exchanges >= self.after:
            raise SharingViolationError("another program is using the reader")
        return self.card.transmit(apdu)

    def close(self) -> None:
        self.card.close()


def test_the_reader_taken_mid_session_is_never_an_accusation() -> None:
    code = testcards.PERSONAS[0].code_b
    whole = testcards.build_card("genuine")
    assert verify_card(whole, OPTIONS, code).verdict is Verdict.GENUINE
    for after in range(whole.exchanges):
        result = verify_card(TakenAway(after), OPTIONS, code)
        failing = result.failing_check
        assert result.verdict is Verdict.NOT_VERIFIED, (after, failing)
        assert failing is not None and failing.reason is Reason.READER_BUSY, (after, failing)

"""One mapping from errors to reasons (engine/faults.py): only data no genuine card can hold is
evidence; our own failures and everything unexplained are NOT_VERIFIED (rule 7)."""

from __future__ import annotations

import pytest

from apdu.errors import CardError, CardRemovedError, CardTimeoutError, OverlongResponseError
from verifier.documents.my_number.check_ids import REQUIRED, CheckId
from verifier.engine.faults import error_check, reason_for_error
from verifier.engine.session import ForbiddenFileError, TooManyExchangesError
from verifier.engine.verdict import Reason, Verdict, decide
from verifier.errors import (
    ConfigError,
    InternalError,
    MalformedData,
    TrustFileError,
    UnsupportedLayout,
    VerifierError,
)


@pytest.mark.parametrize(("error", "reason", "verdict"), [
    (MalformedData("two DF27"), Reason.MALFORMED_DATA, Verdict.COUNTERFEIT_SUSPECTED),
    (OverlongResponseError(), Reason.MALFORMED_DATA, Verdict.COUNTERFEIT_SUSPECTED),
    (UnsupportedLayout("DF22"), Reason.UNSUPPORTED_LAYOUT, Verdict.NOT_VERIFIED),
    (InternalError("out of order"), Reason.INTERNAL_ERROR, Verdict.NOT_VERIFIED),
    (TooManyExchangesError(), Reason.TIMEOUT, Verdict.NOT_VERIFIED),
    (CardRemovedError(), Reason.CARD_REMOVED, Verdict.NOT_VERIFIED),
    (CardTimeoutError(), Reason.TIMEOUT, Verdict.NOT_VERIFIED),
    (CardError(), Reason.READER_ERROR, Verdict.NOT_VERIFIED),
    (ForbiddenFileError(), Reason.INTERNAL_ERROR, Verdict.NOT_VERIFIED),
    (TrustFileError(), Reason.INTERNAL_ERROR, Verdict.NOT_VERIFIED),
    (ConfigError(), Reason.INTERNAL_ERROR, Verdict.NOT_VERIFIED),
    (VerifierError(), Reason.INTERNAL_ERROR, Verdict.NOT_VERIFIED),
    (ZeroDivisionError(), Reason.INTERNAL_ERROR, Verdict.NOT_VERIFIED),
    (IndexError(), Reason.INTERNAL_ERROR, Verdict.NOT_VERIFIED),
])
def test_each_error_has_one_reason(error: Exception, reason: Reason, verdict: Verdict) -> None:
    assert reason_for_error(error) is reason
    check = error_check(error, CheckId.CARD_FACE_SIGNATURE)
    assert check.reason is reason
    assert decide((check,), REQUIRED) is verdict


def test_our_failures_are_not_evidence_whatever_their_base() -> None:
    # InternalError and UnsupportedLayout are kept apart from MalformedData by the class tree,
    # so no `except MalformedData` anywhere can catch one of ours as evidence.
    assert not issubclass(InternalError, MalformedData)
    assert not issubclass(UnsupportedLayout, MalformedData)


def test_an_unknown_exception_keeps_only_its_type_as_cause() -> None:
    # A library's message may quote what it was given (a birth date, a name): never shown.
    check = error_check(ValueError("19800217 山田"), CheckId.CARD_FACE_SIGNATURE)
    assert "ValueError" in check.detail.en
    assert "1980" not in check.detail.en and "山田" not in check.detail.en


def test_our_own_errors_keep_their_message() -> None:
    check = error_check(InternalError("a step ran out of order"), CheckId.CHIP_AUTHENTIC)
    assert "out of order" in check.detail.en
    assert check.detail.ja  # the clerk is told something, in Japanese

"""What a failure means for the verdict, decided in one place: reader and transport errors,
bytes no genuine card can hold, and our own failures (rule 7: a bug of ours is never evidence)."""

from __future__ import annotations

from apdu.errors import (
    CardError,
    CardRemovedError,
    CardResetError,
    CardTimeoutError,
    NoCardError,
    NoChipAnswerError,
    NoReaderError,
    OverlongResponseError,
    ServiceNotRunningError,
    SharingViolationError,
)
from verifier.engine import messages as m
from verifier.engine.session import ReadError, TooManyExchangesError
from verifier.engine.verdict import CHIP_PRESENT, Check, CheckId, Reason, Result, decide
from verifier.errors import InternalError, MalformedData, UnsupportedLayout


def reason_for_card_error(error: CardError) -> Reason:
    if isinstance(error, CardRemovedError):
        return Reason.CARD_REMOVED
    if isinstance(error, NoCardError):
        return Reason.NO_CARD
    if isinstance(error, NoReaderError):
        return Reason.NO_READER
    if isinstance(error, ServiceNotRunningError):
        return Reason.SERVICE_NOT_RUNNING
    if isinstance(error, NoChipAnswerError):
        return Reason.NO_CHIP_ANSWER
    if isinstance(error, SharingViolationError):
        # Another program holds the card: says nothing about the card (rule 7).
        return Reason.READER_BUSY
    if isinstance(error, CardTimeoutError):
        return Reason.TIMEOUT
    if isinstance(error, CardResetError):
        return Reason.KEY_CLOSED
    if isinstance(error, OverlongResponseError):
        # more than was asked, sent by the chip itself (ISO 7816-4 lets no card do that)
        return Reason.MALFORMED_DATA
    # Any other transmission error is no evidence about the card: rule 7.
    return Reason.READER_ERROR


def reason_for_error(error: Exception) -> Reason:
    """The one mapping from an error raised inside a check to the reason it fails with.

    Only `MalformedData` (and a chip sending more than was asked) is evidence; everything this
    program failed at — an invariant, a form of signed data it does not know, any other
    exception — is NOT_VERIFIED.
    """
    if isinstance(error, CardError):
        return reason_for_card_error(error)
    if isinstance(error, TooManyExchangesError):
        return Reason.TIMEOUT
    if isinstance(error, MalformedData):
        return Reason.MALFORMED_DATA
    if isinstance(error, UnsupportedLayout):
        return Reason.UNSUPPORTED_LAYOUT
    if isinstance(error, InternalError):
        return Reason.INTERNAL_ERROR
    return Reason.INTERNAL_ERROR


def error_check(error: Exception, check_id: CheckId) -> Check:
    """The failed check for an error, with its technical cause. Our own errors' messages and
    apdu's carry no personal data; any other exception's message might (a library quoting its
    input), so only its type is kept."""
    reason = reason_for_error(error)
    known = (CardError, TooManyExchangesError, MalformedData, UnsupportedLayout, InternalError)
    cause = str(error) if isinstance(error, known) else type(error).__name__
    return m.failed(check_id, reason, cause)


def result_for_connect_error(error: CardError, *, simulated: bool = False) -> Result:
    """No reader, no card, service down, no chip answer: nothing could be asked of a chip, so
    no document is known and one check says why."""
    checks = (m.failed(CHIP_PRESENT, reason_for_card_error(error), str(error)),)
    return Result(verdict=decide(checks, ()), checks=checks, simulated=simulated)


def read_failure(check_id: CheckId, what: str, error: ReadError) -> Check:
    """A file the card would not give: a status word is no evidence (rule 7). 6982 after the
    key was opened means the key closed under us (someone reset the card)."""
    reason = Reason.KEY_CLOSED if error.sw.security_not_satisfied else Reason.READ_FAILED
    return m.failed(check_id, reason, f"{what}: SW {error.sw}")

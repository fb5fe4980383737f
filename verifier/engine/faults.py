"""What a reader or transport failure means for the verdict, decided in one place."""

from __future__ import annotations

from apdu.errors import CardError, CardRemovedError, CardTimeoutError, NoCardError, ProtocolError
from verifier.engine import messages as m
from verifier.engine.verdict import Check, CheckId, Outcome, Reason, Result, decide


def reason_for_card_error(error: CardError, check_id: CheckId) -> Reason:
    if isinstance(error, CardRemovedError | NoCardError):
        return Reason.CARD_REMOVED
    if isinstance(error, CardTimeoutError):
        return Reason.TIMEOUT
    if isinstance(error, ProtocolError):
        # Readers fail with PC/SC errors; breaking the APDU protocol is the chip's own doing.
        return Reason.NO_CHIP if check_id is CheckId.CHIP_PRESENT else Reason.MALFORMED_DATA
    return Reason.READER_ERROR


def card_error_check(error: CardError, check_id: CheckId) -> Check:
    """The failure with its technical cause (apdu errors never carry personal data)."""
    return m.failed(check_id, reason_for_card_error(error, check_id), str(error))


def result_for_connect_error(error: CardError, *, simulated: bool = False) -> Result:
    """No reader, no card, service down: nothing was checked, and the result says why."""
    reason = reason_for_card_error(error, CheckId.CHIP_PRESENT)
    first = m.failed(CheckId.CHIP_PRESENT, reason, str(error))
    rest = tuple(Check(c, Outcome.NOT_RUN, m.NOT_RUN) for c in CheckId
                 if c is not CheckId.CHIP_PRESENT)
    checks = (first, *rest)
    return Result(verdict=decide(checks), checks=checks, simulated=simulated)

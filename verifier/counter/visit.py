"""One card at the counter: open it, precheck (no VERIFY), apply the floor, verify with the code
typed, write the audit record, release the card.

Every front end runs cards through a `Counter`: the CLI's verify, batch, the demo, the GUI's
worker and the bench. A `CardVisit` belongs to one card (rule 6): nothing of it is reused for
the next one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from apdu.errors import CardError
from apdu.transport import Transport
from verifier.card.code_b import CodeB
from verifier.counter.audit import AuditLog
from verifier.counter.policy import CounterPolicy, VirtualReaderRefused
from verifier.counter.printed import with_printed_face_check
from verifier.counter.sources import OpenedCard, SourceSpec, open_card
from verifier.engine.checks import StepCallback, Verification
from verifier.engine.faults import result_for_connect_error
from verifier.engine.floor import confirm_allowed, retype_allowed
from verifier.engine.session import Forms
from verifier.engine.verdict import Result
from verifier.ocr.fields import PrintedFace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checked:
    """A result and where it came from; `audit_error` says why its audit record is missing."""

    result: Result
    reader: str
    audit_error: str | None = None


def _local_now() -> datetime:
    return datetime.now(UTC).astimezone()


class Counter:
    """The counter's policies applied to every card it is handed."""

    def __init__(self, policy: CounterPolicy, *, decode_photo: bool = False,
                 today: Callable[[], date] = date.today,
                 now: Callable[[], datetime] = _local_now,
                 clock: Callable[[], float] = time.perf_counter,
                 nonce: Callable[[int], bytes] = os.urandom) -> None:
        self.policy = policy
        self._decode_photo = decode_photo
        self._today = today
        self._now = now
        self._clock = clock
        self._nonce = nonce
        self._audit = AuditLog(policy.audit_log) if policy.audit_log is not None else None
        self._audit_failure: str | None = None
        # Which command forms each reader + card type refused, kept for the next card there so
        # it is not probed again (a form, never card data). One batch worker per reader.
        self._forms: dict[tuple[str, bytes], Forms] = {}
        self._forms_lock = threading.Lock()

    @property
    def keep_tries(self) -> int:
        return self.policy.keep_tries

    # --- a card ---------------------------------------------------------------------------------
    def open(self, spec: SourceSpec) -> CardVisit:
        """Connect to the card of `spec`; raises apdu.errors.CardError when none is reachable."""
        return self._visit(open_card(spec))

    def attach(self, transport: Transport, *, reader: str, in_process: bool) -> CardVisit:
        """A card a front end connected itself (the GUI's card events)."""
        return self._visit(OpenedCard(transport, reader, in_process, None))

    def _visit(self, opened: OpenedCard) -> CardVisit:
        """Raises VirtualReaderRefused (nothing sent to the card) for a virtual reader outside
        training."""
        try:
            self.policy.admit_reader(opened.reader, in_process=opened.in_process)
        except VirtualReaderRefused:
            with contextlib.suppress(CardError):
                opened.transport.close()
            raise
        return CardVisit(self, opened)

    def verification_for(self, opened: OpenedCard) -> Verification:
        """A fresh Verification with today's options: trust and floor as the policy says,
        the simulated CA only for a simulated card."""
        options = self.policy.options(in_process=opened.in_process, reader=opened.reader,
                                      today=self._today(),
                                      decode_photo=self._decode_photo)
        return Verification(opened.transport, options, clock=self._clock, nonce=self._nonce,
                            forms=self._forms_for(opened))

    def _forms_for(self, opened: OpenedCard) -> Forms:
        atr = getattr(opened.transport, "atr", b"")
        key = (opened.reader, atr if isinstance(atr, bytes) else b"")
        with self._forms_lock:
            return self._forms.setdefault(key, Forms())

    def check(self, spec: SourceSpec, code_b: CodeB | None, *,
              request_id: Any = None, printed_face: PrintedFace | None = None) -> Checked:
        """One card, one session, one verification: open, verify, record, release.
        A card that cannot be reached is a result too (NOT_VERIFIED, with the cause).
        `request_id` (a batch line's id) goes into the audit record."""
        try:
            visit = self.open(spec)
        except CardError as error:
            result = result_for_connect_error(error, simulated=spec.simulated is not None)
            return self.record(result, reader=spec.label, request_id=request_id)
        with contextlib.closing(visit):
            visit.request_id = request_id
            if code_b is None and visit.printed_code is not None:
                return visit.verify(visit.printed_code, code_printed=True)
            return visit.verify(code_b, printed_face=printed_face)

    # --- the audit record -----------------------------------------------------------------------
    def check_audit_log(self) -> None:
        """Raises ConfigError when the audit log asked for cannot be written: front ends call
        it before any card is touched (a verification must never go unrecorded)."""
        if self._audit is not None:
            self._audit.check()

    @property
    def audit_failure(self) -> str | None:
        """Why the last audit record could not be written, until one is written again; a front
        end verifies no further card while this is set (batch stops, the GUI shows it)."""
        return self._audit_failure

    def record(self, result: Result, *, reader: str, request_id: Any = None) -> Checked:
        """Write the audit record (nothing personal) when the operator asked for one."""
        if self._audit is None:
            return Checked(result, reader)
        try:
            self._audit.append(result, when=self._now(), reader=reader,
                               operator=self.policy.operator, request_id=request_id)
        except OSError as error:
            log.warning("audit log not written: %s", type(error).__name__)
            self._audit_failure = f"cannot write the audit log: {error}"
            return Checked(result, reader, self._audit_failure)
        self._audit_failure = None
        return Checked(result, reader)


class CardVisit:
    """One card on the reader, from placing to release."""

    def __init__(self, counter: Counter, opened: OpenedCard) -> None:
        self._counter = counter
        self._opened = opened
        self._verification = counter.verification_for(opened)
        self.precheck_result: Result | None = None
        self.request_id: Any = None  # the caller's id for this card, kept in its audit records

    @property
    def reader(self) -> str:
        return self._opened.reader

    @property
    def simulated(self) -> bool:
        return self._verification.options.simulated

    @property
    def printed_code(self) -> CodeB | None:
        return self._opened.printed_code

    def precheck(self, on_step: StepCallback | None = None) -> Checked:
        """The chip, its card-face AP, the certificate and the tries: no VERIFY is sent.
        A precheck that ends the visit (a counterfeit, too few tries) is recorded."""
        result = self._verification.precheck(on_step)
        self.precheck_result = result
        if result.failing_check is not None:
            return self._counter.record(result, reader=self.reader, request_id=self.request_id)
        return Checked(result, self.reader)

    def may_verify(self) -> bool:
        """The floor: a VERIFY may follow only a clean precheck with tries to spare."""
        return confirm_allowed(self.precheck_result, self._counter.keep_tries)

    def verify(self, code_b: CodeB | None, on_step: StepCallback | None = None, *,
               code_printed: bool = False, printed_face: PrintedFace | None = None) -> Checked:
        """Everything, with one code attempt; recorded. `code_printed`: `code_b` is the
        simulated card's printed code, not one typed (the result says so). `printed_face`:
        the code was read from a picture of the card, whose dates are then held against the
        chip's (a check of its own)."""
        result = self._verification.verify(code_b, on_step, code_printed=code_printed)
        if printed_face is not None:
            result = with_printed_face_check(result, printed_face)
        return self._counter.record(result, reader=self.reader, request_id=self.request_id)

    def may_retype(self, result: Result | None) -> bool:
        return retype_allowed(result, self._counter.keep_tries)

    def retype(self, code_b: CodeB | None, on_step: StepCallback | None = None, *,
               printed_face: PrintedFace | None = None) -> Checked:
        """A corrected code, asked for by the clerk with the card in place: a new Verification
        on the same connection queries the tries afresh and applies the floor again before
        its one VERIFY (nothing is ever retried by itself)."""
        self._verification = self._counter.verification_for(self._opened)
        precheck = self.precheck(on_step)
        if not self.may_verify():
            return precheck
        return self.verify(code_b, on_step, printed_face=printed_face)

    def abandon(self) -> None:
        """From any thread: the card or reader changed; the running call sends nothing more."""
        self._verification.abandon()

    def close(self) -> None:
        """Release the card (powered down, so no key stays open); a card that is gone already
        needs no release."""
        with contextlib.suppress(CardError):
            self._opened.transport.close()

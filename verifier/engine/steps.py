"""The numbered steps of one verification of one card, whatever the document: each step produces
a `Check`, the first failure stops the rest, and a verification is bounded in time and can be
abandoned from another thread.

Each document package subclasses `StepRunner` with its own steps, in its own order (its check
ids, its required checks, its card summary and personal data). What every document shares lives
here: the deadline and abandon guard around the transport, the counting of exchanges, the one
mapping of an error raised inside a step to its reason (`faults.reason_for_error`: only evidence
about the card may become an accusation), oddities of an unsigned layout, and the `Result`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum

from apdu.atr import capabilities
from apdu.errors import CardRemovedError, CardTimeoutError
from apdu.transport import CountingTransport, Transport, TransportBase, power_cycle
from verifier.engine import messages as m
from verifier.engine.faults import error_check
from verifier.engine.session import CardSession, Forms
from verifier.engine.verdict import (
    CardSummary,
    Check,
    CheckId,
    Detail,
    Outcome,
    PersonalData,
    Reason,
    Result,
    Verdict,
    decide,
)

log = logging.getLogger(__name__)

#: The slowest legal card (no extended lengths, no short EF ids, T=0) on a slow contactless
#: reader takes about 1.5 s; a verification still running after this is stuck.
DEFAULT_DEADLINE_S = 10.0
#: Chip data is shown only for a card that proved itself (or a real, expired one): a copy, an
#: altered card or a card pulled half way gives the clerk nothing to compare.
PERSONAL_DATA_VERDICTS = frozenset({Verdict.GENUINE, Verdict.INVALID_CARD})

StepCallback = Callable[[CheckId], None]


class DeadlineExceeded(CardTimeoutError):
    """No verdict within the deadline: nothing more is sent to the card."""


class _Guard(TransportBase):
    """Every exchange passes here: past the deadline, or once abandoned, none is sent."""

    def __init__(self, inner: Transport, clock: Callable[[], float]) -> None:
        self.inner = inner
        self._clock = clock
        self.deadline: float | None = None
        self.deadline_s = 0.0
        self.abandoned = False

    def transmit(self, apdu: bytes) -> bytes:
        if self.abandoned:
            raise CardRemovedError("the card or reader changed: the check was abandoned")
        if self.deadline is not None and self._clock() > self.deadline:
            raise DeadlineExceeded(f"no verdict within {self.deadline_s:g} s")
        return self.inner.transmit(apdu)

    def close(self) -> None:
        self.inner.close()

    def power_cycle(self) -> None:
        power_cycle(self.inner)


class Channel:
    """The way to one card for one visit: every exchange guarded (deadline, abandon), counted,
    and spoken through one session. The counter's recognition of the document and the
    document's own steps share it, so its count and its guard cover them both."""

    def __init__(self, transport: Transport, *, forms: Forms | None = None,
                 deadline_clock: Callable[[], float] = time.monotonic) -> None:
        self.guard = _Guard(transport, deadline_clock)
        self.link = CountingTransport(self.guard)
        self.atr = bytes(getattr(transport, "atr", b"") or b"")
        self.forms = forms
        #: T=0 carries no extended lengths
        self.t0 = getattr(transport, "protocol_name", "") == "T0"
        self.session = CardSession(self.link, forms=forms, t0=self.t0,
                                   capabilities=capabilities(self.atr))


class StepRunner:
    """One card's verification: the plumbing every document's steps run in."""

    #: the document's name in results and JSON ("my_number_card", ...)
    DOCUMENT: str = ""
    #: the document's check ids, in the order they run
    CHECK_ORDER: tuple[StrEnum, ...] = ()
    #: the checks that must have run and passed for GENUINE
    REQUIRED: tuple[StrEnum, ...] = ()

    def __init__(self, transport: Transport | Channel, *, simulated: bool, deadline_s: float,
                 clock: Callable[[], float] = time.perf_counter,
                 deadline_clock: Callable[[], float] = time.monotonic,
                 forms: Forms | None = None,
                 forbidden: Mapping[bytes, frozenset[int]] | None = None) -> None:
        channel = (transport if isinstance(transport, Channel)
                   else Channel(transport, forms=forms, deadline_clock=deadline_clock))
        self._channel = channel
        self._guard = channel.guard
        self._deadline_clock = deadline_clock
        self._deadline_s = deadline_s
        self._simulated = simulated
        self._link = channel.link
        self._atr = channel.atr
        self._session = channel.session
        self._session.forbid(forbidden or {})
        self._clock = clock
        self._checks: dict[CheckId, Check] = {}
        self._elapsed = 0.0
        self._stopped_by: CheckId | None = None
        self._on_step: StepCallback | None = None
        self._oddities: list[str] = []
        self._personal: PersonalData | None = None
        self._generation: int | None = None

    def abandon(self) -> None:
        """From any thread: the card or reader changed, so no further exchange is sent and the
        running call ends NOT_VERIFIED at its next exchange."""
        self._guard.abandoned = True

    @property
    def simulated(self) -> bool:
        return self._simulated

    # --- what a document fills in -------------------------------------------------------------
    def _card_summary(self) -> CardSummary:
        return CardSummary()

    # --- plumbing -----------------------------------------------------------------------------
    def _timed(self, on_step: StepCallback | None, steps: Callable[[], None]) -> Result:
        self._on_step = on_step
        started = self._clock()
        self._guard.deadline_s = self._deadline_s
        self._guard.deadline = self._deadline_clock() + self._deadline_s
        try:
            steps()
        finally:
            self._elapsed += (self._clock() - started) * 1000.0
            self._on_step = None
        return self._result()

    def _run(self, check_id: CheckId, step: Callable[[], Check]) -> None:
        if check_id in self._checks:
            return
        if self._stopped_by is not None:
            self._checks[check_id] = Check(check_id, Outcome.NOT_RUN, m.NOT_RUN)
            return
        if self._on_step is not None:
            self._on_step(check_id)
        try:
            check = step()
        except Exception as error:  # every error has its reason in faults.reason_for_error
            check = error_check(error, check_id)
            if check.reason is Reason.INTERNAL_ERROR:
                log.error("%s: internal error %s", check_id, type(error).__name__)
            elif check.reason is Reason.UNSUPPORTED_LAYOUT:
                log.warning("%s: signed data in a form this program does not know", check_id)
        log.debug("%s: %s%s", check_id, check.outcome.value,
                  f" ({check.reason.value})" if check.reason else "")
        self._checks[check_id] = check
        if check.outcome is Outcome.FAILED:
            self._stopped_by = check_id

    def _rerun(self, check_id: CheckId) -> None:
        """Forget `check_id` so that it runs again (a count asked afresh)."""
        self._checks.pop(check_id, None)
        if self._stopped_by == check_id:
            self._stopped_by = None

    def _skip(self, check_id: CheckId, detail: Detail = m.SKIPPED_BY_OPTION) -> None:
        self._checks.setdefault(check_id, Check(check_id, Outcome.SKIPPED, detail))

    def _result(self) -> Result:
        order: dict[str, int] = {str(check_id): index
                                 for index, check_id in enumerate(self.CHECK_ORDER)}
        ordered = tuple(sorted(self._checks.values(),
                               key=lambda check: order.get(str(check.id), len(order))))
        verdict = decide(ordered, self.REQUIRED)
        personal = self._personal if verdict in PERSONAL_DATA_VERDICTS else None
        return Result(verdict=verdict, checks=ordered, card=self._card_summary(),
                      personal=personal, apdu_count=self._link.stats.exchanges,
                      elapsed_ms=self._elapsed, simulated=self._simulated,
                      oddities=tuple(self._oddities), document=self.DOCUMENT,
                      generation=self._generation, required=self.REQUIRED)

    def _note(self, where: str, oddities: Iterable[StrEnum]) -> None:
        """Record unsigned layout details that differ from the known ones: each once, logged
        by kind only (no value, nothing personal), never a reason for the verdict."""
        for oddity in oddities:
            name = f"{where}.{oddity.value}"
            if name not in self._oddities:
                self._oddities.append(name)
                log.info("layout oddity, not evidence: %s", name)

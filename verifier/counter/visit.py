"""One card at the counter: open it, precheck (no VERIFY), apply the floor, verify with the code
given, write the audit record, release the card.

Every front end runs cards through a `Counter`: the CLI's verify, batch, the demo, the GUI's
worker and the bench. A `CardVisit` belongs to one card (rule 6): nothing of it is reused for
the next one. What the counter decides for all of them lives here: whether a code may be sent
(the floor, a code this card already rejected), whether a corrected code may follow, that no
card is verified while its audit record could not be written, and the exit code and JSON of
an answer.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from apdu.errors import CardError, NoChipAnswerError
from apdu.transport import Transport
from verifier.counter.actions import (
    DEFAULT_INSTRUCTIONS,
    NOT_ACCEPTED,
    Action,
    Instructions,
    NextStep,
    next_step,
)
from verifier.counter.answer import Checked
from verifier.counter.audit import AuditLog
from verifier.counter.codes import CodeInput
from verifier.counter.documents import recognise
from verifier.counter.keys import (
    KeyInput,
    NumberInput,
    WrongKeyError,
    as_key,
    key_bytes,
    key_kind,
    key_sent,
)
from verifier.counter.memory import CardKey, CardMemory
from verifier.counter.policy import CounterPolicy, ReaderRefused
from verifier.counter.printed import Caution, with_printed_face
from verifier.counter.sources import OpenedCard, SourceSpec, open_card
from verifier.documents.my_number.code_b import CodeB
from verifier.documents.residence.card_number import CardNumber
from verifier.engine.document import Document, DocumentVerification, Found, KeyKind, Recognition
from verifier.engine.faults import result_for_connect_error
from verifier.engine.floor import confirm_allowed, retype_allowed
from verifier.engine.session import Forms
from verifier.engine.steps import Channel, StepCallback
from verifier.engine.verdict import Reason, Result, Verdict
from verifier.errors import ConfigError

log = logging.getLogger(__name__)

#: What a front end hands the counter as the key: bare, or with how it was given.
Key = CodeB | CardNumber | KeyInput
#: The chip refused the key itself: a clerk may correct it (the floor permitting).
KEY_REJECTED = frozenset({Reason.CODE_REJECTED, Reason.NUMBER_REJECTED})


class AuditStopped(ConfigError):
    """An audit record could not be written: no further card is verified until the audit log
    can be written again (a verification must never go unrecorded)."""


def _local_now() -> datetime:
    return datetime.now(UTC).astimezone()


class Counter:
    """The counter's policies applied to every card it is handed."""

    def __init__(self, policy: CounterPolicy, *, decode_photo: bool = False,
                 instructions: Instructions = DEFAULT_INSTRUCTIONS,
                 memory: CardMemory | None = None,
                 today: Callable[[], date] = date.today,
                 now: Callable[[], datetime] = _local_now,
                 clock: Callable[[], float] = time.perf_counter,
                 nonce: Callable[[int], bytes] = os.urandom) -> None:
        self.policy = policy
        self.instructions = instructions
        self._decode_photo = decode_photo
        self._today = today
        self._now = now
        self._clock = clock
        self._nonce = nonce
        self._audit = AuditLog(policy.audit_log) if policy.audit_log is not None else None
        self._audit_failure: str | None = None
        # what this counter remembers of cards in its session (a counter app whose settings
        # change keeps it: it is the same session at the same counter)
        self.memory = memory if memory is not None else CardMemory()
        # Which command forms each reader + card type refused, kept for the next card there so
        # it is not probed again (a form, never card data). One batch worker per reader.
        self._forms: dict[tuple[str, bytes], Forms] = {}
        self._forms_lock = threading.Lock()

    @property
    def keep_tries(self) -> int:
        return self.policy.keep_tries

    def today(self) -> date:
        return self._today()

    # --- the floor ------------------------------------------------------------------------------
    def may_confirm(self, precheck: Result | None) -> bool:
        """May a VERIFY follow this precheck? Only a clean one, with tries to spare."""
        return confirm_allowed(precheck, self.keep_tries)

    def may_retype(self, result: Result | None) -> bool:
        """After a rejected code with the card still in place, may a corrected one be sent?"""
        return retype_allowed(result, self.keep_tries)

    @staticmethod
    def code_rejected(result: Result | None) -> bool:
        """The chip rejected the key typed, a code B or a card number (a clerk may correct
        it, the floor permitting)."""
        failing = result.failing_check if result is not None else None
        return failing is not None and failing.reason in KEY_REJECTED

    # --- a card ---------------------------------------------------------------------------------
    def open(self, spec: SourceSpec) -> CardVisit:
        """Connect to the card of `spec`; raises apdu.errors.CardError when none is reachable,
        AuditStopped while the audit log cannot be written."""
        self._ensure_recordable()
        return self._visit(open_card(spec))

    def attach(self, transport: Transport, *, reader: str, in_process: bool) -> CardVisit:
        """A card a front end connected itself (the GUI's card events)."""
        self._ensure_recordable()
        return self._visit(OpenedCard(transport, reader, in_process, None))

    def arrive(self, connect: Callable[[], Transport], *, reader: str, in_process: bool,
               on_step: StepCallback | None = None) -> tuple[CardVisit | None, Checked]:
        """A card placed on a reader a front end watches: connect and precheck (no VERIFY).
        A card that cannot be reached is a result too (NOT_VERIFIED with its cause: no chip
        answer, another program holding it, …), recorded, and no visit. Raises AuditStopped
        and ReaderRefused (nothing sent to the card)."""
        self._ensure_recordable()
        try:
            transport = connect()
        except CardError as error:
            simulated = self.policy.is_simulated(reader, in_process=in_process)
            return None, self.record(result_for_connect_error(error, simulated=simulated),
                                     reader=reader)
        visit = self.attach(transport, reader=reader, in_process=in_process)
        return visit, visit.precheck(on_step)

    def no_chip_answer(self, reader: str, *, simulated: bool = False) -> Checked:
        """The clerk confirmed a document on `reader` but no chip has answered there (a
        contactless reader sees nothing of a card without one): recorded, not accepted."""
        self._ensure_recordable()
        error = NoChipAnswerError("no chip answered on the reader while the clerk held the "
                                  "document to it")
        return self.record(result_for_connect_error(error, simulated=simulated), reader=reader)

    def _visit(self, opened: OpenedCard) -> CardVisit:
        """Raises ReaderRefused (nothing sent to the card) for a virtual reader outside
        training."""
        try:
            self.policy.admit_reader(opened.reader, in_process=opened.in_process)
        except ReaderRefused:
            with contextlib.suppress(CardError):
                opened.transport.close()
            raise
        return CardVisit(self, opened)

    def channel_for(self, opened: OpenedCard) -> Channel:
        return Channel(opened.transport, forms=self._forms_for(opened))

    def verification_for(self, document: Document, recognition: Recognition, channel: Channel,
                         opened: OpenedCard) -> DocumentVerification:
        """A fresh verification of `document` with today's options: trust and floor as the
        policy says, the simulated CA only for a simulated card."""
        options = self.policy.options(in_process=opened.in_process, reader=opened.reader,
                                      today=self._today(), decode_photo=self._decode_photo)
        trust = self.policy.trust_for(document, in_process_simulated=opened.in_process)
        return document.verification(channel, options, trust, recognition, clock=self._clock,
                                     nonce=self._nonce)

    def _forms_for(self, opened: OpenedCard) -> Forms:
        atr = getattr(opened.transport, "atr", b"")
        key = (opened.reader, atr if isinstance(atr, bytes) else b"")
        with self._forms_lock:
            return self._forms.setdefault(key, Forms())

    def check(self, spec: SourceSpec, code: Key | None, *, request_id: Any = None,
              ask: Callable[[Document], KeyInput | None] | None = None) -> Checked:
        """One card, one session, one verification: open, verify, record, release.
        A card that cannot be reached is a result too (NOT_VERIFIED, with the cause).
        `request_id` (a batch line's id) goes into the audit record. No key given: a simulated
        card's printed one, else `ask` is asked for the key of the document the chip answered
        as, after a clean precheck (a prompt). Raises AuditStopped (nothing touched) while the
        audit log cannot be written, WrongKeyError (nothing sent) for a key of another
        document, and whatever `ask` raises."""
        self._ensure_recordable()
        try:
            visit = self.open(spec)
        except CardError as error:
            result = result_for_connect_error(error, simulated=spec.simulated is not None)
            return self.record(result, reader=spec.label, request_id=request_id)
        with contextlib.closing(visit):
            visit.request_id = request_id
            given = as_key(code)
            printed = visit.printed_key
            if given is None and printed is not None:
                given = (NumberInput(printed, typed=False) if isinstance(printed, CardNumber)
                         else CodeInput(printed, typed=False))
            if given is None and ask is not None:
                precheck = visit.precheck()
                if not visit.may_verify() or visit.document is None:
                    return precheck
                given = ask(visit.document)
            return visit.verify(given)

    # --- the audit record -----------------------------------------------------------------------
    def check_audit_log(self) -> None:
        """Raises ConfigError when the audit log asked for cannot be written, and verifies no
        card until it can (front ends call it before any card is touched: a verification must
        never go unrecorded). Once it can be written again, the stop is lifted."""
        if self._audit is not None:
            try:
                self._audit.check()
            except ConfigError as error:
                self._audit_failure = str(error)
                raise
        self._audit_failure = None

    @property
    def audit_failure(self) -> str | None:
        """Why the last audit record could not be written; while set, no card is verified
        (`AuditStopped`) until `check_audit_log` succeeds."""
        return self._audit_failure

    def _ensure_recordable(self) -> None:
        if self._audit_failure is not None:
            raise AuditStopped(self._audit_failure)

    def record(self, result: Result, *, reader: str, request_id: Any = None,
               attempts_in_a_row: int | None = None, cautions: tuple[Caution, ...] = ()
               ) -> Checked:
        """The counter's answer for `result`, and its audit record (nothing personal) when the
        operator asked for one. `attempts_in_a_row`: None when the card could not be told
        apart (no chip answered): then this attempt counts alone."""
        attempts = (1 if result.verdict is Verdict.NOT_VERIFIED else 0) \
            if attempts_in_a_row is None else attempts_in_a_row
        checked = Checked(result, reader,
                          next=next_step(result, attempts_in_a_row=attempts,
                                         keep_tries=self.keep_tries,
                                         instructions=self.instructions),
                          attempts_in_a_row=attempts, cautions=cautions,
                          extra_trust=self.policy.extra_trust(simulated=result.simulated))
        if self._audit is None:
            return checked
        try:
            self._audit.append(checked, when=self._now(), operator=self.policy.operator,
                               request_id=request_id)
        except OSError as error:
            log.warning("audit log not written: %s", type(error).__name__)
            self._audit_failure = f"cannot write the audit log: {error}"
            return replace(checked, audit_error=self._audit_failure)
        return checked


def standing_counter(policy: CounterPolicy, *, decode_photo: bool = True,
                     instructions: Instructions = DEFAULT_INSTRUCTIONS,
                     memory: CardMemory | None = None) -> tuple[Counter, str | None]:
    """The Counter of an app that keeps running whatever its settings (the counter app): a
    trust file that cannot be used is left out, and why is returned; an audit log that cannot
    be written stops it before any card is touched (`Counter.audit_failure` says why), as it
    stops the command line."""
    usable, trust_error = policy.with_usable_trust()
    counter = Counter(usable, decode_photo=decode_photo, instructions=instructions,
                      memory=memory)
    with contextlib.suppress(ConfigError):
        counter.check_audit_log()
    return counter, trust_error


class CardVisit:
    """One card on the reader, from placing to release."""

    def __init__(self, counter: Counter, opened: OpenedCard) -> None:
        self._counter = counter
        self._opened = opened
        self._channel = counter.channel_for(opened)
        self._verification: DocumentVerification | None = None
        #: which document the chip answered as, once the precheck asked it
        self.document: Document | None = None
        self.precheck_result: Result | None = None
        self.request_id: Any = None  # the caller's id for this card, kept in its audit records

    @property
    def reader(self) -> str:
        return self._opened.reader

    @property
    def simulated(self) -> bool:
        return self._counter.policy.is_simulated(self.reader, in_process=self._opened.in_process)

    def _current(self, prefer: KeyKind | None = None) -> DocumentVerification:
        """The verification of the document the chip answers as: asked of the chip first
        (`prefer`: the kind of key the clerk gave, when no document is sure)."""
        if self._verification is None:
            document, recognition = recognise(self._channel, prefer=prefer)
            self.document = document
            self._verification = self._counter.verification_for(document, recognition,
                                                                 self._channel, self._opened)
        return self._verification

    @property
    def printed_key(self) -> CodeB | CardNumber | None:
        """A simulated card's printed key (code B or card number), used when none was given."""
        return self._opened.printed_key

    def _card_key(self) -> CardKey:
        return self._counter.memory.card(self.reader, *self._current().identity())

    def already_rejected(self, key: CodeB | CardNumber) -> bool:
        """This card (as far as the chip said before any key) rejected `key` earlier in this
        session: it is not sent again. A document whose chips look alike before the key (the
        residence card) is remembered by reader: a number one card on it rejected is not sent
        on that reader again, which costs nothing — another customer's number differs."""
        return self._counter.memory.rejected(self._card_key(), key.to_bytes())

    def precheck(self, on_step: StepCallback | None = None) -> Checked:
        """The chip, its card-face AP, the certificate and the tries: no VERIFY is sent.
        A precheck that ends the visit (a counterfeit, too few tries) is recorded."""
        self._counter._ensure_recordable()
        result = self._current().precheck(on_step)
        self.precheck_result = result
        if result.failing_check is not None:
            return self._counter.record(result, reader=self.reader, request_id=self.request_id,
                                        attempts_in_a_row=self._attempt(result))
        return Checked(result, self.reader, next=NextStep(Action.NOT_ACCEPTED, NOT_ACCEPTED),
                       extra_trust=self._counter.policy.extra_trust(simulated=self.simulated))

    def _attempt(self, result: Result) -> int:
        """Count this verification for the card: by its own key once the card face was read,
        and by what it answered without a code (ATR, certificate) in any case."""
        memory = self._counter.memory
        verification = self._current()
        identity = verification.identity()
        # chips that look alike before the key are not counted together: the count would run
        # on from one customer's card to the next
        cards = [memory.card("", b"answers", *identity)] if identity else []
        key = verification.card_key()
        if key is not None:
            cards.insert(0, memory.card("", b"key", key))
        verified = result.verdict is not Verdict.NOT_VERIFIED
        if not cards:
            return 0 if verified else 1
        return memory.attempt(cards, verified=verified)

    def may_verify(self) -> bool:
        """The floor: a VERIFY may follow only a clean precheck with tries to spare."""
        return self._counter.may_confirm(self.precheck_result)

    def verify(self, code: Key | None, on_step: StepCallback | None = None) -> Checked:
        """Everything, with one attempt of the key; recorded. A key this card already rejected
        is not sent (`code_already_rejected`, `number_already_rejected`). When the key came
        from a picture of the card, the picture is then held against the chip (a check of its
        own). Raises WrongKeyError, sending nothing, for a key the document does not take."""
        self._counter._ensure_recordable()
        given = as_key(code)
        verification = self._current(key_kind(given) if given is not None else None)
        self.check_key(given)
        result = verification.verify(key_sent(given) if given else None, on_step,
                                     code_printed=given is not None and not given.typed,
                                     gate=self._gate)
        if given is not None and self._counter.code_rejected(result):
            self._counter.memory.remember_rejected(self._card_key(), key_bytes(given))
        result, cautions = with_printed_face(result, given)
        return self._counter.record(result, reader=self.reader, request_id=self.request_id,
                                    attempts_in_a_row=self._attempt(result), cautions=cautions)

    def check_key(self, given: KeyInput | None) -> None:
        """WrongKeyError when `given` is not the kind of key the chip's document takes."""
        document = self.document
        if given is None or document is None or key_kind(given) is document.key_kind:
            return
        raise WrongKeyError(key_kind(given), document.title.en, document.key_kind)

    def _gate(self, key: CodeB | CardNumber) -> Reason | None:
        if not self.already_rejected(key):
            return None
        return (Reason.NUMBER_ALREADY_REJECTED if isinstance(key, CardNumber)
                else Reason.CODE_ALREADY_REJECTED)

    def may_retype(self, result: Result | None) -> bool:
        return self._counter.may_retype(result)

    def retype(self, code: Key | None, on_step: StepCallback | None = None) -> Checked:
        """A corrected code, asked for by the clerk with the card in place: a new Verification
        on the same connection queries the tries afresh and applies the floor again before
        its one VERIFY (nothing is ever retried by itself)."""
        if self.document is not None:
            # the same document, asked again on a fresh count (its own steps select it again)
            self._channel = self._counter.channel_for(self._opened)
            self._verification = self._counter.verification_for(
                self.document, Recognition(Found.YES), self._channel, self._opened)
        precheck = self.precheck(on_step)
        if not self.may_verify():
            return precheck
        return self.verify(code, on_step)

    def abandon(self) -> None:
        """From any thread: the card or reader changed; the running call sends nothing more."""
        self._channel.guard.abandoned = True

    def close(self) -> None:
        """Release the card (powered down, so no key stays open); a card that is gone already
        needs no release."""
        with contextlib.suppress(CardError):
            self._opened.transport.close()

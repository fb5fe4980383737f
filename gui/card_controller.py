"""The card state machine and the worker thread that talks to the card.

One card = one `_Card` = one CardVisit of the application layer (rule 6). Every card gets a new
generation number; a worker's answer carries the generation it was started for and is dropped
if the card has since been removed or replaced, so a slow or failing read can never put the
previous customer's data on screen.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from gui.card_events import CardEvents
from verifier.counter.answer import Checked
from verifier.counter.keys import KeyInput, KeyKind, key_sent
from verifier.counter.policy import ReaderRefused
from verifier.counter.readers import OpenedTransport
from verifier.counter.visit import CardVisit, Counter
from verifier.engine.verdict import Result
from verifier.errors import InternalError, VerifierError

log = logging.getLogger(__name__)


class CardState(enum.Enum):
    NO_READER = "no_reader"
    NO_CARD = "no_card"
    READING = "reading"
    CARD_PRESENT = "card_present"  # precheck passed; waiting for the key (code B, number)
    DONE = "done"  # a verdict is on screen
    REMOVED = "removed"
    IDLE_WIPED = "idle_wiped"
    CLEARED = "cleared"  # the clerk cleared the screen (Esc); the card must be placed again
    NO_CHIP = "no_chip"  # the clerk confirmed, but no chip has answered on the reader
    ERROR = "error"


#: States with a reader and no card of ours: confirming here, after NO_CHIP_AFTER_S, says that
#: no chip answers (a contactless reader sees nothing of a card without a chip).
WAITING_FOR_A_CARD = (CardState.NO_CARD, CardState.REMOVED, CardState.IDLE_WIPED,
                      CardState.CLEARED)
NO_CHIP_AFTER_S = 3.0


class Phase(enum.Enum):
    PRECHECK = "precheck"
    VERIFY = "verify"
    RETYPED = "retyped"  # the clerk corrected a rejected code: precheck again, then verify
    CLOSE = "close"


@dataclass
class _Card:
    """One card on the reader. Its fields are touched only on the worker thread."""

    generation: int
    reader: str
    counter: Counter  # the policy in force when the card arrived
    open: Callable[[], OpenedTransport]
    in_process: bool
    visit: CardVisit | None = None


@dataclass(frozen=True)
class _Job:
    phase: Phase
    card: _Card
    code: KeyInput | None = None


def key_kind_of(visit: CardVisit | None) -> KeyKind:
    """The key the document the chip answered as opens with (the counter recognised it in
    the precheck); code B when no chip answered, as on the counter app's first screen."""
    document = visit.document if visit is not None else None
    return document.key_kind if document is not None else KeyKind.CODE_B


class _Worker(QObject):
    """Runs jobs one after another on the controller's thread; never touches widgets."""

    step = Signal(int, str)  # generation, check id
    done = Signal(int, str, object, object)  # generation, phase, Checked, KeyKind
    failed = Signal(int, str, str)  # generation, phase, error message (never personal data)

    @Slot(object)
    def run(self, job: _Job) -> None:
        card = job.card

        def on_step(check_id: str) -> None:
            self.step.emit(card.generation, str(check_id))

        try:
            if job.phase is Phase.CLOSE:
                if card.visit is not None:
                    card.visit.close()
                card.visit = None
                return
            if job.phase is Phase.PRECHECK:
                card.visit, checked = card.counter.arrive(card.open, reader=card.reader,
                                                          in_process=card.in_process,
                                                          on_step=on_step)
            elif card.visit is None:
                raise InternalError("a code was confirmed for a card that was never opened")
            elif job.phase is Phase.RETYPED:
                checked = card.visit.retype(job.code, on_step=on_step)
            else:
                checked = card.visit.verify(job.code, on_step=on_step)
        except VerifierError as error:
            # the message is the error class's own text: no chip data, no code B
            log.info("card job %s failed: %s", job.phase.value, type(error).__name__)
            self.failed.emit(card.generation, job.phase.value, str(error))
            return
        phase = Phase.VERIFY if job.phase is Phase.RETYPED else job.phase
        self.done.emit(card.generation, phase.value, checked, key_kind_of(card.visit))

class CardController(QObject):
    """Follows card events, runs precheck / verify on the worker, owns the shown results."""

    state_changed = Signal(object)  # CardState
    progress = Signal(str)  # check id now running
    precheck_ready = Signal(object)  # Checked
    result_ready = Signal(object)  # Checked
    wiped = Signal()
    readers_changed = Signal(list)
    failed = Signal(str)
    refused = Signal(str)  # a virtual reader's card outside training: the reader's name
    audit_failed = Signal(str)  # why a record is missing; verifying stops until fixed
    _submit = Signal(object)

    def __init__(self, source: CardEvents, counter: Counter, *, idle_timeout_ms: int,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self._counter = counter
        # The clerk's reader, kept while it is unplugged (waited for, never replaced by another);
        # "" = whichever reader gets a card.
        self.reader = ""
        self.refused_reader = ""  # the virtual reader last refused, for the status line
        self.state = CardState.NO_READER
        self.precheck: Result | None = None
        self.result: Result | None = None
        #: the counter's answer for the verdict on screen (action, next step, cautions)
        self.checked: Checked | None = None
        #: The shown result is a rejected code on a card still present: the clerk may correct
        #: the digits and confirm again (never done automatically).
        self.retypable = False
        #: what the card on the reader opens with, once its chip answered (code B before)
        self.key_kind = KeyKind.CODE_B
        self._card: _Card | None = None
        self._readers: list[str] = []  # as last reported by the source
        self._present: set[str] = set()  # readers holding a card, selected or not
        self._generation = 0
        self._thread = QThread(self)
        self._thread.setObjectName("mynacheck-card-worker")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.step.connect(self._on_step)
        self._worker.done.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)
        self._thread.start()
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(idle_timeout_ms)
        self.idle_timer.timeout.connect(self.idle_wipe)
        self.no_chip_timer = QTimer(self)
        self.no_chip_timer.setSingleShot(True)
        self.no_chip_timer.setInterval(int(NO_CHIP_AFTER_S * 1000))
        # the window enables confirming once it runs out
        self.no_chip_timer.timeout.connect(lambda: self.state_changed.emit(self.state))
        source.inserted.connect(self._on_inserted)
        source.removed.connect(self._on_removed)
        source.readers_changed.connect(self._on_readers_changed)

    # --- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        self.source.start()

    def shutdown(self) -> None:
        self.source.stop()
        self._drop_card()
        self._thread.quit()
        self._thread.wait()

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def readers(self) -> list[str]:
        return list(self._readers)

    @property
    def keep_tries(self) -> int:
        """The floor that applies to the card on the reader (settings change from the next)."""
        return self.counter.keep_tries

    @property
    def cards_elsewhere(self) -> list[str]:
        """Readers other than the selected one that hold a card."""
        if not self.reader:
            return []
        return sorted(r for r in self._present if r != self.reader)

    @property
    def audit_error(self) -> str:
        """Why the last audit record could not be written; while set, no card is checked
        (the counter refuses: a verification without its record must not happen)."""
        return self._counter.audit_failure or ""

    @property
    def counter(self) -> Counter:
        """The counter of the card on the reader (settings change from the next card)."""
        card = self._card
        return card.counter if card is not None else self._counter

    def can_confirm(self) -> bool:
        if self.audit_error:
            return False
        if self.state is CardState.DONE and self.retypable:
            return self.counter.may_retype(self.result)
        return self.state is CardState.CARD_PRESENT and self.counter.may_confirm(self.precheck)

    def already_rejected(self, key: KeyInput) -> bool:
        """The card on the reader rejected this very key earlier (it is not sent again)."""
        card = self._card
        visit = card.visit if card is not None else None
        return visit is not None and visit.already_rejected(key_sent(key))

    def _set_state(self, state: CardState) -> None:
        self.state = state
        if state in (CardState.CARD_PRESENT, CardState.DONE, CardState.NO_CHIP):
            self.idle_timer.start()
        else:
            self.idle_timer.stop()
        if state in WAITING_FOR_A_CARD:
            self.no_chip_timer.start()
        else:
            self.no_chip_timer.stop()
        self.state_changed.emit(state)

    def can_report_no_chip(self) -> bool:
        """The clerk holds a document to the reader and nothing answers: a card without a chip
        (or none at all) for NO_CHIP_AFTER_S. Confirming then says so, as a result."""
        return (self.state in WAITING_FOR_A_CARD and not self.no_chip_timer.isActive()
                and not self.audit_error and bool(self._readers) and not self.reader_missing)

    def report_no_chip(self) -> bool:
        """The clerk confirmed with no chip answering: NOT_VERIFIED, no_chip_answer, recorded;
        the document is not accepted until its chip verifies."""
        if not self.can_report_no_chip():
            return False
        reader = self.reader or (self._readers[0] if len(self._readers) == 1 else "")
        checked = self._counter.no_chip_answer(reader, simulated=self.source.simulated)
        self._wipe()
        self.result = checked.result
        self.checked = checked
        self.result_ready.emit(checked)
        self._set_state(CardState.NO_CHIP)
        return True

    # --- user actions -------------------------------------------------------------------------
    def set_reader(self, reader: str) -> None:
        """Follow `reader` only; a card already in it is read at once."""
        if reader == self.reader:
            return
        self.reader = reader
        if self._card is not None and reader and self._card.reader != reader:
            self._drop_card()
            self._wipe()
        if self._card is None:
            if reader in self._present:
                self._on_inserted(reader)
            else:
                self._set_state(self._waiting_state())

    def confirm(self, code: KeyInput) -> bool:
        """Send the key (code B, card number) for the card on the reader, once; refused unless
        the precheck allows it."""
        card = self._card
        if card is None or not self.can_confirm():
            return False
        phase = Phase.RETYPED if self.retypable else Phase.VERIFY
        self.retypable = False
        self._set_state(CardState.READING)
        self._submit.emit(_Job(phase, card, code))
        return True

    def touch(self) -> None:
        """The clerk did something: restart the idle countdown."""
        if self.idle_timer.isActive():
            self.idle_timer.start()

    def set_counter(self, counter: Counter) -> None:
        """New trust / floor / audit log; used from the next card on (a card keeps its own).
        A new audit log lifts the stop of a failed one: a card waiting on the reader is read."""
        stopped = bool(self.audit_error)
        self._counter = counter
        if self.audit_error:
            self.audit_failed.emit(self.audit_error)
        elif stopped:
            self.audit_failed.emit("")
            if self._card is not None:
                waiting = [self._card.reader]
            else:  # the chosen reader, or (none chosen) whichever holds a card
                waiting = [self.reader] if self.reader else sorted(self._present)
            for reader in waiting:
                if reader in self._present:
                    self._on_inserted(reader)
                    break

    def clear(self) -> None:
        """The clerk cleared the screen (Esc) after a verdict: everything goes, as at a wipe."""
        if self.precheck is None and self.result is None:
            return
        self._drop_card()
        self._wipe()
        self._set_state(CardState.CLEARED)

    def set_idle_timeout_ms(self, ms: int) -> None:
        self.idle_timer.setInterval(ms)

    @Slot()
    def idle_wipe(self) -> None:
        """Nobody touched the app: clear everything; the card must be placed again."""
        if self._card is None and self.precheck is None and self.result is None:
            return
        self._drop_card()
        self._wipe()
        self._set_state(CardState.IDLE_WIPED)

    @property
    def reader_missing(self) -> bool:
        """The clerk's reader is not connected (it is waited for)."""
        return bool(self.reader) and self.reader not in self._readers

    def _waiting_state(self) -> CardState:
        if not self._readers or self.reader_missing:
            return CardState.NO_READER
        return CardState.NO_CARD

    # --- card events (GUI thread) -------------------------------------------------------------
    def _accepts(self, reader: str) -> bool:
        return not self.reader or reader == self.reader

    def _refuses(self, reader: str) -> bool:
        """A virtual reader outside training (the policy decides): its card is never read. In
        "any reader" mode it does not interrupt a card being handled elsewhere."""
        try:
            self._counter.policy.admit_reader(reader, in_process=self.source.simulated)
        except ReaderRefused:
            if self.reader or self._card is None:
                self._drop_card()
                self._wipe()
                self.refused_reader = reader
                self.refused.emit(reader)
                self._set_state(CardState.ERROR)
            return True
        return False

    @Slot(str)
    def _on_inserted(self, reader: str) -> None:
        self._present.add(reader)
        if not self._accepts(reader):
            self.state_changed.emit(self.state)  # the window says where the card is
            return
        if self._refuses(reader):
            return
        if self.audit_error:
            self.state_changed.emit(self.state)
            return
        self.refused_reader = ""
        # a new card: nothing of the previous one may survive, even if this read fails
        self._drop_card()
        self._wipe()
        self._generation += 1
        source = self.source
        card = _Card(self._generation, reader, self._counter,
                     lambda: source.open_transport(reader), in_process=source.simulated)
        self._card = card
        self._set_state(CardState.READING)
        self._submit.emit(_Job(Phase.PRECHECK, card))

    @Slot(str)
    def _on_removed(self, reader: str) -> None:
        self._present.discard(reader)
        card = self._card
        if card is None or card.reader != reader:
            if self._accepts(reader) and self.state is not CardState.NO_READER:
                if self.refused_reader and reader != self.refused_reader:
                    return  # the refusal stays on screen until its card leaves
                self.refused_reader = ""
                self._set_state(CardState.NO_CARD)
            else:
                self.state_changed.emit(self.state)
            return
        self._drop_card()
        self._wipe()
        self._set_state(CardState.REMOVED)

    @Slot(list)
    def _on_readers_changed(self, readers: list[str]) -> None:
        self._readers = list(readers)
        self._present &= set(readers)
        self.readers_changed.emit(readers)
        if self._card is not None and self._card.reader not in readers:
            self._drop_card()
            self._wipe()
        if not readers or self.reader_missing:
            self._set_state(CardState.NO_READER)
        elif self._card is None and self.state is CardState.NO_READER:
            self._set_state(CardState.NO_CARD)

    # --- worker answers (GUI thread) ----------------------------------------------------------
    def _current(self, generation: int) -> bool:
        return self._card is not None and generation == self._generation

    @Slot(int, str)
    def _on_step(self, generation: int, check_id: str) -> None:
        if self._current(generation):
            self.progress.emit(check_id)

    @Slot(int, str, object, object)
    def _on_done(self, generation: int, phase: str, checked: Checked, kind: KeyKind) -> None:
        if not self._current(generation):
            return  # a removed or replaced card: drop its answer unseen
        result = checked.result
        if checked.audit_error:
            self.audit_failed.emit(checked.audit_error)
        if phase == Phase.PRECHECK.value:
            self.precheck = result
            self.key_kind = kind
            if result.failing_check is not None:
                self.checked = checked
            # the state first: the window enables the key fields, then shows the precheck and
            # puts the focus in the field of the key this card takes
            if result.failing_check is not None:
                self._set_state(CardState.DONE)
            else:
                self._set_state(CardState.CARD_PRESENT)
            self.precheck_ready.emit(checked)
            return
        self.result = result
        self.checked = checked
        self.retypable = self.counter.code_rejected(result)
        self.result_ready.emit(checked)
        self._set_state(CardState.DONE)

    @Slot(int, str, str)
    def _on_failed(self, generation: int, phase: str, message: str) -> None:
        del phase
        if not self._current(generation):
            return
        self._drop_card()
        self._wipe()
        self.failed.emit(message)
        self._set_state(CardState.ERROR)

    # --- wiping -------------------------------------------------------------------------------
    def _drop_card(self) -> None:
        """Forget the card: later worker answers for it are stale; close it on the worker."""
        card, self._card = self._card, None
        if card is not None:
            if card.visit is not None:
                card.visit.abandon()  # a slow card must not hold the next customer's read
            self._generation += 1
            self._submit.emit(_Job(Phase.CLOSE, card))

    def _wipe(self) -> None:
        self.precheck = None
        self.result = None
        self.checked = None
        self.retypable = False
        self.key_kind = KeyKind.CODE_B
        self.wiped.emit()

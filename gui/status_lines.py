"""The two lines of words above the verdict: the status line (what the counter is doing and what
the clerk does next, in the words of the key the card takes) and the tries line (code-B tries
left; a residence card has no tries counter to show). Pure: state and result in, the
words and their look out; the window only shows them."""

from __future__ import annotations

from dataclasses import dataclass

from gui.card_controller import CardController, CardState
from gui.i18n import Language, has_text, text
from verifier.counter.keys import KeyKind
from verifier.engine.verdict import Reason, Result

_STATE_KEYS = {CardState.NO_READER: "state.no_reader", CardState.NO_CARD: "state.no_card",
               CardState.READING: "state.reading", CardState.CARD_PRESENT: "state.card_present",
               CardState.DONE: "state.done", CardState.REMOVED: "state.removed",
               CardState.IDLE_WIPED: "state.idle_wiped", CardState.CLEARED: "state.cleared",
               CardState.NO_CHIP: "state.no_chip"}
#: States with no card of ours where a card on another reader is worth mentioning.
_WAITING = (CardState.NO_CARD, CardState.REMOVED, CardState.IDLE_WIPED, CardState.CLEARED)


#: What the chip said of its key when asked its tries (the document's tries query).
KEY_STATE_REASONS = frozenset({Reason.TOO_FEW_TRIES, Reason.BLOCKED, Reason.TRIES_UNCLEAR,
                               Reason.KEY_OPEN})


@dataclass(frozen=True)
class Line:
    text: str
    tooltip: str = ""
    refused: bool = False  # shown as a refusal (the tries line)
    warn: bool = False  # shown as a warning (the tries line)


def status_line(controller: CardController, language: Language, *, error: str,
                service_running: bool) -> Line:
    state = controller.state
    elsewhere = controller.cards_elsewhere
    if state is CardState.ERROR and controller.refused_reader:
        return Line(text("reader.virtual_refused", language, reader=controller.refused_reader))
    if state is CardState.NO_READER and controller.reader_missing:
        return Line(text("reader.waiting", language, reader=controller.reader))
    if state is CardState.ERROR:
        # the technical cause in the tooltip, for whoever fixes it
        return Line(text("state.error", language, message=error), tooltip=error)
    if state is CardState.NO_READER and not service_running:
        return Line(text("state.no_service", language))
    if state in _WAITING and elsewhere:
        return Line(text("state.other_reader", language, reader=elsewhere[0],
                         selected=controller.reader))
    if state is CardState.DONE and controller.retypable:
        return Line(text(_for_key("state.retype", controller.key_kind), language))
    if state is CardState.CARD_PRESENT:
        return Line(text(_for_key("state.card_present", controller.key_kind), language))
    return Line(text(_STATE_KEYS[state], language))


def _for_key(key: str, kind: KeyKind) -> str:
    """The words of `key` for the key the card on the reader takes (code B's by default)."""
    specific = f"{key}.{kind.value}"
    return specific if kind is not KeyKind.CODE_B and has_text(specific) else key


def tries_line(result: Result | None, controller: CardController, language: Language) -> Line:
    if result is None:
        return Line("")
    tries = result.card.retries_left
    failing = result.failing_check
    reason = failing.reason if failing is not None else None
    refused = reason in KEY_STATE_REASONS
    rejected = controller.retypable and tries is not None and result is controller.result
    if refused and reason is Reason.TOO_FEW_TRIES and tries is not None:
        words = text("tries.refused_short", language, tries=tries, floor=controller.keep_tries)
    elif refused and reason is Reason.BLOCKED:
        # only what the chip said: 6984 or 63C0 to the tries query
        words = text("tries.blocked", language)
    elif refused:
        # refused, unclear, or an open key: no count, and no story that excuses the card
        words = text("tries.unclear", language)
    elif rejected:
        words = text("tries.after_reject", language, tries=tries)
    elif tries is not None:
        words = text("tries.left", language, tries=tries)
    else:
        words = ""
    return Line(words, refused=refused, warn=rejected)

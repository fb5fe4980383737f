"""What every key field group shares (code B's three items, the residence card's number): the
signals, the message under the fields, the card's memory of a rejected key, enabling, clearing
and the marks on fields a picture read unsurely.

The key itself exists only in the CodeInput / NumberInput handed to the controller; a
subclass's fields hold the characters while the clerk types, and nothing here logs them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QLineEdit, QWidget

from gui.i18n import Language, text
from verifier.counter.keys import KeyInput

#: Asked whether the card on the reader already rejected a key (the counter's memory).
RejectedCheck = Callable[[KeyInput], bool]


def mark_doubtful(field: QLineEdit, doubtful: bool) -> None:
    """Colour a field the picture read unsurely (the style sheet's `doubtful` property)."""
    if bool(field.property("doubtful")) == doubtful:
        return
    field.setProperty("doubtful", doubtful)
    field.style().unpolish(field)
    field.style().polish(field)


class KeyEntry(QGroupBox):
    """The base of the key field groups; a subclass builds its fields, then calls `_watch`."""

    changed = Signal()  # any field changed; ask key() / evaluate()
    submitted = Signal()  # Enter pressed in a field
    #: the message (i18n key) for a key this card rejected a moment ago, typed again unchanged
    SAME_AS_REJECTED = "code.same_as_rejected"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._language = Language.JA
        self._already_rejected: RejectedCheck = lambda key: False
        self.message = QLabel()
        self.message.setObjectName("codeMessage")
        self.message.setWordWrap(True)

    # --- what a subclass gives ------------------------------------------------------------------
    def fields(self) -> tuple[QLineEdit, ...]:
        """The text fields in Tab order."""
        raise NotImplementedError

    def focus_order(self) -> tuple[QWidget, ...]:
        return self.fields()

    def _read(self) -> tuple[KeyInput | None, str]:
        """The key the fields make (by the counter's rules), or None and what is wrong."""
        raise NotImplementedError

    def _reset(self) -> None:
        """Anything beside the text fields that a clear puts back (a selector, a picture)."""

    # --- shared behaviour -----------------------------------------------------------------------
    def _watch(self) -> None:
        for field in self.fields():
            field.textChanged.connect(self._on_changed)
            field.returnPressed.connect(self.submitted)

    def clear(self) -> None:
        """Empty every field (what was typed is personal data) and drop the marks."""
        for field in self.fields():
            field.clear()
        self.unmark()
        self._reset()
        self._on_changed()

    def unmark(self) -> None:
        for field in self.fields():
            mark_doubtful(field, False)

    def set_active(self, active: bool) -> None:
        """Typing is possible only while a card waits for its key; no advice otherwise."""
        self.setEnabled(active)
        self._show_message()

    def set_rejected_check(self, check: RejectedCheck | None) -> None:
        """How to ask whether the card on the reader rejected a key already (None: no card)."""
        self._already_rejected = check or (lambda key: False)
        self._on_changed()

    def focus_first(self) -> None:
        self.fields()[0].setFocus()

    def select_first(self) -> None:
        """Focus the first field with its text selected: correct a rejected key from the top."""
        first = self.fields()[0]
        first.setFocus()
        first.selectAll()

    def typed(self) -> bool:
        return any(field.text() for field in self.fields())

    def _show_message(self) -> None:
        # nothing typed yet: the status line already says what to do (one instruction at once)
        self.message.setText(self.evaluate()[1] if self.isEnabled() and self.typed() else "")

    def _on_changed(self) -> None:
        self._show_message()
        self.changed.emit()

    def key(self) -> KeyInput | None:
        return self.evaluate()[0]

    def evaluate(self) -> tuple[KeyInput | None, str]:
        """The key if the fields make one, and the message to show under them."""
        key, problem = self._read()
        if key is None:
            return None, problem
        if self._already_rejected(key):
            return None, text(self.SAME_AS_REJECTED, self._language)
        return key, text("code.ready", self._language)

    def invalid(self, error: Exception) -> str:
        """The message for a key the counter refused as typed: its Japanese words first."""
        message_ja = getattr(error, "message_ja", None)
        shown = message_ja if self._language is Language.JA and message_ja else str(error)
        return text("code.invalid", self._language, message=shown)

    def retranslate(self, language: Language) -> None:
        self._language = language
        self._show_message()

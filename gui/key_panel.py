"""The key the card on the reader needs, and the pictures it can be read from.

Before any card, and for a My Number Card, the code-B fields; once a residence card's chip has
answered, the one card-number field. The reading buttons below read what the shown fields need.
A picture's reading fills the fields and waits for the clerk; it is used with the key when the
clerk confirms, and dropped with everything else on a wipe.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from gui.code_entry import CodeEntry
from gui.i18n import Language
from gui.key_entry import KeyEntry, RejectedCheck
from gui.number_entry import NumberEntry
from gui.picture import FrameSource, PicturePanel, fill
from verifier.counter.codes import with_picture
from verifier.counter.keys import KeyInput, KeyKind, NumberInput
from verifier.ocr.fields import PrintedFace


class KeyPanel(QWidget):
    changed = Signal()  # the key fields changed
    submitted = Signal()  # Enter pressed in a key field
    picture_filled = Signal(bool)  # a picture filled the fields (True: some marked unsure)

    def __init__(self, parent: QWidget | None = None, *,
                 camera: FrameSource | None = None) -> None:
        super().__init__(parent)
        self.code_entry = CodeEntry()
        self.number_entry = NumberEntry()
        self.entries: dict[KeyKind, KeyEntry] = {KeyKind.CODE_B: self.code_entry,
                                                 KeyKind.CARD_NUMBER: self.number_entry}
        self.stack = QStackedWidget()
        for entry in self.entries.values():
            self.stack.addWidget(entry)
            entry.changed.connect(self.changed)
            entry.submitted.connect(self.submitted)
        self.picture = PicturePanel(camera=camera)
        #: code B's fields as a picture gave them, until the code is sent, cleared or wiped
        self.printed_face: PrintedFace | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.stack)
        column.addWidget(self.picture)
        self.picture.face_read.connect(self._on_picture)

    @property
    def kind(self) -> KeyKind:
        return self.picture.kind

    @property
    def entry(self) -> KeyEntry:
        """The fields shown: those of the key the card on the reader takes."""
        return self.entries[self.kind]

    def show_kind(self, kind: KeyKind) -> None:
        """Ask for `kind` of key: its fields shown, the pictures read for it. What was typed
        for the other kind goes (it belonged to another card)."""
        if kind is self.kind:
            return
        self.entry.clear()
        self.printed_face = None
        self.picture.set_kind(kind)
        self.stack.setCurrentWidget(self.entries[kind])
        self.changed.emit()

    def focus_order(self) -> tuple[QWidget, ...]:
        """Every key field in Tab order (Qt skips those of the hidden kind)."""
        return (*self.code_entry.focus_order(), *self.number_entry.focus_order())

    def key(self) -> KeyInput | None:
        """The key the fields make now (nothing is used up)."""
        return self.entry.key()

    def take_key(self) -> KeyInput | None:
        """The key to send now, with the picture it was read from; the picture is used up."""
        if self.kind is KeyKind.CARD_NUMBER:
            return self.number_entry.take_key()
        code = self.code_entry.code()
        face, self.printed_face = self.printed_face, None
        return with_picture(code, face) if code is not None else None

    def set_active(self, active: bool) -> None:
        for entry in self.entries.values():  # the hidden fields are never typed into
            entry.set_active(active)
        self.picture.set_active(active)

    def set_rejected_check(self, check: RejectedCheck | None) -> None:
        for entry in self.entries.values():
            entry.set_rejected_check(check)

    def focus_first(self) -> None:
        self.entry.focus_first()

    def select_first(self) -> None:
        self.entry.select_first()

    def clear(self) -> None:
        """Esc: what was typed goes, and the picture it came from."""
        self.printed_face = None
        self.entry.clear()

    def wipe(self) -> None:
        """The card went away: every field, mark and reading goes, and the code-B fields are
        back for the next card."""
        self.picture.cancel()
        self.printed_face = None
        for entry in self.entries.values():
            entry.clear()
            entry.set_rejected_check(None)
        self.show_kind(KeyKind.CODE_B)

    @Slot(object)
    def _on_picture(self, reading: PrintedFace | NumberInput) -> None:
        if not self.entry.isEnabled():
            return  # the card went away (or was verified) while the picture was read
        marked: tuple[QLineEdit, ...]
        if isinstance(reading, NumberInput) and self.kind is KeyKind.CARD_NUMBER:
            marked = self.number_entry.fill(reading)
        elif isinstance(reading, PrintedFace) and self.kind is KeyKind.CODE_B:
            self.printed_face = reading
            marked = fill(self.code_entry, reading)
        else:
            return  # read for the other kind of card
        if marked:
            marked[0].setFocus()  # the clerk looks at what was read unsurely first
        self.picture_filled.emit(bool(marked))

    def retranslate(self, language: Language) -> None:
        for entry in self.entries.values():
            entry.retranslate(language)
        self.picture.retranslate(language)

    def shutdown(self) -> None:
        self.picture.shutdown()

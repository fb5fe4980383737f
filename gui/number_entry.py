"""The residence card's key: one field for the 12-character card number, validated while typed.

The number is parsed by the counter (`number_from_text`, `number_from_picture`) and exists
beyond the field only inside the NumberInput handed to the controller; it never reaches a
message or a log. A number read from a picture of the card fills the field for the clerk to
compare and confirm; that reading (with the picture's other fields) is kept so the counter can
hold the printed face against the chip, until the number is sent, cleared or wiped.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QValidator
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

from gui.i18n import Language, text
from gui.key_entry import KeyEntry, mark_doubtful
from verifier.counter.keys import (
    KeyInput,
    NumberInput,
    NumberInputError,
    number_from_picture,
    number_from_text,
)

NUMBER_LENGTH = 12
FIELD_PX_PER_CHARACTER = 24  # at the style sheet's 18 pt, capitals being wider than digits
FIELD_PADDING_PX = 28


class NumberValidator(QValidator):
    """Letters and digits only, at most 12, as the card prints them: full-width ones (an IME
    left on) become ASCII and lower case becomes upper case as they are typed; spaces are
    dropped (a number pasted in groups). Whether the 12 characters make a card number is the
    counter's to say (the message under the field)."""

    def validate(self, typed: str, pos: int) -> object:
        normal = "".join(ch for ch in unicodedata.normalize("NFKC", typed)
                         if not ch.isspace()).upper()
        if normal == "" or (normal.isascii() and normal.isalnum()
                            and len(normal) <= NUMBER_LENGTH):
            return (QValidator.State.Acceptable, normal, min(pos, len(normal)))
        return (QValidator.State.Invalid, typed, pos)


class NumberEntry(KeyEntry):
    """在留カード等番号: one field, and the reading of a picture the clerk has to confirm."""

    SAME_AS_REJECTED = "number.same_as_rejected"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: what a picture of the card gave (its number and printed fields), until used
        self._picture: NumberInput | None = None
        self.number = QLineEdit()
        self.number.setObjectName("cardNumber")
        # room for a number pasted with spaces between its groups; the validator keeps 12
        self.number.setMaxLength(2 * NUMBER_LENGTH)
        self.number.setValidator(NumberValidator())
        # one width per character, so 0 and O, 1 and I are told apart by shape
        font = self.number.font()
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setFamilies(["DejaVu Sans Mono", "Noto Sans Mono", "Consolas", "Menlo",
                          "monospace"])
        self.number.setFont(font)
        self.number.setFixedWidth(FIELD_PX_PER_CHARACTER * NUMBER_LENGTH + FIELD_PADDING_PX)
        self.label = QLabel()
        self.label.setBuddy(self.number)
        self.note = QLabel()
        self.note.setObjectName("note")
        self.note.setWordWrap(True)
        grid = QGridLayout(self)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.label, 0, 0)
        grid.addWidget(self.number, 1, 0, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.note, 2, 0)
        grid.addWidget(self.message, 3, 0)
        grid.setColumnStretch(0, 1)
        grid.setRowStretch(4, 1)
        self._watch()
        self.retranslate(self._language)

    def fields(self) -> tuple[QLineEdit, ...]:
        return (self.number,)

    def _reset(self) -> None:
        self._picture = None

    @property
    def from_picture(self) -> bool:
        """The field holds a picture's reading (the clerk may have corrected it)."""
        return self._picture is not None

    def fill(self, reading: NumberInput) -> tuple[QLineEdit, ...]:
        """Put the number a picture gave into the field, kept with the picture; the field is
        marked when the picture read it unsurely (returned then, for the clerk to look at)."""
        self.clear()
        self._picture = reading  # before the text, so the message speaks of the reading
        self.number.setText(reading.number.text)
        face = reading.face
        unsure = face is None or bool(face.low_confidence(names=("card_number",)))
        mark_doubtful(self.number, unsure)
        return (self.number,) if unsure else ()

    def take_key(self) -> KeyInput | None:
        """The key to send now; the picture's reading is used up with it (a corrected number
        typed after a rejection is a typed one)."""
        key = self.key()
        self._picture = None
        return key

    def _read(self) -> tuple[KeyInput | None, str]:
        typed = self.number.text()
        picture = self._picture
        try:
            if picture is not None and picture.face is not None:
                # the counter notes whether the clerk changed what the picture gave
                return number_from_picture(picture.face, corrected=typed), ""
            return number_from_text(typed), ""
        except NumberInputError as error:
            return None, self.invalid(error)

    def retranslate(self, language: Language) -> None:
        self._language = language
        self.setTitle(text("number.title", language))
        self.label.setText(text("number.label", language))
        self.note.setText(text("number.note", language))
        super().retranslate(language)

"""Code B entry: the three things printed on the card face, validated while typed.

The 14-digit code exists only inside the CodeB object handed to the controller; it is never put
in a widget, a message or a log. 西暦 in the era selector means the face prints the birth date in
Gregorian (foreign residents), so the code is built with `gregorian_birth=True`.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from gui.i18n import ERAS, Language, era_label, text
from gui.key_entry import KeyEntry
from verifier.counter.codes import (
    DEFAULT_ERA,
    GANNEN,
    CodeInput,
    EraEntry,
    IncompleteCodeError,
    code_from_entry,
    normalize_digits,
)
from verifier.counter.keys import KeyInput
from verifier.errors import CodeBInputError

FIELD_PX_PER_DIGIT = 20  # at the style sheet's 18 pt
FIELD_PADDING_PX = 28


class DigitsValidator(QValidator):
    """Digits; full-width ones (an IME left on) are turned into ASCII as they are typed, and
    元 stands for year 1 where `gannen` allows it (an era year)."""

    def __init__(self, gannen: bool = False) -> None:
        super().__init__()
        self.gannen = gannen

    def validate(self, typed: str, pos: int) -> object:
        normal = normalize_digits(typed)
        if (self.gannen and normal == GANNEN) or normal == "" or (
                normal.isascii() and normal.isdigit()):
            return (QValidator.State.Acceptable, normal, pos)
        return (QValidator.State.Invalid, typed, pos)


def _digits_field(max_length: int, object_name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(object_name)
    field.setMaxLength(max_length)
    field.setValidator(DigitsValidator())
    field.setFixedWidth(FIELD_PX_PER_DIGIT * max_length + FIELD_PADDING_PX)
    return field


class CodeEntry(KeyEntry):
    """Code B: the era, birth date, expiry year and security code as printed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.era = QComboBox()
        self.era.setObjectName("era")
        for era in ERAS:
            self.era.addItem(era_label(era, self._language), era)
        self.year = _digits_field(4, "birthYear")
        self.month = _digits_field(2, "birthMonth")
        self.day = _digits_field(2, "birthDay")
        self.expiry = _digits_field(4, "expiryYear")
        self.security = _digits_field(4, "securityCode")
        self.birth_label, self.expiry_label, self.security_label = QLabel(), QLabel(), QLabel()
        self.year_unit, self.month_unit, self.day_unit = QLabel(), QLabel(), QLabel()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("note")

        birth_row = QHBoxLayout()
        for widget in (self.era, self.year, self.year_unit, self.month, self.month_unit,
                       self.day, self.day_unit):
            birth_row.addWidget(widget)
        birth_row.addStretch(1)
        # labels above their fields, so the birth row gets the whole width of the column
        grid = QGridLayout(self)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.birth_label, 0, 0, 1, 2)
        grid.addLayout(birth_row, 1, 0, 1, 2)
        grid.addWidget(self.note, 2, 0, 1, 2)
        grid.addWidget(self.expiry_label, 3, 0)
        grid.addWidget(self.security_label, 3, 1)
        grid.addWidget(self.expiry, 4, 0)
        grid.addWidget(self.security, 4, 1)
        grid.addWidget(self.message, 5, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self._watch()
        self.era.currentIndexChanged.connect(self._on_era_changed)
        self.reset_era()
        self.retranslate(self._language)

    def fields(self) -> tuple[QLineEdit, ...]:
        """The text fields in Tab order."""
        return (self.year, self.month, self.day, self.expiry, self.security)

    def focus_order(self) -> tuple[QWidget, ...]:
        return (self.era, *self.fields())

    def reset_era(self) -> None:
        self.era.setCurrentIndex(ERAS.index(DEFAULT_ERA))

    def _reset(self) -> None:
        self.reset_era()

    @property
    def gregorian(self) -> bool:
        return bool(self.era.currentData() == "")

    def _on_era_changed(self) -> None:
        # a Gregorian year has 4 digits, an era year at most 2 (or 元)
        self.year.setMaxLength(4 if self.gregorian else 2)
        validator = self.year.validator()
        if isinstance(validator, DigitsValidator):
            validator.gannen = not self.gregorian
        if self.gregorian and self.year.text() == GANNEN:
            self.year.clear()
        self._on_changed()

    def code(self) -> CodeInput | None:
        key = self.key()
        return key if isinstance(key, CodeInput) else None

    def entry(self) -> EraEntry:
        """The fields as typed, for the counter to read."""
        return EraEntry(era=str(self.era.currentData()), year=self.year.text(),
                        month=self.month.text(), day=self.day.text(),
                        expiry_year=self.expiry.text(), security_code=self.security.text())

    def _read(self) -> tuple[KeyInput | None, str]:
        language = self._language
        try:
            return code_from_entry(self.entry(), today=date.today()), ""
        except IncompleteCodeError as error:
            return None, text("code.incomplete", language,
                              field=text(f"code.field.{error.field}", language))
        except CodeBInputError as error:
            return None, self.invalid(error)

    def retranslate(self, language: Language) -> None:
        self._language = language
        self.setTitle(text("code.title", language))
        for index, era in enumerate(ERAS):
            self.era.setItemText(index, era_label(era, language))
        self.birth_label.setText(text("code.birth", language))
        self.year_unit.setText(text("code.year", language))
        self.month_unit.setText(text("code.month", language))
        self.day_unit.setText(text("code.day", language))
        self.expiry_label.setText(text("code.expiry", language))
        self.security_label.setText(text("code.security", language))
        self.note.setText(text("code.gregorian_note", language))
        super().retranslate(language)

"""What the chip holds, shown for the clerk to compare with the person and the card in hand.

Every document shows the photo. The My Number Card adds its name and address images and the
text rows; a first-generation residence card the whole front of the card as its chip stores it
(the clerk holds the card against it: a copied chip under a new face shows another front); a
second-generation one its name and address images — the address marked as unsigned — and its
printed entries as labelled text. Rows with nothing to show are hidden.

Only chip data whose signature verified reach here (the engine decodes images after it).
`clear()` empties every label and drops the entry rows: nothing of a customer survives a wipe.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import Language, document_title, has_text, text
from verifier.card.values import Sex
from verifier.counter.codes import GANNEN, era_of
from verifier.engine.verdict import PersonalData, Result

PHOTO_SIZE = QSize(220, 276)
TEXT_IMAGE_WIDTH = 360
#: the chip's front-of-card image is 480 × 302; shown at most at that size, smaller to fit
FRONT_SIZE = QSize(480, 302)


def format_date(day: date | None, language: Language, *, era: bool = True) -> str:
    """「1980年2月17日（昭和55年）」: the era as the card prints a birth date (`era=False` for
    the expiry, printed in Gregorian)."""
    if day is None:
        return ""
    if language is Language.EN:
        return day.isoformat()
    if not era:
        return f"{day.year}年{day.month}月{day.day}日"
    try:
        era_name, era_year = era_of(day)
    except ValueError:
        return f"{day.year}年{day.month}月{day.day}日"
    shown_year = GANNEN if era_year == 1 else str(era_year)
    return f"{day.year}年{day.month}月{day.day}日（{era_name}{shown_year}年）"


def format_sex(sex: Sex | None, language: Language) -> str:
    if sex is None:
        return ""
    key = f"sex.{sex.code}"
    return text(key, language) if has_text(key) else sex.code


def _set_png(label: QLabel, png: bytes | None, width: int, height: int) -> None:
    pixmap = QPixmap()
    if png is not None and pixmap.loadFromData(png, "PNG"):
        label.setPixmap(pixmap.scaled(width, height, Qt.AspectRatioMode.KeepAspectRatio,
                                      Qt.TransformationMode.SmoothTransformation))
    else:
        label.setPixmap(QPixmap())


class FittedImage(QLabel):
    """A chip image shown whole: scaled down to the label's width (a narrow window) instead of
    being cut at its edge, never scaled up past its natural size."""

    def __init__(self, max_width: int, max_height: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._max = QSize(max_width, max_height)
        self._source = QPixmap()
        # a chip image never widens the window: it is scaled to the width there is
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(24)

    @property
    def has_image(self) -> bool:
        return not self._source.isNull()

    def set_png(self, png: bytes | None) -> None:
        source = QPixmap()
        self._source = source if png is not None and source.loadFromData(png, "PNG") else QPixmap()
        self._fit()

    def clear(self) -> None:
        self._source = QPixmap()
        super().clear()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._source.isNull():
            self.setPixmap(QPixmap())
            return
        width = max(1, min(self._max.width(), self.contentsRect().width()))
        height = min(self._max.height(), self._source.height() * width
                     // max(1, self._source.width()))
        self.setPixmap(self._source.scaled(width, max(1, height),
                                           Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation))


def _wrapped(object_name: str = "") -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    if object_name:
        label.setObjectName(object_name)
    # chip text is shown as text, never as markup
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


class ChipView(QWidget):
    """The photo beside the rest of what the chip holds."""

    _ROWS = ("result.name", "result.address", "result.birth", "result.sex", "result.expiry")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = _wrapped("chipDocument")
        self.photo = QLabel()
        self.photo.setObjectName("photo")
        self.photo.setFixedSize(PHOTO_SIZE)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_caption = QLabel()
        # the first generation's front of the card, with what to do with it
        self.front_caption = _wrapped("frontCaption")
        self.front_image = FittedImage(FRONT_SIZE.width(), FRONT_SIZE.height())
        self.front_image.setObjectName("frontImage")
        self.front_image.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.name_image = FittedImage(TEXT_IMAGE_WIDTH, 60)
        self.address_image = FittedImage(TEXT_IMAGE_WIDTH, 90)
        self.address_note = _wrapped("unsignedNote")
        self.name_text, self.address_text = _wrapped(), _wrapped()
        self.birth, self.sex, self.expiry = QLabel(), QLabel(), QLabel()
        self.captions = {key: QLabel() for key in self._ROWS}
        self.entries_caption = QLabel()
        self.entries_caption.setObjectName("entriesCaption")
        #: (label, value) pairs of the printed entries, made per card and dropped on a wipe
        self.entry_labels: list[tuple[QLabel, QLabel]] = []

        self._details = QGridLayout()
        self._row_widgets: dict[str, tuple[QWidget, ...]] = {
            "result.name": (self.name_image, self.name_text),
            "result.address": (self.address_image, self.address_note, self.address_text),
            "result.birth": (self.birth,), "result.sex": (self.sex,),
            "result.expiry": (self.expiry,)}
        row_index = 0
        for key in self._ROWS:
            self._details.addWidget(self.captions[key], row_index, 0, Qt.AlignmentFlag.AlignTop)
            for widget in self._row_widgets[key]:
                self._details.addWidget(widget, row_index, 1)
                row_index += 1
        self._details.setColumnStretch(1, 1)
        self._entries = QGridLayout()
        self._entries.setColumnStretch(1, 1)
        self._entries.setVerticalSpacing(2)

        photo_column = QVBoxLayout()
        photo_column.addWidget(self.photo)
        photo_column.addWidget(self.photo_caption, 0, Qt.AlignmentFlag.AlignHCenter)
        photo_column.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.front_caption)
        right.addWidget(self.front_image)
        right.addLayout(self._details)
        right.addWidget(self.entries_caption)
        right.addLayout(self._entries)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(photo_column)
        body.addLayout(right, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.document)
        outer.addLayout(body)
        self.clear()

    def personal_widgets(self) -> tuple[QLabel, ...]:
        """Every label that can hold a customer's data (tests assert they are empty)."""
        values = tuple(value for _label, value in self.entry_labels)
        return (self.photo, self.front_image, self.name_image, self.address_image,
                self.name_text, self.address_text, self.birth, self.sex, self.expiry, *values)

    def clear(self) -> None:
        for label in self.personal_widgets():
            label.setPixmap(QPixmap())
            label.clear()
        self._drop_entries()
        for label in (self.document, self.photo_caption, self.front_caption,
                      self.address_note, self.entries_caption, *self.captions.values()):
            label.clear()
        self._show_only_filled()
        self.hide()

    def _drop_entries(self) -> None:
        for label, value in self.entry_labels:
            for widget in (label, value):
                self._entries.removeWidget(widget)
                widget.setParent(None)
                widget.deleteLater()
        self.entry_labels = []

    def show_personal(self, result: Result, personal: PersonalData, language: Language) -> None:
        """Fill in what `personal` holds of `result`'s card (nothing of a previous card stays)."""
        self.clear()
        title = document_title(result.document, result.generation, language)
        self.document.setText(text("result.document", language, document=title) if title
                              else "")
        for key, caption in self.captions.items():
            caption.setText(text(key, language))
        self.photo_caption.setText(text("result.photo", language))
        # photo_png exists only once the signature verified (the engine decodes after it)
        _set_png(self.photo, personal.photo_png, PHOTO_SIZE.width(), PHOTO_SIZE.height())
        if personal.photo_png is None:
            self.photo.setText(text("result.no_photo", language))
        if personal.front_png is not None:
            self.front_caption.setText(text("result.front", language) + " — "
                                       + text("result.compare_front", language))
        self.front_image.set_png(personal.front_png)
        self.name_image.set_png(personal.name_png)
        self.address_image.set_png(personal.address_png)
        if personal.address_png is not None and personal.address_unsigned:
            self.address_note.setText("⚠ " + text("result.address_unsigned", language))
        self.name_text.setText(personal.text_name or "")
        self.address_text.setText(personal.text_address or "")
        if personal.entries:
            # the chip's printed entries are the text to compare: birth date, sex and expiry
            # among them, as the card prints them
            self.entries_caption.setText(text("result.entries", language))
            for row, (label, value) in enumerate(personal.entries):
                caption = QLabel(label.ja if language is Language.JA else label.en)
                shown = _wrapped("entryValue")
                shown.setText(value)
                self._entries.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
                self._entries.addWidget(shown, row, 1)
                self.entry_labels.append((caption, shown))
        else:
            self.birth.setText(format_date(personal.birth_date, language))
            self.sex.setText(format_sex(personal.sex, language))
            self.expiry.setText(format_date(result.card.expiry, language, era=False))
        self._show_only_filled()
        self.show()

    def _show_only_filled(self) -> None:
        """A row, caption or image with nothing in it takes no room."""
        for key, widgets in self._row_widgets.items():
            filled = [widget for widget in widgets if _filled(widget)]
            self.captions[key].setVisible(bool(filled))
            for widget in widgets:
                widget.setVisible(widget in filled)
        for label in (self.document, self.front_caption, self.front_image,
                      self.entries_caption):
            label.setVisible(_filled(label))


def _filled(widget: QWidget) -> bool:
    if isinstance(widget, FittedImage):
        return widget.has_image
    if isinstance(widget, QLabel):
        return bool(widget.text()) or not widget.pixmap().isNull()
    return True

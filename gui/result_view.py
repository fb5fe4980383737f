"""The verdict banner, the chip's photo and data, and what the clerk should do next.

The banner says the verdict in words and with one icon; colour only repeats it.
`clear()` empties every widget and drops the Result: nothing of a customer survives a wipe.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import Language, check_name, has_text, text, verdict_label
from verifier.card.values import Sex
from verifier.counter.answer import Checked
from verifier.counter.codes import GANNEN, era_of
from verifier.engine.verdict import Result, Verdict

PHOTO_SIZE = QSize(220, 276)
TEXT_IMAGE_WIDTH = 360
_ICON = {Verdict.GENUINE: QStyle.StandardPixmap.SP_DialogApplyButton,
         Verdict.COUNTERFEIT_SUSPECTED: QStyle.StandardPixmap.SP_MessageBoxCritical,
         Verdict.INVALID_CARD: QStyle.StandardPixmap.SP_MessageBoxWarning,
         Verdict.NOT_VERIFIED: QStyle.StandardPixmap.SP_MessageBoxQuestion}
_STYLE_CLASS = {Verdict.GENUINE: "genuine", Verdict.COUNTERFEIT_SUSPECTED: "counterfeit",
                Verdict.INVALID_CARD: "invalid", Verdict.NOT_VERIFIED: "unverified"}


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
        self.setPixmap(self._source.scaled(width, self._max.height(),
                                           Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation))


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


class VerdictBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdictBanner")
        self.icon = QLabel()
        self.icon.setFixedSize(56, 56)
        self.words = QLabel()
        self.words.setObjectName("verdictWords")
        self.words.setWordWrap(True)
        row = QHBoxLayout(self)
        row.addWidget(self.icon)
        row.addWidget(self.words, 1)
        self.verdict: Verdict | None = None
        self.clear()

    def show_verdict(self, verdict: Verdict, language: Language, *,
                     simulated: bool = False) -> None:
        """A simulated card's verdict has its own words and colour, never a real one's look."""
        self.verdict = verdict
        icon = self.style().standardIcon(_ICON[verdict])
        self.icon.setPixmap(icon.pixmap(48, 48))
        suffix = text("verdict.simulated", language) if simulated else ""
        self.words.setText(f"{verdict_label(verdict, language)}{suffix}")
        self._restyle("simulated" if simulated else _STYLE_CLASS[verdict])

    def show_note(self, note: str) -> None:
        """A neutral line (e.g. 'chip found, enter code B') instead of a verdict."""
        self.verdict = None
        self.icon.setPixmap(QPixmap())
        self.words.setText(note)
        self._restyle("note")

    def clear(self) -> None:
        self.verdict = None
        self.icon.setPixmap(QPixmap())
        self.words.setText("")
        self._restyle("empty")

    def _restyle(self, verdict_class: str) -> None:
        self.setProperty("verdict", verdict_class)
        for widget in (self, self.words):  # the words' font depends on the frame's property
            widget.style().unpolish(widget)
            widget.style().polish(widget)


class ResultView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._result: Result | None = None
        self._note_key = ""
        self._language = Language.JA
        self._checked: Checked | None = None
        self.banner = VerdictBanner()
        self.reason = QLabel()
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        self.photo = QLabel()
        self.photo.setObjectName("photo")
        self.photo.setFixedSize(PHOTO_SIZE)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_caption = QLabel()
        self.name_image = FittedImage(TEXT_IMAGE_WIDTH, 60)
        self.address_image = FittedImage(TEXT_IMAGE_WIDTH, 90)
        self.name_text, self.address_text = QLabel(), QLabel()
        self.birth, self.sex, self.expiry = QLabel(), QLabel(), QLabel()
        self.captions = {key: QLabel() for key in ("result.name", "result.address",
                                                   "result.birth", "result.sex",
                                                   "result.expiry")}
        for image in (self.name_image, self.address_image):
            # a chip image never widens the window: it is scaled to the width there is
            image.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            image.setMinimumHeight(24)
        for text_label in (self.name_text, self.address_text):
            text_label.setWordWrap(True)
            text_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.next_steps = QLabel()
        self.next_steps.setObjectName("nextSteps")
        self.next_steps.setWordWrap(True)
        #: printed fields to check by eye, a typed era that differs (names only, no values)
        self.cautions = QLabel()
        self.cautions.setObjectName("cautions")
        self.cautions.setWordWrap(True)

        details = QGridLayout()
        rows = (("result.name", (self.name_image, self.name_text)),
                ("result.address", (self.address_image, self.address_text)),
                ("result.birth", (self.birth,)), ("result.sex", (self.sex,)),
                ("result.expiry", (self.expiry,)))
        row_index = 0
        for key, widgets in rows:
            details.addWidget(self.captions[key], row_index, 0, Qt.AlignmentFlag.AlignTop)
            for widget in widgets:
                details.addWidget(widget, row_index, 1)
                row_index += 1
        details.setColumnStretch(1, 1)
        photo_column = QVBoxLayout()
        photo_column.addWidget(self.photo)
        photo_column.addWidget(self.photo_caption, 0, Qt.AlignmentFlag.AlignHCenter)
        photo_column.addStretch(1)
        # hidden while there is nothing personal to show; its labels are emptied all the same
        self.personal_panel = QWidget()
        body = QHBoxLayout(self.personal_panel)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(photo_column)
        body.addLayout(details, 1)
        self.personal_panel.hide()
        for wrapped in (self.reason, self.cautions, self.next_steps):
            wrapped.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.banner.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.reason)
        layout.addWidget(self.personal_panel)
        layout.addWidget(self.cautions)
        layout.addWidget(self.next_steps)
        layout.addStretch(1)
        self.clear()

    @property
    def result(self) -> Result | None:
        return self._result

    def personal_widgets(self) -> tuple[QLabel, ...]:
        """Every label that can hold a customer's data (tests assert they are empty)."""
        return (self.photo, self.name_image, self.address_image, self.name_text,
                self.address_text, self.birth, self.sex, self.expiry, self.reason,
                self.next_steps)

    def show_note(self, key: str) -> None:
        self.clear()
        self._note_key = key
        self.banner.show_note(text(key, self._language))

    def show_result(self, checked: Checked) -> None:
        """A verdict: the counter's answer, with what the clerk does next."""
        self._checked = checked
        self._result = checked.result
        self._note_key = ""
        self._render()

    def clear(self) -> None:
        self._result = None
        self._checked = None
        self._note_key = ""
        self.banner.clear()
        for label in self.personal_widgets():
            label.setPixmap(QPixmap())
            label.clear()
        self.photo_caption.clear()
        for caption in self.captions.values():
            caption.clear()
        self.personal_panel.hide()
        self.reason.hide()
        self.cautions.clear()
        self.cautions.hide()
        self.next_steps.hide()

    def retranslate(self, language: Language) -> None:
        self._language = language
        if self._result is not None:
            self._render()
        elif self._note_key:
            self.banner.show_note(text(self._note_key, language))

    def _render(self) -> None:
        result, language = self._result, self._language
        if result is None:
            return
        self.banner.show_verdict(result.verdict, language, simulated=result.simulated)
        failing = result.failing_check
        if failing is not None:
            detail = failing.detail.ja if language is Language.JA else failing.detail.en
            if language is Language.JA and "。" in detail:
                # the statement only: what to do is said once, in the next steps below
                detail = detail.split("。", 1)[0]
            self.reason.setText(text("result.failing", language,
                                     check=check_name(failing.id, language), detail=detail))
        else:
            self.reason.clear()
        checked = self._checked
        assert checked is not None
        words = [caution.words.ja if language is Language.JA else caution.words.en
                 for caution in checked.cautions]
        self.cautions.setText("\n".join(f"⚠ {line}" for line in words))
        self.cautions.setVisible(bool(words))
        self.next_steps.setText(checked.next.words.ja if language is Language.JA
                                else checked.next.words.en)
        self.next_steps.setProperty("action", checked.action.value)
        self.next_steps.style().unpolish(self.next_steps)
        self.next_steps.style().polish(self.next_steps)
        self.reason.setVisible(bool(self.reason.text()))
        self.next_steps.show()
        personal = result.personal
        self.personal_panel.setVisible(personal is not None)
        if personal is None:
            return
        for key, caption in self.captions.items():
            caption.setText(text(key, language))
        self.photo_caption.setText(text("result.photo", language))
        # photo_png exists only once the signature verified (the engine decodes after it)
        _set_png(self.photo, personal.photo_png, PHOTO_SIZE.width(), PHOTO_SIZE.height())
        if personal.photo_png is None:
            self.photo.setText(text("result.no_photo", language))
        self.name_image.set_png(personal.name_png)
        self.address_image.set_png(personal.address_png)
        self.name_text.setText(personal.text_name or "")
        self.address_text.setText(personal.text_address or "")
        self.birth.setText(format_date(personal.birth_date, language))
        self.sex.setText(format_sex(personal.sex, language))
        self.expiry.setText(format_date(result.card.expiry, language, era=False))

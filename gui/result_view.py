"""The verdict banner, what the clerk should do next, and the chip's data (gui/chip_view.py).

The banner says the verdict in words and with one icon; colour only repeats it.
`clear()` empties every widget and drops the Result: nothing of a customer survives a wipe.
"""

from __future__ import annotations

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from gui.chip_view import ChipView
from gui.i18n import Language, check_name, document_title, text, verdict_label
from verifier.counter.answer import Checked
from verifier.engine.verdict import Result, Verdict

_ICON = {Verdict.GENUINE: QStyle.StandardPixmap.SP_DialogApplyButton,
         Verdict.COUNTERFEIT_SUSPECTED: QStyle.StandardPixmap.SP_MessageBoxCritical,
         Verdict.INVALID_CARD: QStyle.StandardPixmap.SP_MessageBoxWarning,
         Verdict.NOT_VERIFIED: QStyle.StandardPixmap.SP_MessageBoxQuestion}
_STYLE_CLASS = {Verdict.GENUINE: "genuine", Verdict.COUNTERFEIT_SUSPECTED: "counterfeit",
                Verdict.INVALID_CARD: "invalid", Verdict.NOT_VERIFIED: "unverified"}


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
    """The verdict, its reason, the cautions and next step, and what the chip holds."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._result: Result | None = None
        self._note_key = ""
        self._note_values: dict[str, object] = {}
        self._precheck: Result | None = None
        self._language = Language.JA
        self._checked: Checked | None = None
        self.banner = VerdictBanner()
        self.reason = QLabel()
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        self.chip = ChipView()
        # hidden while there is nothing personal to show; its labels are emptied all the same
        self.personal_panel = self.chip
        # the chip's widgets, by the names the window's users (tests, screenshots) know
        self.photo = self.chip.photo
        self.name_image, self.address_image = self.chip.name_image, self.chip.address_image
        self.name_text, self.address_text = self.chip.name_text, self.chip.address_text
        self.birth, self.sex, self.expiry = self.chip.birth, self.chip.sex, self.chip.expiry
        self.front_image = self.chip.front_image
        self.next_steps = QLabel()
        self.next_steps.setObjectName("nextSteps")
        self.next_steps.setWordWrap(True)
        #: printed fields to check by eye, a typed era that differs (names only, no values)
        self.cautions = QLabel()
        self.cautions.setObjectName("cautions")
        self.cautions.setWordWrap(True)
        for wrapped in (self.reason, self.cautions, self.next_steps):
            wrapped.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.banner.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.reason)
        layout.addWidget(self.chip)
        layout.addWidget(self.cautions)
        layout.addWidget(self.next_steps)
        layout.addStretch(1)
        self.clear()

    @property
    def result(self) -> Result | None:
        return self._result

    def personal_widgets(self) -> tuple[QLabel, ...]:
        """Every label that can hold a customer's data (tests assert they are empty)."""
        return (*self.chip.personal_widgets(), self.reason, self.next_steps)

    def show_note(self, key: str, **values: object) -> None:
        self.clear()
        self._note_key = key
        self._note_values = dict(values)
        self.banner.show_note(text(key, self._language, **values))

    def show_precheck(self, result: Result) -> None:
        """The chip answered, and no key was sent yet: which document, where it has
        generations (a residence card), so the clerk sees why the number is asked for."""
        title = document_title(result.document, result.generation, self._language)
        if result.generation is not None and title:
            self.show_note("result.precheck_document", document=title)
        else:
            self.show_note("result.precheck_ok")
        self._precheck = result  # to say it again in another language

    def show_result(self, checked: Checked) -> None:
        """A verdict: the counter's answer, with what the clerk does next."""
        self._checked = checked
        self._result = checked.result
        self._note_key = ""
        self._precheck = None
        self._render()

    def clear(self) -> None:
        self._result = None
        self._checked = None
        self._note_key = ""
        self._note_values = {}
        self._precheck = None
        self.banner.clear()
        self.chip.clear()
        for label in (self.reason, self.next_steps):
            label.clear()
        self.reason.hide()
        self.cautions.clear()
        self.cautions.hide()
        self.next_steps.hide()

    def retranslate(self, language: Language) -> None:
        self._language = language
        if self._result is not None:
            self._render()
        elif self._precheck is not None:
            self.show_precheck(self._precheck)
        elif self._note_key:
            self.banner.show_note(text(self._note_key, language, **self._note_values))

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
        if result.personal is None:
            self.chip.clear()
        else:
            self.chip.show_personal(result, result.personal, language)

"""Training / demo mode: an in-process simulated card and the panel that inserts and removes it.

Each insertion builds a new SimulatedCard (its own counters), so nothing carries over from one
card to the next, exactly as with real cards. Both families of simulated card are offered: the
My Number Card's profiles (code B printed) and the residence cards' (the card number printed),
each with its own personas.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from apdu.errors import NoCardError
from gui.card_events import CardEvents
from gui.chip_view import format_date
from gui.i18n import Language, document_title, persona_label, profile_label, text
from verifier.counter.codes import GANNEN, era_of
from verifier.counter.readers import OpenedTransport
from verifier.counter.sources import PrintedCard, PrintedNumber, SimulatedCards, simulated_cards

SIMULATED_READER = "mynacheck simulated reader 0"


class SimulatedCardEvents(CardEvents):
    """The simulated-card plug-in (found by the counter by name) behind one simulated reader.

    `in_process=False` with a virtual reader's name (`Virtual PCD 00 00`) hands the counter the
    card as vsmartcard would: not the plug-in's own, so nothing is trusted without being named
    (a residence card then meets a PC with no production CA installed) and the reader is
    admitted in training mode only."""

    def __init__(self, parent: QObject | None = None, *, reader: str = SIMULATED_READER,
                 in_process: bool = True) -> None:
        super().__init__(parent)
        self.reader = reader
        self.simulated = in_process
        self._cards: SimulatedCards = simulated_cards()
        self._card: Any = None  # the plug-in's card: a Transport with power and removal
        self.profile = ""
        self.persona_index = 0

    def start(self) -> None:
        self.readers_changed.emit([self.reader])

    def stop(self) -> None:
        self.remove()

    @property
    def card(self) -> Any:
        """The card on the reader, as the plug-in made it (tests read its counters and log)."""
        return self._card

    def insert(self, profile: str, persona: int = 0, *, quirks: object = "") -> Any:
        """Put a freshly issued card of `profile` on the reader (removing any other first);
        `quirks` as `mynacheck verify --quirks` writes them (or the plug-in's Quirks)."""
        self.remove()
        self._card, _ = self._cards.open(profile, persona=persona, quirks=str(quirks))
        self.profile = profile
        self.persona_index = persona
        self.inserted.emit(self.reader)
        return self._card

    def remove(self) -> None:
        card, self._card = self._card, None
        if card is not None:
            # out of the field: every later command fails as with a card pulled off a reader
            card.remove()
            self.removed.emit(self.reader)

    def open_transport(self, reader: str) -> OpenedTransport:
        card = self._card
        if card is None or reader != self.reader:
            raise NoCardError("no simulated card on the reader")
        if not card.powered:
            card.power_up()  # a connect powers the card, as a reader does
        opened: OpenedTransport = card
        return opened


class SimulatedPanel(QWidget):
    """The profile switcher: which simulated card, the insert / remove buttons, and what is
    printed on the chosen card's face that opens it — code B's three items, or a residence
    card's number — which a trainee types."""

    insert_requested = Signal(str, int)  # profile, persona index
    remove_requested = Signal()

    def __init__(self, initial_profile: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._language = Language.JA
        self.banner = QLabel()
        self.banner.setObjectName("simulatedBanner")
        self.banner.setWordWrap(True)
        self.profile_label = QLabel()
        self._cards = simulated_cards()
        self.profile_box = QComboBox()
        for name in self._cards.profiles:
            self.profile_box.addItem(profile_label(name, self._language), name)
            self.profile_box.setItemData(self.profile_box.count() - 1,
                                         self._cards.describe(name), Qt.ItemDataRole.ToolTipRole)
        index = self.profile_box.findData(initial_profile)
        self.profile_box.setCurrentIndex(max(index, 0))
        self.persona_label = QLabel()
        self.persona_box = QComboBox()
        self._fill_personas()
        self.face = QLabel()
        self.face.setObjectName("printedFace")
        self.face.setWordWrap(True)
        self.profile_box.currentIndexChanged.connect(self._on_profile)
        self.persona_box.currentIndexChanged.connect(self._show_face)
        self.insert_button = QPushButton()
        self.remove_button = QPushButton()
        self.insert_button.clicked.connect(self._insert)
        self.remove_button.clicked.connect(self.remove_requested)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 4, 8, 4)
        column.setSpacing(2)
        column.addWidget(self.banner)
        row = QHBoxLayout()
        for widget in (self.profile_label, self.profile_box, self.persona_label,
                       self.persona_box, self.insert_button, self.remove_button):
            row.addWidget(widget)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self.face)

    @property
    def profile(self) -> str:
        return str(self.profile_box.currentData())

    def _fill_personas(self) -> None:
        """The personas of the chosen profile's family (My Number or residence); the index is
        kept where that family has it."""
        profile = self.profile
        keep = max(self.persona_box.currentIndex(), 0)
        count = self._cards.persona_count_of(profile)
        self.persona_box.blockSignals(True)
        self.persona_box.clear()
        for i in range(count):
            self.persona_box.addItem(
                persona_label(self._cards.persona_key(i, profile), self._language), i)
        self.persona_box.setCurrentIndex(min(keep, count - 1))
        self.persona_box.blockSignals(False)

    def _on_profile(self) -> None:
        self._fill_personas()
        self._show_face()

    def _insert(self) -> None:
        self.insert_requested.emit(self.profile, int(self.persona_box.currentData()))

    def select_profile(self, profile: str) -> None:
        self.profile_box.setCurrentIndex(self.profile_box.findData(profile))

    def show_card(self, profile: str, persona: int) -> None:
        """The pickers follow the card actually inserted (e.g. by --persona)."""
        index = self.profile_box.findData(profile)
        if index >= 0:
            self.profile_box.setCurrentIndex(index)
        index = self.persona_box.findData(persona)
        if index >= 0:
            self.persona_box.setCurrentIndex(index)

    def printed(self) -> PrintedCard | PrintedNumber:
        """What the chosen card's face prints that opens it."""
        return self._cards.printed(self.profile, persona=int(self.persona_box.currentData()))

    def face_line(self) -> str:
        printed = self.printed()
        if isinstance(printed, PrintedNumber):
            document = document_title(printed.document, printed.generation, self._language)
            return text("simulated.face_number", self._language, document=document,
                        number=printed.card_number)
        # as printed: the era for Japanese nationals, Gregorian for foreign residents
        birth = (format_date(printed.birth, Language.JA, era=False) if printed.gregorian
                 else _era_face(printed.birth))
        expiry = format_date(printed.expiry, self._language, era=False)
        return text("simulated.face", self._language, birth=birth, expiry=expiry,
                    security=printed.security_code)

    def _show_face(self) -> None:
        self.face.setText(self.face_line())

    def retranslate(self, language: Language) -> None:
        self._language = language
        for index, name in enumerate(self._cards.profiles):
            self.profile_box.setItemText(index, profile_label(name, language))
        for index in range(self.persona_box.count()):
            key = self._cards.persona_key(index, self.profile)
            self.persona_box.setItemText(index, persona_label(key, language))
        self._show_face()
        self.banner.setText("⚠ " + text("simulated.banner", language))
        self.profile_label.setText(text("simulated.profile", language))
        self.persona_label.setText(text("simulated.persona", language))
        self.insert_button.setText(text("simulated.insert", language))
        self.remove_button.setText(text("simulated.remove", language))


def _era_face(day: date) -> str:
    """A birth date as a Japanese national's card prints it: 昭和55年2月17日."""
    era, year = era_of(day)
    return f"{era}{GANNEN if year == 1 else year}年{day.month}月{day.day}日"

"""Training / demo mode: an in-process simulated card and the panel that inserts and removes it.

Each insertion builds a new SimulatedCard (its own counters), so nothing carries over from one
card to the next, exactly as with real cards.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from apdu.errors import NoCardError
from apdu.transport import Transport
from gui.card_events import CardEvents
from gui.i18n import Language, text
from testcards import PERSONAS, PROFILES, Quirks, SimulatedCard, build_card

SIMULATED_READER = "mynacheck simulated reader 0"


class SimulatedCardEvents(CardEvents):
    simulated = True

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._card: SimulatedCard | None = None
        self.profile = ""

    def start(self) -> None:
        self.readers_changed.emit([SIMULATED_READER])

    def stop(self) -> None:
        self.remove()

    @property
    def card(self) -> SimulatedCard | None:
        """The card on the reader (tests read its counters and command log)."""
        return self._card

    def insert(self, profile: str, persona: int = 0, *,
               quirks: Quirks | None = None) -> SimulatedCard:
        """Put a freshly issued card of `profile` on the reader (removing any other first)."""
        self.remove()
        self._card = build_card(profile, persona=persona, quirks=quirks or Quirks())
        self.profile = profile
        self.inserted.emit(SIMULATED_READER)
        return self._card

    def remove(self) -> None:
        card, self._card = self._card, None
        if card is not None:
            card.remove()
            self.removed.emit(SIMULATED_READER)

    def open_transport(self, reader: str) -> Transport:
        card = self._card
        if card is None or reader != SIMULATED_READER:
            raise NoCardError()
        if not card.powered:
            card.power_up()  # a connect powers the card, as a reader does
        return card


class SimulatedPanel(QWidget):
    """The profile switcher: which simulated card, and the insert / remove buttons."""

    insert_requested = Signal(str, int)  # profile, persona index
    remove_requested = Signal()

    def __init__(self, initial_profile: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.banner = QLabel()
        self.banner.setObjectName("simulatedBanner")
        self.banner.setWordWrap(True)
        self.profile_label = QLabel()
        self.profile_box = QComboBox()
        for name, profile in PROFILES.items():
            self.profile_box.addItem(name, name)
            self.profile_box.setItemData(self.profile_box.count() - 1, profile.description,
                                         Qt.ItemDataRole.ToolTipRole)
        index = self.profile_box.findData(initial_profile)
        self.profile_box.setCurrentIndex(max(index, 0))
        self.persona_label = QLabel()
        self.persona_box = QComboBox()
        for i, persona in enumerate(PERSONAS):
            self.persona_box.addItem(persona.key, i)
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

    def _insert(self) -> None:
        self.insert_requested.emit(str(self.profile_box.currentData()),
                                   int(self.persona_box.currentData()))

    def select_profile(self, profile: str) -> None:
        self.profile_box.setCurrentIndex(self.profile_box.findData(profile))

    def retranslate(self, language: Language) -> None:
        self.banner.setText("⚠ " + text("simulated.banner", language))
        self.profile_label.setText(text("simulated.profile", language))
        self.persona_label.setText(text("simulated.persona", language))
        self.insert_button.setText(text("simulated.insert", language))
        self.remove_button.setText(text("simulated.remove", language))

"""Helpers for the GUI tests: drive the window the way a clerk does."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from gui.card_controller import CardState
from gui.main_window import MainWindow
from gui.simulated import SimulatedCardEvents
from testcards.personas import Persona
from verifier.documents.my_number.code_b import to_era

SETTLED = (CardState.CARD_PRESENT, CardState.DONE, CardState.ERROR)


def source_of(window: MainWindow) -> SimulatedCardEvents:
    assert isinstance(window.source, SimulatedCardEvents)
    return window.source


def insert(qtbot: QtBot, window: MainWindow, profile: str, persona: int = 0) -> None:
    """Put a new simulated card on the reader and wait for its precheck to finish."""
    generation = window.controller.generation
    window.insert_simulated(profile, persona)
    qtbot.waitUntil(lambda: window.controller.generation > generation
                    and window.controller.state in SETTLED, timeout=10_000)


def type_code(qtbot: QtBot, window: MainWindow, persona: Persona,
              security_code: str | None = None) -> None:
    """Type the three printed items the way a clerk does, field by field."""
    entry = window.code_entry
    entry.clear()
    if persona.foreign:
        era, year = "", persona.birth.year
    else:
        era, year = to_era(persona.birth)
    entry.era.setCurrentIndex(entry.era.findData(era))
    qtbot.keyClicks(entry.year, str(year))
    qtbot.keyClicks(entry.month, str(persona.birth.month))
    qtbot.keyClicks(entry.day, str(persona.birth.day))
    qtbot.keyClicks(entry.expiry, str(persona.expiry.year))
    qtbot.keyClicks(entry.security, security_code or persona.security_code)


def wrong_security_code(persona: Persona) -> str:
    code = persona.security_code
    return code[:-1] + str((int(code[-1]) + 1) % 10)


def type_number(qtbot: QtBot, window: MainWindow, number: str) -> None:
    """Type a residence card's number into its field, character by character."""
    field = window.number_entry.number
    field.clear()
    qtbot.keyClicks(field, number)


def personal_widgets_empty(window: MainWindow) -> bool:
    view = window.result_view
    labels_empty = all(label.text() == "" and label.pixmap().isNull()
                       for label in view.personal_widgets())
    fields_empty = all(field.text() == "" for entry in window.keys.entries.values()
                       for field in entry.fields())
    return (labels_empty and fields_empty and view.result is None
            and not view.chip.entry_labels and window.keys.printed_face is None
            and not window.number_entry.from_picture
            and view.banner.verdict is None and window.checks_model.rowCount() == 0
            and window.controller.result is None and window.controller.precheck is None)

"""The reader picker follows readers being plugged and unplugged, and only its reader counts."""

from __future__ import annotations

import pytest
from gui_helpers import SETTLED, source_of
from pytestqt.qtbot import QtBot

from gui.card_controller import CardState
from gui.main_window import MainWindow
from gui.settings import load_settings
from gui.simulated import SIMULATED_READER

pytestmark = pytest.mark.gui

OTHER = "ACS ACR39U ICC Reader 00 00"


def items(window: MainWindow) -> list[str]:
    box = window.reader_box
    return [str(box.itemData(i)) for i in range(box.count())]


def choose(window: MainWindow, reader: str) -> None:
    index = window.reader_box.findData(reader)
    assert index >= 0, items(window)
    window.reader_box.setCurrentIndex(index)
    window.reader_box.activated.emit(index)


def test_picker_follows_plugging(qtbot: QtBot, window: MainWindow) -> None:
    source = source_of(window)
    assert items(window) == [SIMULATED_READER]
    source.readers_changed.emit([SIMULATED_READER, OTHER])
    # none chosen: the card decides, not the list order
    assert items(window) == ["", SIMULATED_READER, OTHER]
    assert window.controller.reader == ""
    choose(window, SIMULATED_READER)
    source.readers_changed.emit([OTHER])  # the chosen reader was unplugged
    assert window.controller.reader == SIMULATED_READER  # waited for, never replaced
    assert items(window) == [SIMULATED_READER, OTHER]
    assert window.reader_box.currentData() == SIMULATED_READER
    assert window.controller.state is CardState.NO_READER
    assert SIMULATED_READER in window.status.text()
    source.readers_changed.emit([])
    assert window.controller.state is CardState.NO_READER
    source.readers_changed.emit([SIMULATED_READER, OTHER])  # plugged back
    assert window.controller.reader == SIMULATED_READER
    assert window.controller.state is CardState.NO_CARD


def test_no_reader_at_all(qtbot: QtBot, window: MainWindow) -> None:
    source_of(window).readers_changed.emit([])
    assert window.controller.state is CardState.NO_READER
    assert window.status.text() == "読み取り機を接続してください"
    assert window.reader_box.currentText() == "読み取り機がありません"


def test_cards_in_other_readers_are_ignored(qtbot: QtBot, window: MainWindow,
                                            store: object) -> None:
    source = source_of(window)
    source.readers_changed.emit([SIMULATED_READER, OTHER])
    choose(window, OTHER)
    assert window.controller.reader == OTHER
    generation = window.controller.generation
    source.insert("genuine")  # goes into the simulated reader, which is not selected
    qtbot.wait(50)
    assert window.controller.generation == generation
    assert window.controller.state is CardState.NO_CARD
    # choosing the reader that holds the card reads it at once
    choose(window, SIMULATED_READER)
    qtbot.waitUntil(lambda: window.controller.state in SETTLED, timeout=5000)
    assert window.controller.state is CardState.CARD_PRESENT
    assert load_settings(window._store).reader == SIMULATED_READER  # persisted


def test_unplugging_the_reader_wipes(qtbot: QtBot, window: MainWindow) -> None:
    source = source_of(window)
    source.insert("genuine")
    qtbot.waitUntil(lambda: window.controller.state in SETTLED, timeout=5000)
    source.readers_changed.emit([])
    assert window.controller.state is CardState.NO_READER
    assert window.controller.precheck is None
    assert window.checks_model.rowCount() == 0

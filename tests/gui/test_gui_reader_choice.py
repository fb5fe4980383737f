"""The clerk's reader is kept, and virtual readers serve training only: a stub card-events
source reporting [virtual, virtual, USB], as pcscd lists them (reader.conf readers first)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from gui_helpers import SETTLED, type_code
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

import testcards
from apdu.errors import NoCardError
from apdu.transport import Transport
from gui.card_controller import CardState
from gui.card_events import CardEvents
from gui.main_window import MainWindow
from gui.settings import GuiSettings
from testcards.card import SimulatedCard
from verifier.engine.verdict import Verdict

pytestmark = pytest.mark.gui

V0, V1 = "Virtual PCD 00 00", "Virtual PCD 00 01"
USB = "SCM Microsystems SCR 3310 [CCID Interface] 00 00"
READERS = [V0, V1, USB]


class StubCardEvents(CardEvents):
    """Real-reader mode (not the simulated plug-in) with cards put on named readers."""

    simulated = False

    def __init__(self) -> None:
        super().__init__()
        self.readers = list(READERS)
        self.cards: dict[str, SimulatedCard] = {}

    def start(self) -> None:
        self.readers_changed.emit(list(self.readers))

    def plug(self, readers: list[str]) -> None:
        self.readers = list(readers)
        for reader in [r for r in self.cards if r not in readers]:
            del self.cards[reader]
        self.readers_changed.emit(list(readers))

    def put(self, reader: str, profile: str = "genuine") -> SimulatedCard:
        card = testcards.build_card(profile)
        self.cards[reader] = card
        self.inserted.emit(reader)
        return card

    def take(self, reader: str) -> None:
        if self.cards.pop(reader, None) is not None:
            self.removed.emit(reader)

    def open_transport(self, reader: str) -> Transport:
        card = self.cards.get(reader)
        if card is None:
            raise NoCardError()
        if not card.powered:
            card.power_up()
        return card


Opener = Callable[..., tuple[MainWindow, "StubCardEvents"]]


@pytest.fixture
def open_window(qtbot: QtBot, store: QSettings) -> Iterator[Opener]:
    windows: list[MainWindow] = []

    def make(settings: GuiSettings | None = None) -> tuple[MainWindow, StubCardEvents]:
        source = StubCardEvents()
        window = MainWindow(source, settings or GuiSettings(), store,
                            hierarchies=("simulated",))
        qtbot.addWidget(window)
        window.show()
        window.start()
        windows.append(window)
        return window, source

    yield make
    for window in windows:
        window.shutdown()


def read_on(qtbot: QtBot, window: MainWindow, reader: str) -> None:
    qtbot.waitUntil(lambda: window.controller.state in SETTLED
                    and window.controller.precheck is not None, timeout=10_000)
    visit = window.controller._card
    assert visit is not None and visit.reader == reader


def test_with_none_saved_the_card_decides_not_the_list_order(qtbot: QtBot,
                                                            open_window: Opener) -> None:
    window, source = open_window()
    assert window.controller.reader == ""
    assert window.reader_box.currentData() == ""  # "the reader a card is placed on"
    assert window.controller.state is CardState.NO_CARD
    source.put(USB)
    read_on(qtbot, window, USB)
    # a card on a virtual reader meanwhile neither interrupts nor replaces it
    generation = window.controller.generation
    virtual_card = source.put(V0)
    qtbot.wait(50)
    assert window.controller.generation == generation
    assert window.controller.precheck is not None
    assert virtual_card.commands == []


def test_a_virtual_reader_is_refused_outside_training(qtbot: QtBot,
                                                      open_window: Opener) -> None:
    window, source = open_window(GuiSettings(reader=V0))
    card = source.put(V0)
    qtbot.wait(50)
    assert window.controller.state is CardState.ERROR
    assert V0 in window.status.text() and "訓練モード" in window.status.text()
    assert card.commands == [] and window.controller.precheck is None
    assert "訓練モード" not in window.windowTitle()
    assert not window.training_banner.isVisible()
    source.take(V0)
    assert window.controller.state is CardState.NO_CARD


def test_unplugged_saved_reader_is_waited_for_and_kept(qtbot: QtBot,
                                                       open_window: Opener) -> None:
    window, source = open_window(GuiSettings(reader=USB))
    assert window.controller.reader == USB
    source.plug([V0, V1])  # the clerk's USB reader is unplugged
    assert window.controller.reader == USB
    assert window.controller.state is CardState.NO_READER
    assert USB in window.status.text()
    assert window.reader_box.currentData() == USB
    card = source.put(V1)
    qtbot.wait(50)
    assert card.commands == [] and window.controller.precheck is None
    source.plug(READERS)  # plugged back
    assert window.controller.reader == USB
    assert window.reader_box.currentData() == USB
    assert window.controller.state is CardState.NO_CARD
    source.put(USB)
    read_on(qtbot, window, USB)


def test_training_reads_virtual_readers_and_marks_the_result(qtbot: QtBot,
                                                             open_window: Opener) -> None:
    window, source = open_window(GuiSettings(reader=V0, training=True))
    assert "訓練モード" in window.windowTitle()
    assert window.training_banner.isVisible() and window.training_banner.text()
    source.put(V0)
    read_on(qtbot, window, V0)
    assert window.controller.state is CardState.CARD_PRESENT
    type_code(qtbot, window, testcards.PERSONAS[0])
    assert window.confirm()
    qtbot.waitUntil(lambda: window.controller.state is CardState.DONE, timeout=10_000)
    result = window.controller.result
    assert result is not None and result.verdict is Verdict.GENUINE and result.simulated
    banner = window.result_view.banner
    assert banner.words.text().endswith("真正（訓練用・模擬カード）")
    assert banner.property("verdict") == "simulated"  # never the plain genuine look

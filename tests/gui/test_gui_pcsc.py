"""The window on a real pcscd: CardMonitor events in, PcscTransport to a simulated chip on vpcd.

Never skipped in CI: without pcscd and vsmartcard-vpcd it fails, saying what to install
(without root and with CI unset, the whole pcscd tier is skipped with one line).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gui_helpers import SETTLED, type_code
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from gui.card_controller import CardState
from gui.card_events import PcscCardEvents
from gui.main_window import MainWindow
from gui.settings import GuiSettings
from testcards import build_card
from testcards.card import SimulatedCard
from testcards.vpcd import VpcdBridge, pcscd_netns
from verifier.engine.verdict import Verdict

pytestmark = [pytest.mark.gui, pytest.mark.pcsc]

PORT = 35964  # vpcd's second reader, 'Virtual PCD 00 01'
WAIT_MS = 15_000


@pytest.fixture
def vpcd_reader(vpcd_readers: tuple[str, str]) -> str:
    """The reader behind PORT, on the session's pcscd (tests/conftest.py: it fails, never skips,
    without pcscd and vsmartcard-vpcd, and holds the machine-wide lock of the pcscd tests)."""
    return vpcd_readers[1]


@pytest.fixture
def pcsc_window(qtbot: QtBot, store: QSettings, vpcd_reader: str) -> Iterator[MainWindow]:
    # Training: a virtual reader's card is read only then (and is a simulated card).
    window = MainWindow(PcscCardEvents(), GuiSettings(reader=vpcd_reader, training=True), store,
                        hierarchies=("simulated",))
    qtbot.addWidget(window)
    window.show()
    window.start()
    # The saved reader is kept from the start; wait until pcscd's list has come in.
    qtbot.waitUntil(lambda: window.controller.reader == vpcd_reader
                    and vpcd_reader in window.controller.readers, timeout=WAIT_MS)
    yield window
    window.shutdown()


def serve(profile: str) -> tuple[VpcdBridge, list[SimulatedCard]]:
    cards: list[SimulatedCard] = []

    def factory() -> SimulatedCard:
        cards.append(build_card(profile))
        return cards[-1]

    bridge = VpcdBridge(factory, port=PORT, netns=pcscd_netns())
    bridge.serve_in_thread()
    return bridge, cards


def test_reader_picker_lists_pcscd_readers(pcsc_window: MainWindow, vpcd_reader: str) -> None:
    box = pcsc_window.reader_box
    names = [box.itemData(i) for i in range(box.count())]
    assert vpcd_reader in names
    assert box.currentData() == vpcd_reader
    assert pcsc_window.controller.state in (CardState.NO_CARD, CardState.REMOVED)


def test_genuine_through_pcscd_then_removal_wipes(qtbot: QtBot, pcsc_window: MainWindow) -> None:
    bridge, cards = serve("genuine")
    try:
        qtbot.waitUntil(lambda: pcsc_window.controller.state in SETTLED, timeout=WAIT_MS)
        assert pcsc_window.controller.state is CardState.CARD_PRESENT
        type_code(qtbot, pcsc_window, cards[-1].persona)
        assert pcsc_window.confirm()
        qtbot.waitUntil(lambda: pcsc_window.controller.state is CardState.DONE,
                        timeout=WAIT_MS)
        view = pcsc_window.result_view
        assert view.banner.verdict is Verdict.GENUINE
        # marked: its own words and colour, never the plain genuine look
        assert "訓練用・模擬カード" in view.banner.words.text()
        assert view.banner.property("verdict") == "simulated"
        assert "訓練モード" in pcsc_window.windowTitle()
        assert not view.photo.pixmap().isNull()
    finally:
        bridge.stop()
    qtbot.waitUntil(lambda: pcsc_window.controller.state is CardState.REMOVED, timeout=WAIT_MS)
    assert pcsc_window.result_view.photo.pixmap().isNull()
    assert pcsc_window.result_view.result is None
    assert pcsc_window.controller.result is None


def test_blank_chip_through_pcscd(qtbot: QtBot, pcsc_window: MainWindow) -> None:
    bridge, _ = serve("blank-chip")
    try:
        qtbot.waitUntil(lambda: pcsc_window.controller.state is CardState.DONE,
                        timeout=WAIT_MS)
        assert pcsc_window.result_view.banner.verdict is Verdict.COUNTERFEIT_SUSPECTED
    finally:
        bridge.stop()
    qtbot.waitUntil(lambda: pcsc_window.controller.state is CardState.REMOVED, timeout=WAIT_MS)


def test_virtual_reader_refused_outside_training_through_pcscd(
    qtbot: QtBot, store: QSettings, vpcd_reader: str
) -> None:
    window = MainWindow(PcscCardEvents(), GuiSettings(reader=vpcd_reader), store,
                        hierarchies=("simulated",))
    qtbot.addWidget(window)
    window.show()
    window.start()
    bridge, cards = serve("genuine")
    try:
        qtbot.waitUntil(lambda: window.controller.state is CardState.ERROR, timeout=WAIT_MS)
        status = window.status.text()
        assert vpcd_reader in status and "訓練モード" in status
        assert window.controller.precheck is None
        assert all(card.commands == [] for card in cards)  # nothing was sent to the card
    finally:
        bridge.stop()
        window.shutdown()

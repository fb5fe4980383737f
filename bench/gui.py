"""The counter app on a real pcscd: confirm pressed → verdict on screen, card removed → wiped."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.rig import card_on_reader

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def measure_gui(reader: str, slot: int, runs: int, quirks: str) -> tuple[float, float]:
    """(median ms confirm → verdict painted, median ms card removed → wiped)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    import testcards
    from gui.card_controller import CardState
    from gui.card_events import PcscCardEvents
    from gui.main_window import MainWindow
    from gui.settings import GuiSettings
    from verifier.documents.my_number.code_b import to_era
    from verifier.documents.my_number.trust import SIMULATED

    app = QApplication.instance() or QApplication([])
    persona = testcards.PERSONAS[0]
    parsed = testcards.parse_quirks(quirks)

    def spin(done: Callable[[], bool], timeout_s: float = 20.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not done():
            if time.monotonic() > deadline:
                raise SystemExit("bench: the counter app did not get there in time")
            app.processEvents()
            time.sleep(0.001)

    with tempfile.TemporaryDirectory() as folder:
        store = QSettings(str(Path(folder) / "bench.ini"), QSettings.Format.IniFormat)
        window = MainWindow(PcscCardEvents(), GuiSettings(reader=reader, training=True), store,
                            hierarchies=(SIMULATED,))
        window.show()
        window.start()
        confirm_ms: list[float] = []
        wipe_ms: list[float] = []
        try:
            for _ in range(runs):
                with card_on_reader(lambda: testcards.build_card("genuine", quirks=parsed),
                                    reader, slot) as bridge:
                    spin(lambda: window.controller.state is CardState.CARD_PRESENT)
                    entry = window.code_entry
                    era, year = to_era(persona.birth)
                    entry.era.setCurrentIndex(entry.era.findData(era))
                    for field, value in zip(entry.fields(), (
                            str(year), str(persona.birth.month), str(persona.birth.day),
                            str(persona.expiry.year), persona.security_code), strict=True):
                        field.setText(value)
                    app.processEvents()
                    started = time.perf_counter()
                    window.confirm()
                    spin(lambda: window.controller.state is CardState.DONE
                         and window.result_view.banner.verdict is not None)
                    window.repaint()
                    confirm_ms.append((time.perf_counter() - started) * 1000)
                    bridge.eject()
                    started = time.perf_counter()
                    spin(lambda: window.result_view.banner.verdict is None)
                    wipe_ms.append((time.perf_counter() - started) * 1000)
        finally:
            window.shutdown()
            window.close()
    return statistics.median(confirm_ms), statistics.median(wipe_ms)

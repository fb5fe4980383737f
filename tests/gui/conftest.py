"""GUI tests: offscreen Qt, a throwaway settings location, windows on in-process simulated cards."""

from __future__ import annotations

import os

# Before any QApplication exists (pytest-qt creates it lazily in the qapp fixture).
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

try:
    from PySide6 import QtWidgets  # noqa: F401  (loads Qt's libraries: libEGL, libGL, ...)
except ImportError as error:
    raise ImportError(
        f"Qt cannot load ({error}): the GUI tests need Qt's runtime libraries from Debian; "
        "scripts/install-debs.sh names the missing packages with the `sudo apt-get install` line"
    ) from error
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from gui.settings import GuiSettings, open_store
from verifier.counter.installed import ENVIRONMENT

if TYPE_CHECKING:
    from gui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _private_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any QSettings opened with the default format lands in tmp_path, never the user's; so
    does the directory of installed CA certificates (empty: no production CA installed)."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(tmp_path / "qsettings"))
    monkeypatch.setenv(ENVIRONMENT, str(tmp_path / "trust"))
    yield


@pytest.fixture
def store(tmp_path: Path) -> QSettings:
    return open_store(tmp_path / "mynacheck.ini")


WindowFactory = Callable[..., "MainWindow"]


@pytest.fixture
def make_window(qtbot: QtBot, store: QSettings) -> Iterator[WindowFactory]:
    windows: list[MainWindow] = []

    from gui.main_window import MainWindow
    from gui.simulated import SimulatedCardEvents

    def make(settings: GuiSettings | None = None, profile: str = "genuine") -> MainWindow:
        window = MainWindow(SimulatedCardEvents(), settings or GuiSettings(), store,
                            initial_profile=profile)
        qtbot.addWidget(window)
        window.show()
        window.start()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()


@pytest.fixture
def window(make_window: WindowFactory) -> MainWindow:
    return make_window()

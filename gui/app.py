"""Start the counter app: `mynacheck gui` and the `mynacheck-gui` entry point."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from gui.card_events import CardEvents, PcscCardEvents
from gui.i18n import parse_language
from gui.main_window import MainWindow
from gui.settings import (
    APPLICATION,
    ORGANIZATION,
    GuiSettings,
    load_settings,
    open_store,
    save_settings,
)
from gui.simulated import SimulatedCardEvents
from gui.style import BASE_POINT_SIZE, FONT_FAMILIES


def ensure_application(argv: Sequence[str] = ()) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication([sys.argv[0] if sys.argv else "mynacheck-gui", *argv])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    font = QFont()
    font.setFamilies(list(FONT_FAMILIES))
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    return app


def settings_from_args(args: argparse.Namespace, store: QSettings) -> GuiSettings:
    """The stored settings with the options applied; --lang and --reader are saved (as
    `gui --help` says), --idle-timeout applies to this run only."""
    settings = load_settings(store)
    saved: dict[str, object] = {}
    if getattr(args, "lang", None):
        saved["language"] = parse_language(args.lang)
    if getattr(args, "reader", None):
        saved["reader"] = args.reader
    if getattr(args, "training", False):
        saved["training"] = True  # switched on here, kept until switched off in the settings
    if saved:
        settings = settings.with_changes(**saved)
        save_settings(store, settings)
    if getattr(args, "idle_timeout", None):
        settings = settings.with_changes(idle_timeout_s=max(1, int(args.idle_timeout)))
    return settings


def create_window(args: argparse.Namespace) -> MainWindow:
    """The window for `args` (the options of gui.command); not yet started."""
    store = open_store(getattr(args, "settings", None))
    settings = settings_from_args(args, store)
    profile = getattr(args, "simulated", None)
    source: CardEvents = SimulatedCardEvents() if profile else PcscCardEvents()
    return MainWindow(source, settings, store, hierarchies=tuple(getattr(args, "trust", ())),
                      initial_profile=profile or "")


def run_app(args: argparse.Namespace) -> int:
    app = ensure_application()
    window = create_window(args)
    window.show()
    window.start()
    profile = getattr(args, "simulated", None)
    if profile and not getattr(args, "no_insert", False):
        window.insert_simulated(profile, int(getattr(args, "persona", 0)))
    try:
        return app.exec()
    finally:
        window.shutdown()

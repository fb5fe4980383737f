"""Trust and settings as the window applies them: test hierarchies only when named, saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import insert
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from gui.i18n import Language
from gui.main_window import MainWindow
from gui.settings import GuiSettings, load_settings
from gui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[2]
SIMULATED_KEYS = REPO / "verifier" / "data" / "simulated-ca-keys.json"


def test_training_mode_trusts_simulated(qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "genuine")
    visit = window.controller._card.visit if window.controller._card else None
    assert visit is not None and visit.simulated
    assert "simulated" in visit._verification.options.trust.accepted


def test_apply_settings_persists_and_applies(qtbot: QtBot, window: MainWindow,
                                             store: QSettings, tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    window.apply_settings(window.settings.with_changes(
        language=Language.EN, idle_timeout_s=45, keep_tries=5, audit_log=str(audit)))
    saved = load_settings(store)
    assert saved.language is Language.EN and saved.idle_timeout_s == 45
    assert saved.keep_tries == 5 and saved.audit_log == str(audit)
    assert window.controller.idle_timer.interval() == 45_000
    assert window.controller.keep_tries == 5
    assert window.confirm_button.text() == "Confirm (Enter)"
    insert(qtbot, window, "blank-chip")  # a verdict at precheck goes to the audit log
    lines = audit.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert '"verdict":"COUNTERFEIT_SUSPECTED"' in lines[0]


def test_audit_log_has_no_personal_data(qtbot: QtBot, window: MainWindow,
                                        tmp_path: Path) -> None:
    from gui_helpers import source_of, type_code

    audit = tmp_path / "audit.jsonl"
    window.apply_settings(window.settings.with_changes(audit_log=str(audit)))
    insert(qtbot, window, "genuine")
    card = source_of(window).card
    assert card is not None
    type_code(qtbot, window, card.persona)
    assert window.confirm()
    qtbot.waitUntil(lambda: window.result_view.banner.verdict is not None, timeout=5000)
    line = audit.read_text(encoding="utf-8")
    assert '"verdict":"GENUINE"' in line
    persona = card.persona
    for secret in (persona.name, persona.address, persona.security_code,
                   persona.code_b.digits, persona.birth.strftime("%Y%m%d")):
        assert secret not in line


def test_broken_trust_file_is_reported(qtbot: QtBot, window: MainWindow,
                                       tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    window.apply_settings(window.settings.with_changes(trust_files=(str(broken),)))
    assert window.config_error.isVisibleTo(window)
    assert "信頼ファイル" in window.config_error.text()
    window.apply_settings(window.settings.with_changes(trust_files=()))
    assert not window.config_error.isVisibleTo(window)


def test_settings_dialog_edits_a_copy(qtbot: QtBot) -> None:
    start = GuiSettings()
    dialog = SettingsDialog(start, ["Reader A", "Reader B"], Language.JA)
    qtbot.addWidget(dialog)
    dialog.reader.setCurrentText("Reader B")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.idle.setValue(300)
    dialog.floor.setValue(4)
    dialog.trust.setPlainText("/a.json\n\n /b.json ")
    dialog.audit.setText(" /var/log/m.jsonl ")
    assert dialog.value() == GuiSettings(reader="Reader B", language=Language.EN,
                                         idle_timeout_s=300, keep_tries=4,
                                         trust_files=("/a.json", "/b.json"),
                                         audit_log="/var/log/m.jsonl")
    assert start == GuiSettings()

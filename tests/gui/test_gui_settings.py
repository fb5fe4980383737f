"""Settings round-trip through an ini file in tmp_path (never the user's settings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gui.i18n import Language
from gui.settings import GuiSettings, load_settings, open_store, save_settings

pytestmark = pytest.mark.gui


def test_defaults_from_an_empty_store(tmp_path: Path) -> None:
    settings = load_settings(open_store(tmp_path / "empty.ini"))
    assert settings == GuiSettings()
    assert settings.idle_timeout_s == 120 and settings.keep_tries == 3
    assert settings.language is Language.JA


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    wanted = GuiSettings(reader="ACS ACR39U 00 00", language=Language.EN, idle_timeout_s=45,
                         keep_tries=4, trust_files=("/etc/a.json", "/etc/b.json"),
                         audit_log="/var/log/mynacheck.jsonl")
    save_settings(open_store(path), wanted)
    assert path.exists()
    assert load_settings(open_store(path)) == wanted


def test_single_trust_file_and_bad_values(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    store = open_store(path)
    store.setValue("trust_files", ["/only/one.json"])
    store.setValue("idle_timeout_s", "soon")
    store.setValue("keep_tries", 99)
    store.setValue("language", "fr")
    store.sync()
    settings = load_settings(open_store(path))
    assert settings.trust_files == ("/only/one.json",)
    assert settings.idle_timeout_s == 120
    assert settings.keep_tries == 9
    assert settings.language is Language.JA

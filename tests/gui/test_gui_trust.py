"""Residence cards and trust in the counter app: with no Agency CA installed a residence card is
確認できず with the how-to-fix words, never 偽造の疑い; the settings' 「認証局の証明書を登録」
installs a file whose fingerprints are in the table and refuses one with a byte changed.

No Agency certificate is in this repository, so the install tests give the settings a table
holding the simulated CAs' fingerprints (`table=`, a parameter of the counter's install, never a
change of the shipped table)."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from gui_helpers import insert, source_of, type_number
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from gui.card_controller import CardState
from gui.i18n import Language
from gui.main_window import MainWindow
from gui.settings import GuiSettings
from gui.settings_dialog import SettingsDialog
from gui.simulated import SimulatedCardEvents
from gui.trust_install import PickFile, TrustInstallPanel
from verifier.counter.installed import AGENCY_CAS, AgencyCa, default_directory
from verifier.documents.residence.card_type import Generation
from verifier.engine.verdict import Reason, Verdict

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]
SIMULATED_PEM = REPO / "verifier" / "data" / "simulated-residence-ca.pem"
VIRTUAL_READER = "Virtual PCD 00 00"


def simulated_cas() -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(SIMULATED_PEM.read_bytes())


def der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(Encoding.DER)


@pytest.fixture(scope="module")
def table() -> tuple[AgencyCa, ...]:
    """The simulated CAs' fingerprints, in the shape of the shipped table."""
    generations = (Generation.FIRST, Generation.SECOND)
    return tuple(AgencyCa(f"simulated CA {i + 1}", generations[i % 2], date(2040, 6, 5),
                          hashlib.sha256(der(cert)).hexdigest())
                 for i, cert in enumerate(simulated_cas()))


# --- no production CA installed -----------------------------------------------------------------

@pytest.fixture
def virtual_window(qtbot: QtBot, store: QSettings) -> MainWindow:
    """A trainer's counter: a simulated card handed over as a virtual reader's (not the
    plug-in's own), so nothing beyond production is trusted without being named."""
    source = SimulatedCardEvents(reader=VIRTUAL_READER, in_process=False)
    window = MainWindow(source, GuiSettings(training=True), store,
                        initial_profile="residence-genuine-1")
    qtbot.addWidget(window)
    window.show()
    window.start()
    yield window
    window.shutdown()


@pytest.mark.parametrize("profile", ["residence-genuine-1", "residence-genuine-2"])
def test_no_production_ca_is_not_verified_and_says_how_to_fix(
        qtbot: QtBot, virtual_window: MainWindow, profile: str) -> None:
    window = virtual_window
    assert not any(default_directory().glob("*"))  # nothing installed on this "PC"
    insert(qtbot, window, profile)
    assert window.controller.state is CardState.CARD_PRESENT
    card = source_of(window).card
    assert card is not None
    type_number(qtbot, window, card.card_number.text)
    qtbot.keyClick(window.number_entry.number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.state is CardState.DONE, timeout=10_000)
    view = window.result_view
    assert view.banner.verdict is Verdict.NOT_VERIFIED and "偽造" not in view.banner.words.text()
    checked = window.controller.checked
    assert checked is not None and checked.action.value == "not_accepted"
    failing = checked.result.failing_check
    assert failing is not None and failing.reason is Reason.NO_PRODUCTION_CA
    assert "登録されていません" in view.reason.text()
    assert "登録" in view.next_steps.text() and "システム管理者" in view.next_steps.text()
    assert not window.controller.retypable  # the number was right: nothing to correct
    assert not view.chip.isVisible() and view.front_image.pixmap().isNull()


# --- 「認証局の証明書を登録」 ------------------------------------------------------------------

def picker(path: Path) -> PickFile:
    """The file an administrator picks in the file dialog."""
    return lambda parent, title: path


def test_a_file_in_the_table_installs(qtbot: QtBot, tmp_path: Path,
                                      table: tuple[AgencyCa, ...]) -> None:
    source = tmp_path / "download" / "ca.pem"
    source.parent.mkdir()
    source.write_bytes(SIMULATED_PEM.read_bytes())
    directory = tmp_path / "installed"
    panel = TrustInstallPanel(directory, Language.JA, table=table,
                              pick=picker(source))
    qtbot.addWidget(panel)
    panel.show()
    assert panel.table_state.text().count("未登録") == len(table)
    with qtbot.waitSignal(panel.installed, timeout=1000):
        qtbot.mouseClick(panel.install_button, Qt.MouseButton.LeftButton)
    said = panel.outcome.text()
    assert panel.outcome.isVisible() and not panel.outcome.property("refused")
    for row in table:
        assert row.name in said and row.sha256 in said and "2040-06-05" in said
        assert (directory / row.file_name).is_file()
    assert f"第{int(table[1].generation)}世代" in said
    assert panel.table_state.text().count("登録済み") == len(table)
    # the same file again: already there, said so, nothing new
    done = panel.install_file(source)
    assert all(item.already for item in done) and "登録済みでした" in panel.outcome.text()


def test_a_file_with_a_changed_byte_is_refused(qtbot: QtBot, tmp_path: Path,
                                               table: tuple[AgencyCa, ...]) -> None:
    changed = bytearray(der(simulated_cas()[0]))
    changed[len(changed) // 2] ^= 0x01
    source = tmp_path / "ca.der"
    source.write_bytes(bytes(changed))
    directory = tmp_path / "installed"
    panel = TrustInstallPanel(directory, Language.JA, table=table,
                              pick=picker(source))
    qtbot.addWidget(panel)
    panel.show()
    with qtbot.assertNotEmitted(panel.installed):
        qtbot.mouseClick(panel.install_button, Qt.MouseButton.LeftButton)
    assert panel.outcome.property("refused")
    assert panel.outcome.text().startswith("登録しませんでした（何も登録していません）")
    assert not directory.exists() or not any(directory.iterdir())
    assert "登録済み" not in panel.table_state.text()


def test_the_shipped_table_is_listed_by_default(qtbot: QtBot, tmp_path: Path) -> None:
    panel = TrustInstallPanel(tmp_path, Language.EN)
    qtbot.addWidget(panel)
    lines = panel.table_state.text().splitlines()
    assert len(lines) == len(AGENCY_CAS) and all("missing" in line for line in lines)
    assert sum("(test CA)" in line for line in lines) == sum(row.test for row in AGENCY_CAS)
    assert str(tmp_path) in panel.where.text()


def test_the_settings_install_into_the_counters_directory(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        table: tuple[AgencyCa, ...]) -> None:
    source = tmp_path / "ca.pem"
    source.write_bytes(SIMULATED_PEM.read_bytes())
    dialog = window.settings_dialog(ca_table=table, pick_ca=picker(source))
    assert isinstance(dialog, SettingsDialog)
    directory = window.controller.counter.policy.installed_directory()
    assert dialog.ca.directory == directory == default_directory()
    counter = window.controller.counter
    qtbot.mouseClick(dialog.ca.install_button, Qt.MouseButton.LeftButton)
    assert dialog.ca_installed and any(directory.iterdir())
    # closed without saving: the install stands, and the next card meets a counter that
    # reads the directory anew
    window.settings_closed(dialog, accepted=False)
    assert window.controller.counter is not counter
    assert window.settings == GuiSettings()

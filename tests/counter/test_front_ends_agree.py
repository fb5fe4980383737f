"""The three front ends decide alike because none of them decides: the same inputs — plausible
and implausible codes, full-width digits, floors, an audit log that cannot be written — given
to `mynacheck verify`, to `mynacheck batch` and to the counter app's controller end in the same
decision: refused before the card is touched, or the same verdict.

(Virtual readers outside training, the fourth policy, need pcscd: tests/pcsc/test_pcsc_training.py
and tests/gui/test_gui_pcsc.py hold the CLI, batch and the window to it.)
"""

from __future__ import annotations

import json
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gui.card_controller import CardState
from gui.main_window import MainWindow
from gui.settings import GuiSettings, open_store
from gui.simulated import SimulatedCardEvents
from verifier.cli.main import main
from verifier.counter.exits import EXIT_CODES, USAGE_EXIT

pytestmark = pytest.mark.gui

REFUSED = "refused before the card"
SETTLED = (CardState.CARD_PRESENT, CardState.DONE, CardState.ERROR)


@dataclass(frozen=True)
class Case:
    """One set of inputs, written the way each front end takes them."""

    name: str
    expected: str  # REFUSED or a verdict name
    profile: str = "genuine"
    persona: int = 0
    #: command line / batch: the printed fields ("birth", "expiry_year", "security_code") or
    #: the 14 digits ("code_b")
    given: dict[str, str] = field(default_factory=dict)
    #: the counter app: era, year, month, day, expiry year, security code as typed
    typed: tuple[str, str, str, str, str, str] = ("昭和", "55", "2", "17", "2035", "2285")
    keep_tries: int | None = None
    audit_unwritable: bool = False


SHOWA = {"birth": "S55.02.17", "expiry_year": "2035", "security_code": "2285"}
CASES = (
    Case("plausible", "GENUINE", given=SHOWA),
    Case("full-width digits", "GENUINE",
         given={"birth": "昭和５５年２月１７日", "expiry_year": "２０３５",
                "security_code": "２２８５"},
         typed=("昭和", "５５", "２", "１７", "２０３５", "２２８５")),
    Case("the 14 digits", "GENUINE", given={"code_b": "55021720352285"}),
    Case("expiry 2099", REFUSED, given={"code_b": "55021720992285"},
         typed=("昭和", "55", "2", "17", "2099", "2285")),
    Case("born in the future", REFUSED,
         given={"birth": "令和9年1月1日", "expiry_year": "2035", "security_code": "2285"},
         typed=("令和", "9", "1", "1", "2035", "2285")),
    Case("expiry before birth", REFUSED,
         given={"birth": "平成30年1月1日", "expiry_year": "2016", "security_code": "2285"},
         typed=("平成", "30", "1", "1", "2016", "2285")),
    Case("no such day", REFUSED,
         given={"birth": "昭和55年2月30日", "expiry_year": "2035", "security_code": "2285"},
         typed=("昭和", "55", "2", "30", "2035", "2285")),
    Case("wrong code", "NOT_VERIFIED",
         given={"birth": "S55.02.17", "expiry_year": "2035", "security_code": "2286"},
         typed=("昭和", "55", "2", "17", "2035", "2286")),
    Case("floor above the tries left", "NOT_VERIFIED", profile="low-retries", given=SHOWA,
         keep_tries=3),
    Case("floor below the tries left", "GENUINE", profile="low-retries", given=SHOWA,
         keep_tries=1),
    Case("audit log cannot be written", REFUSED, given=SHOWA, audit_unwritable=True),
)


def audit_path(tmp_path: Path, case: Case) -> Path:
    return tmp_path / ("no-such-folder" if case.audit_unwritable else "") / "audit.jsonl"


def cli_options(case: Case, tmp_path: Path) -> list[str]:
    options = ["--audit-log", str(audit_path(tmp_path, case))]
    if case.keep_tries is not None:
        options += ["--keep-tries", str(case.keep_tries)]
    return options


def by_verify(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code_args: list[str] = []
    for key, value in case.given.items():
        code_args += [f"--{key.replace('_', '-')}", value]
    code = main(["verify", "--simulated", case.profile, "--persona", str(case.persona),
                 *code_args, *cli_options(case, tmp_path), "--json"])
    out = capsys.readouterr().out
    if code == USAGE_EXIT:
        assert out == ""  # nothing was verified
        return REFUSED
    verdict = json.loads(out)["verdict"]
    assert EXIT_CODES[next(v for v in EXIT_CODES if v.value == verdict)] == code
    return str(verdict)


def by_batch(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    requests = tmp_path / "requests.jsonl"
    line = {"id": case.name, "simulated": case.profile, "persona": case.persona, **case.given}
    requests.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    code = main(["batch", str(requests), *cli_options(case, tmp_path)])
    out = capsys.readouterr().out
    records = [json.loads(text) for text in out.splitlines()]
    if code == USAGE_EXIT:
        assert all("verdict" not in record for record in records)
        return REFUSED
    (record,) = records
    return str(record["verdict"])


@pytest.fixture
def window_for(qtbot: QtBot, tmp_path: Path) -> Iterator[object]:
    windows: list[MainWindow] = []

    def make(settings: GuiSettings) -> MainWindow:
        store: QSettings = open_store(tmp_path / "gui.ini")
        window = MainWindow(SimulatedCardEvents(), settings, store)
        qtbot.addWidget(window)
        window.start()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()


def by_counter_app(case: Case, tmp_path: Path, qtbot: QtBot, window_for: object) -> str:
    settings = GuiSettings(audit_log=str(audit_path(tmp_path, case)),
                           keep_tries=case.keep_tries if case.keep_tries is not None else 3)
    window: MainWindow = window_for(settings)  # type: ignore[operator]
    source = window.source
    assert isinstance(source, SimulatedCardEvents)
    generation = window.controller.generation
    card = source.insert(case.profile, case.persona)
    if window.controller.audit_error:
        # the counter refuses every card while its record cannot be written
        qtbot.wait(200)
        assert window.controller.generation == generation and card.exchanges == 0
        return REFUSED
    qtbot.waitUntil(lambda: window.controller.generation > generation
                    and window.controller.state in SETTLED, timeout=10_000)
    if window.controller.state is CardState.DONE:
        result = window.controller.precheck
        assert result is not None
        return result.verdict.value
    entry = window.code_entry
    era, year, month, day, expiry, security = case.typed
    entry.era.setCurrentIndex(entry.era.findData(era))
    for widget, value in ((entry.year, year), (entry.month, month), (entry.day, day),
                          (entry.expiry, expiry), (entry.security, security)):
        widget.setFocus()
        if value.isascii():
            qtbot.keyClicks(widget, value)
        else:  # what an IME left on delivers: a committed string
            event = QInputMethodEvent("", [])
            event.setCommitString(value)
            QApplication.sendEvent(widget, event)
    if entry.code() is None:
        assert not window.confirm() and not window.confirm_button.isEnabled()
        assert card.tries_left("card_face_b") == 10  # nothing reached the card
        return REFUSED
    assert window.confirm()
    qtbot.waitUntil(lambda: window.controller.result is not None, timeout=10_000)
    result = window.controller.result
    assert result is not None
    return result.verdict.value


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_verify_batch_and_the_counter_app_decide_alike(
        case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str], qtbot: QtBot,
        window_for: object) -> None:
    decisions = {
        "verify": by_verify(case, tmp_path, capsys),
        "batch": by_batch(case, tmp_path, capsys),
        "counter app": by_counter_app(case, tmp_path, qtbot, window_for),
    }
    assert decisions == dict.fromkeys(decisions, case.expected)


def test_the_floor_has_one_range_everywhere(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            qtbot: QtBot) -> None:
    from gui.settings import load_settings
    from gui.settings_dialog import SettingsDialog
    from verifier.counter.policy import MAX_KEEP_TRIES

    assert main(["verify", "--simulated", "genuine", "--keep-tries", str(MAX_KEEP_TRIES + 1)]) \
        == USAGE_EXIT
    requests = tmp_path / "r.jsonl"
    requests.write_text('{"simulated": "genuine"}\n', encoding="utf-8")
    assert main(["batch", str(requests), "--keep-tries", "-1"]) == USAGE_EXIT
    assert main(["verify", "--simulated", "genuine", "--keep-tries", str(MAX_KEEP_TRIES),
                 "--json"]) == 0
    capsys.readouterr()
    store = open_store(tmp_path / "floor.ini")
    store.setValue("keep_tries", MAX_KEEP_TRIES + 5)
    assert load_settings(store).keep_tries == MAX_KEEP_TRIES
    dialog = SettingsDialog(GuiSettings(), [], load_settings(store).language)
    qtbot.addWidget(dialog)
    assert (dialog.floor.minimum(), dialog.floor.maximum()) == (0, MAX_KEEP_TRIES)

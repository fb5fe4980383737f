"""The counter app as a clerk, an IT admin and a trainer meet it (issue 11): what the clerk is
told, correcting a mistyped code, input, reader and service states, start-up errors, the audit
log, the layout at 1024×768, and the training face."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from gui_helpers import insert, personal_widgets_empty, source_of, type_code
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from gui import i18n
from gui.app import settings_from_args
from gui.card_controller import CardState
from gui.checks_model import CHECK_ID_ROLE
from gui.i18n import Language
from gui.main_window import MainWindow
from gui.settings import load_settings
from gui.settings_dialog import SettingsDialog
from gui.simulated import SIMULATED_READER
from testcards import PERSONAS, printed_persona
from verifier.cli import main as cli
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.check_ids import CheckId
from verifier.documents.residence import words as residence_words
from verifier.engine import messages
from verifier.engine.verdict import Verdict

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[2]
VERIFY_WITH_DATA = bytes((p.CLA, p.INS_VERIFY))
HEISEI = 3  # persona "heisei": 平成7年12月31日


def code_verifies(window: MainWindow) -> int:
    card = source_of(window).card
    assert card is not None
    return sum(1 for c in card.commands if c[:2] == VERIFY_WITH_DATA and len(c) > 5)


def confirm(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.code_entry.security, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.state is CardState.DONE, timeout=10_000)


def run_profile(qtbot: QtBot, window: MainWindow, profile: str, persona: int = 0) -> None:
    insert(qtbot, window, profile, persona)
    if window.controller.state is CardState.CARD_PRESENT:
        card = source_of(window).card
        assert card is not None
        type_code(qtbot, window, card.persona)
        confirm(qtbot, window)


def ime_type(field: QLineEdit, typed: str) -> None:
    """What an IME left on delivers: a committed string, here full-width digits."""
    event = QInputMethodEvent("", [])
    event.setCommitString(typed)
    QApplication.sendEvent(field, event)


# --- 1. What the clerk is told ----------------------------------------------------------------

def test_counterfeit_instruction_is_the_same_policy_in_both_languages(
        qtbot: QtBot, window: MainWindow) -> None:
    run_profile(qtbot, window, "forged-issuer")
    view = window.result_view
    assert view.banner.verdict is Verdict.COUNTERFEIT_SUSPECTED
    assert "お店の手順に従ってください" in view.next_steps.text()
    assert "警察" not in view.next_steps.text() and "返却せず" not in view.next_steps.text()
    window.toggle_language()
    assert "Follow your shop's procedure" in view.next_steps.text()
    assert "Keep the card" not in view.next_steps.text()


def test_shop_sets_its_own_counterfeit_instruction(qtbot: QtBot, window: MainWindow,
                                                    store: object) -> None:
    own = "責任者を呼んでください / Call the manager"
    window.apply_settings(window.settings.with_changes(counterfeit_instruction=own))
    run_profile(qtbot, window, "cloned")
    assert own in window.result_view.next_steps.text()
    window.toggle_language()
    assert own in window.result_view.next_steps.text()
    assert load_settings(store).counterfeit_instruction == own  # type: ignore[arg-type]
    dialog = SettingsDialog(window.settings, [], Language.JA)
    qtbot.addWidget(dialog)
    assert dialog.value().counterfeit_instruction == own


def test_blank_chip_says_what_is_known_without_status_words(qtbot: QtBot,
                                                             window: MainWindow) -> None:
    insert(qtbot, window, "blank-chip")
    view = window.result_view
    assert view.banner.verdict is Verdict.COUNTERFEIT_SUSPECTED
    said = view.reason.text() + view.next_steps.text()
    assert "このカードのICチップはマイナンバーカードとして応答しません" in said
    assert "偽造の疑い" in view.banner.words.text()
    assert "本人確認書類として受け付けないでください" in view.next_steps.text()
    assert "6A82" not in said and "SELECT" not in said
    # the technical cause stays available in the details view
    model = window.checks_model
    tips = [model.data(model.index(r, 2), Qt.ItemDataRole.ToolTipRole)
            for r in range(model.rowCount())]
    assert any(CheckId.AP_CARD_FACE.value in str(tip) for tip in tips)


#: ... and O and I, the letters a card number's digits 0 and 1 are mistaken for.
_ALLOWED_ASCII = {"B", "IC", "PC", "SC", "Enter", "Esc", "English", "SHA", "ZIP", "O", "I"}
#: A command the administrator types, named in backquotes so it can be found and copied.
_COMMAND = re.compile(r"`mynacheck [a-z ]+`")


def _japanese_texts() -> dict[str, str]:
    texts = {key: ja for key, (ja, _en) in i18n._MESSAGES.items()}
    texts.update({f"check {c}": i18n.check_name(c, Language.JA) for c in CheckId})
    texts.update({f"passed {k}": d.ja for k, d in messages.PASSED.items()})
    texts.update({f"failed {r.value}": d.ja for r, d in messages.FAILED.items()})
    texts["not_run"] = messages.NOT_RUN.ja
    texts["skipped"] = messages.SKIPPED_BY_OPTION.ja
    texts["too_few"] = messages.too_few_tries(2, 3).ja
    texts["cause"] = messages.with_cause(messages.Reason.READ_FAILED, "SW 6A82 (No such)").ja
    texts.update({f"check residence {c}": d.ja for c, d in residence_words.CHECK_NAMES.items()})
    texts.update({f"residence failed {r.value}": d.ja for r, d in residence_words.FAILED.items()})
    texts["residence expiry"] = residence_words.EXPIRY_IN_IMAGE.ja
    return texts


@pytest.mark.parametrize("key", sorted(_japanese_texts()))
def test_clerk_japanese_is_plain_and_consistent(key: str) -> None:
    ja = _japanese_texts()[key]
    words = set(re.findall(r"[A-Za-z]+", _COMMAND.sub("", re.sub(r"\{\w+\}", "", ja))))
    assert words <= _ALLOWED_ASCII, f"English or jargon in {key}: {ja}"
    assert "リーダー" not in ja and "テスト用" not in ja  # 読み取り機, 試験用
    assert "理由:" not in ja and ": " not in ja  # full-width 「：」
    if not key.startswith("check "):  # sentences, not the names of checks: です・ます
        assert "である" not in ja and not ja.endswith(("正しい", "一致", "未実施", "省略"))


def test_one_mark_on_the_verdict_and_dates_as_written(qtbot: QtBot, window: MainWindow) -> None:
    run_profile(qtbot, window, "genuine")
    view = window.result_view
    # the icon is the one mark; a simulated card's verdict says so in its own words (issue 10)
    assert view.banner.words.text() == "真正（訓練用・模擬カード）"
    assert not view.banner.icon.pixmap().isNull()
    assert view.expiry.text() == "2035年2月17日"
    assert view.birth.text() == "1980年2月17日（昭和55年）"


def test_card_placement_gives_one_instruction(qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "genuine")
    assert window.status.text() == "券面を見て、照合番号Bの3項目を入力してください"
    assert window.code_entry.message.text() == ""
    assert "入力してください" not in window.result_view.banner.words.text()


# --- 2. Correcting a mistyped code --------------------------------------------------------------

def test_rejected_code_stays_for_correction(qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "genuine", HEISEI)
    card = source_of(window).card
    assert card is not None
    wrong = card.persona.security_code[:-1] + str((int(card.persona.security_code[-1]) + 1) % 10)
    type_code(qtbot, window, card.persona, wrong)
    typed = [field.text() for field in window.code_entry.fields()]
    confirm(qtbot, window)
    entry = window.code_entry
    assert window.result_view.banner.verdict is Verdict.NOT_VERIFIED
    assert [field.text() for field in entry.fields()] == typed
    assert entry.era.currentData() == "平成"
    assert entry.isEnabled() and entry.year.hasFocus()
    assert entry.year.selectedText() == entry.year.text()
    assert "残り回数：9回" in window.tries.text() and window.tries.property("warn") is True
    assert "直して" in window.status.text() and "直して" in window.result_view.next_steps.text()
    assert not window.confirm_button.isEnabled()  # the same code again would spend a try
    assert "一致しなかった番号のまま" in entry.message.text()
    entry.security.setText(card.persona.security_code)
    assert window.confirm_button.isEnabled()
    confirm(qtbot, window)
    assert window.result_view.banner.verdict is Verdict.GENUINE


def test_after_a_verdict_take_the_card_then_place_the_next(qtbot: QtBot,
                                                           window: MainWindow) -> None:
    run_profile(qtbot, window, "genuine")
    assert window.status.text() == "カードを取ってください"
    window.remove_simulated()
    qtbot.waitUntil(lambda: window.controller.state is CardState.REMOVED, timeout=2000)
    assert window.status.text() == "次のカードを置いてください"


def test_escape_clears_the_verdict_and_personal_data(qtbot: QtBot, window: MainWindow) -> None:
    run_profile(qtbot, window, "genuine")
    assert not window.result_view.photo.pixmap().isNull()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert personal_widgets_empty(window)
    assert window.controller.state is CardState.CLEARED


# --- 3. Input ---------------------------------------------------------------------------------

def test_full_width_digits_are_accepted(qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "genuine")
    entry = window.code_entry
    entry.era.setCurrentIndex(entry.era.findData("昭和"))
    for field, typed in ((entry.year, "５５"), (entry.month, "２"), (entry.day, "１７"),
                         (entry.expiry, "２０３５"), (entry.security, "２２８５")):
        field.setFocus()
        ime_type(field, typed)
    assert entry.year.text() == "55" and entry.security.text() == "2285"
    assert entry.code().code == PERSONAS[0].code_b


def test_gannen_is_year_one(qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "genuine", 1)
    entry = window.code_entry
    entry.era.setCurrentIndex(entry.era.findData("平成"))
    entry.year.setFocus()
    ime_type(entry.year, "元")
    assert entry.year.text() == "元"
    qtbot.keyClicks(entry.month, "1")
    qtbot.keyClicks(entry.day, "8")
    qtbot.keyClicks(entry.expiry, "2031")
    qtbot.keyClicks(entry.security, PERSONAS[1].security_code)
    assert entry.code().code == PERSONAS[1].code_b


@pytest.mark.parametrize(("era", "year", "expiry", "said"), [
    ("令和", "30", "2035", "未来"),  # 2048: not born yet
    ("昭和", "55", "2099", "有効期限"),  # no card issued today runs to 2099
], ids=["future-birth", "implausible-expiry"])
def test_implausible_entries_are_refused_before_any_verify(
        qtbot: QtBot, window: MainWindow, era: str, year: str, expiry: str, said: str) -> None:
    insert(qtbot, window, "genuine")
    entry = window.code_entry
    entry.era.setCurrentIndex(entry.era.findData(era))
    for field, typed in ((entry.year, year), (entry.month, "2"), (entry.day, "17"),
                         (entry.expiry, expiry), (entry.security, "2285")):
        qtbot.keyClicks(field, typed)
    assert entry.code() is None
    assert said in entry.message.text()
    assert not window.confirm_button.isEnabled()
    assert not window.confirm()
    assert code_verifies(window) == 0


# --- 4. Reader and service states -----------------------------------------------------------

def test_pcsc_service_stopped_is_named(qtbot: QtBot, window: MainWindow) -> None:
    source = source_of(window)
    source.service_changed.emit(False)
    source.readers_changed.emit([])
    assert "PC/SC" in window.status.text() and "動いていません" in window.status.text()
    assert window.status.text() != "読み取り機を接続してください"
    source.service_changed.emit(True)
    assert window.status.text() == "読み取り機を接続してください"


def test_service_probe_tells_no_service_from_no_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    from apdu import pcsc
    from apdu.errors import ServiceNotRunningError
    from verifier.counter.readers import service_running

    def refuse() -> None:
        raise ServiceNotRunningError("the PC/SC service (pcscd) is not running")

    monkeypatch.setattr(pcsc, "PcscContext", refuse)
    assert service_running() is False


def test_card_on_another_reader_is_pointed_out(qtbot: QtBot, window: MainWindow) -> None:
    other = "ACS ACR39U ICC Reader 00 00"
    source = source_of(window)
    source.readers_changed.emit([SIMULATED_READER, other])
    # the clerk chose a reader (with none chosen, the card's own reader is read: issue 10)
    window.apply_settings(window.settings.with_changes(reader=SIMULATED_READER))
    assert window.controller.reader == SIMULATED_READER
    source.inserted.emit(other)
    assert other in window.status.text() and "別の読み取り機" in window.status.text()
    source.removed.emit(other)
    assert window.status.text().startswith("カードを読み取り機に置いてください")


def test_gui_unknown_reader_is_a_usage_error(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from apdu import pcsc

    monkeypatch.setattr(pcsc, "list_readers",
                        lambda: [pcsc.ReaderInfo("Real Reader 00 00", False, None)])
    monkeypatch.setattr("gui.app.run_app", lambda args: 99)  # the window must not start
    assert cli.main(["gui", "--reader", "Nope"]) == 2
    err = capsys.readouterr().err
    assert "Nope" in err and "Real Reader 00 00" in err
    assert len(err.strip().splitlines()) == 1


# --- 5. Start-up errors are messages ----------------------------------------------------------

def test_gui_persona_out_of_range_is_a_usage_error(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("gui.app.run_app", lambda args: 99)  # the window must not start
    assert cli.main(["gui", "--simulated", "genuine", "--persona", "9"]) == 2
    err = capsys.readouterr().err
    assert "--persona" in err and len(err.strip().splitlines()) == 1


def test_gui_without_a_display_is_one_line() -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    code = "import sys; from verifier.cli.main import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", code, "gui", "--simulated", "genuine"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 2, done.stderr
    assert "display" in done.stderr and "reinstalling" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


# --- 6. The audit log never silently loses a record -------------------------------------------

def test_settings_dialog_refuses_an_unwritable_audit_log(qtbot: QtBot, window: MainWindow,
                                                         tmp_path: Path) -> None:
    dialog = SettingsDialog(window.settings, [], Language.JA)
    qtbot.addWidget(dialog)
    dialog.audit.setText(str(tmp_path / "no-such-dir" / "audit.jsonl"))
    dialog.accept()
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert dialog.audit_problem.isVisibleTo(dialog)
    assert "監査ログを書き込めません" in dialog.audit_problem.text()
    dialog.audit.setText(str(tmp_path / "audit.jsonl"))
    dialog.accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted


def test_audit_failure_stops_verifying_until_fixed(qtbot: QtBot, window: MainWindow,
                                                    tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    window.apply_settings(window.settings.with_changes(audit_log=str(audit)))
    assert not window.controller.audit_error  # checked when the settings were applied
    audit.unlink()
    audit.mkdir()  # the record can no longer be appended
    insert(qtbot, window, "blank-chip")  # a verdict at once: its record fails
    assert window.controller.audit_error
    assert window.audit_notice.isVisibleTo(window)
    assert "監査ログに記録できませんでした" in window.audit_notice.text()
    # the next card is not checked while records would be lost
    generation = window.controller.generation
    source_of(window).insert("genuine")
    qtbot.wait(100)
    assert window.controller.generation == generation or window.controller.precheck is None
    card = source_of(window).card
    assert card is not None and not card.commands
    assert not window.confirm_button.isEnabled()
    # fixed (the same path saved again once it can be written): the notice goes and the
    # waiting card is read
    audit.rmdir()
    window.apply_settings(window.settings)
    qtbot.waitUntil(lambda: window.controller.state is CardState.CARD_PRESENT, timeout=10_000)
    assert not window.audit_notice.isVisibleTo(window)


# --- 8. Layout ----------------------------------------------------------------------------------

def _inside(window: MainWindow, widget: QWidget) -> bool:
    top_left = widget.mapTo(window, widget.rect().topLeft())
    bottom_right = widget.mapTo(window, widget.rect().bottomRight())
    return (widget.isVisibleTo(window) and window.rect().contains(top_left)
            and window.rect().contains(bottom_right))


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800)], ids=["1024x768", "1280x800"])
def test_everything_the_clerk_needs_is_on_screen(qtbot: QtBot, window: MainWindow,
                                                 size: tuple[int, int]) -> None:
    assert window.minimumWidth() >= 1024 and window.minimumHeight() >= 768
    window.resize(*size)
    run_profile(qtbot, window, "genuine", 1)  # the longest address
    qtbot.wait(50)
    assert (window.width(), window.height()) == size  # nothing forces the window larger
    view = window.result_view
    needed: list[QWidget] = [
        window.language_button, window.settings_button, window.reader_box, window.status,
        window.code_entry.era, window.code_entry.security, window.confirm_button,
        window.clear_button, window.tries, view.banner, view.next_steps, view.photo,
        view.name_image, view.address_image, view.birth, view.expiry]
    for widget in needed:
        assert _inside(window, widget), f"{widget.objectName() or type(widget).__name__} off-screen"
    # the chip's address image is shown whole, not cut at the label's edge
    address = view.address_image
    assert address.pixmap().width() <= address.contentsRect().width()
    # details wrap, and the full text with its technical cause is the tooltip
    assert window.checks_view.wordWrap()
    model = window.checks_model
    row = next(r for r in range(model.rowCount())
               if model.data(model.index(r, 0), CHECK_ID_ROLE) is CheckId.CHIP_AUTHENTIC)
    detail = model.data(model.index(row, 2))
    assert detail in model.data(model.index(row, 2), Qt.ItemDataRole.ToolTipRole)


# --- 9. Training ------------------------------------------------------------------------------

@pytest.mark.parametrize("profile", ["genuine", "expired", "tampered-birth"])
def test_training_shows_the_printed_face(window: MainWindow, profile: str) -> None:
    panel = window.simulated_panel
    assert panel is not None
    panel.select_profile(profile)
    printed = printed_persona(profile, PERSONAS[0])
    face = panel.face.text()
    assert printed.security_code in face
    assert f"{printed.expiry.year}年{printed.expiry.month}月{printed.expiry.day}日" in face
    era_year = printed.birth.year - 1925  # 昭和 (persona 0 and its altered print)
    assert f"昭和{era_year}年{printed.birth.month}月{printed.birth.day}日" in face


def test_persona_picker_follows_the_inserted_card(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.simulated_panel
    assert panel is not None
    insert(qtbot, window, "expired", 1)
    assert panel.persona_box.currentData() == 1
    assert panel.profile_box.currentData() == "expired"
    assert PERSONAS[1].security_code in panel.face.text()


def test_training_names_in_japanese(window: MainWindow) -> None:
    panel = window.simulated_panel
    assert panel is not None
    index = panel.profile_box.findData("genuine")
    assert panel.profile_box.itemText(index) == "本物のカード"
    assert panel.persona_box.itemText(0) == "昭和生まれ"
    window.set_language(Language.EN)
    assert panel.profile_box.itemText(index) == "genuine"
    assert panel.persona_box.itemText(0) == "showa"


# --- 10. Options that say they are saved are saved --------------------------------------------

def test_lang_and_reader_options_are_saved(store: object) -> None:
    args = argparse.Namespace(lang="en", reader="ACS ACR39U ICC Reader 00 00", idle_timeout=30)
    settings = settings_from_args(args, store)  # type: ignore[arg-type]
    assert settings.idle_timeout_s == 30
    saved = load_settings(store)  # type: ignore[arg-type]
    assert saved.language is Language.EN and saved.reader == "ACS ACR39U ICC Reader 00 00"
    assert saved.idle_timeout_s == 120  # --idle-timeout is for this run only


def test_readme_lists_every_profiles_printed_code_b() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    from testcards import PROFILES

    for profile in PROFILES:
        printed = printed_persona(profile, PERSONAS[0])
        assert f"| `{profile}` |" in readme
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{profile}` |"))
        assert f"`{printed.code_b.digits}`" in row

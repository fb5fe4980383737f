"""The counter window end to end on in-process simulated cards (offscreen Qt)."""

from __future__ import annotations

import pytest
from gui_helpers import (
    SETTLED,
    insert,
    personal_widgets_empty,
    source_of,
    type_code,
    wrong_security_code,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gui.card_controller import CardState
from gui.checks_model import CHECK_ID_ROLE
from gui.i18n import Language, check_name
from gui.main_window import MainWindow
from gui.settings import GuiSettings
from testcards import PROFILES, Quirks
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.check_ids import CHECKS, CheckId
from verifier.engine.verdict import Outcome, Verdict

pytestmark = pytest.mark.gui

COUNTERFEITS = [name for name, profile in PROFILES.items()
                if profile.expected is Verdict.COUNTERFEIT_SUSPECTED]
VERIFY_HEADER = bytes((p.CLA, p.INS_VERIFY))


def verifies_sent(window: MainWindow) -> int:
    card = source_of(window).card
    assert card is not None
    return sum(1 for command in card.commands if command[:2] == VERIFY_HEADER)


def confirm_with_enter(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.code_entry.security, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.state is CardState.DONE, timeout=10_000)


def run_genuine(qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "genuine")
    card = source_of(window).card
    assert card is not None
    type_code(qtbot, window, card.persona)
    confirm_with_enter(qtbot, window)


def failing_row(window: MainWindow, check_id: CheckId) -> int:
    model = window.checks_model
    for row in range(model.rowCount()):
        if model.data(model.index(row, 0), CHECK_ID_ROLE) == check_id:
            return row
    raise AssertionError(f"{check_id} not in the checks table")


def test_idle_screen(window: MainWindow) -> None:
    assert window.controller.state is CardState.NO_CARD
    assert window.status.text().startswith("カードを読み取り機に置いてください")
    # every idle screen says in one line that a card whose chip does not answer is not accepted
    assert "ICチップが応答しないカードは" in window.status.text()
    assert "シミュレーション（訓練用）" in window.simulated_panel.banner.text()  # type: ignore[union-attr]
    assert personal_widgets_empty(window)
    assert not window.code_entry.isEnabled()
    assert not window.confirm_button.isEnabled()


def test_genuine_shows_verdict_photo_and_data(qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "genuine")
    assert window.controller.state is CardState.CARD_PRESENT
    assert window.tries.text() == "照合番号Bの残り回数：10回"
    assert not window.confirm_button.isEnabled()  # nothing typed yet
    card = source_of(window).card
    assert card is not None
    type_code(qtbot, window, card.persona)
    assert window.confirm_button.isEnabled()
    confirm_with_enter(qtbot, window)

    view = window.result_view
    assert view.banner.verdict is Verdict.GENUINE
    assert "真正" in view.banner.words.text()
    assert not view.banner.icon.pixmap().isNull()  # an icon, not colour alone
    assert not view.photo.pixmap().isNull()
    assert not view.name_image.pixmap().isNull()
    assert not view.address_image.pixmap().isNull()
    assert view.birth.text().startswith(f"{card.persona.birth.year}年")
    assert view.sex.text() in ("男", "女")
    assert view.expiry.text()
    assert view.name_text.text() == card.persona.name  # from the text AP
    assert "見比べ" in view.next_steps.text()
    model = window.checks_model
    assert model.rowCount() == len(CHECKS)
    assert all(check.outcome is Outcome.PASSED for check in model.checks)
    assert card.tries_left("card_face_b") == 10
    # the code fields are emptied once the code has been used
    assert all(field.text() == "" for field in window.code_entry.fields())


@pytest.mark.parametrize("profile", COUNTERFEITS)
def test_counterfeit_names_the_failing_check(qtbot: QtBot, window: MainWindow,
                                             profile: str) -> None:
    insert(qtbot, window, profile)
    if window.controller.state is CardState.CARD_PRESENT:
        card = source_of(window).card
        assert card is not None
        type_code(qtbot, window, card.persona)
        confirm_with_enter(qtbot, window)
    assert window.controller.state is CardState.DONE
    view = window.result_view
    assert view.banner.verdict is Verdict.COUNTERFEIT_SUSPECTED
    assert "偽造の疑い" in view.banner.words.text()
    failing = PROFILES[profile].failing_check
    assert failing is not None
    assert check_name(failing, Language.JA) in view.reason.text()
    row = failing_row(window, failing)
    assert "問題あり" in window.checks_model.data(window.checks_model.index(row, 1))
    assert view.photo.pixmap().isNull() or failing in (CheckId.CHIP_AUTHENTIC,
                                                       CheckId.TEXT_AP_SIGNATURE,
                                                       CheckId.TEXT_AP_CONSISTENT)


def test_blank_chip_said_at_once_without_code(qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "blank-chip")
    assert window.controller.state is CardState.DONE  # no code typed, no confirm pressed
    view = window.result_view
    assert view.banner.verdict is Verdict.COUNTERFEIT_SUSPECTED
    assert "マイナンバーカードとして応答しません" in view.reason.text()
    assert "受け付けないでください" in view.next_steps.text()
    assert window.controller.checked is not None
    assert window.controller.checked.action.value == "refuse"
    assert not window.code_entry.isEnabled()
    assert verifies_sent(window) == 0


@pytest.mark.parametrize("profile", ["low-retries", "locked"])
def test_too_few_tries_refuses_to_verify(qtbot: QtBot, window: MainWindow,
                                         profile: str) -> None:
    insert(qtbot, window, profile)
    card = source_of(window).card
    assert card is not None
    before_tries = card.tries_left("card_face_b")
    before_commands = list(card.commands)
    assert not window.confirm_button.isEnabled()
    assert window.result_view.banner.verdict is Verdict.NOT_VERIFIED
    if profile == "low-retries":
        assert "残り回数：2回" in window.tries.text()
        assert "照合しません" in window.tries.text()
        assert "残り回数が2回しかない" in window.result_view.next_steps.text()
    assert "市区町村" in window.result_view.next_steps.text()
    # typing the code and pressing Enter or calling confirm sends nothing
    window.code_entry.setEnabled(True)  # even if the clerk somehow could type
    type_code(qtbot, window, card.persona)
    qtbot.keyClick(window.code_entry.security, Qt.Key.Key_Return)
    assert window.confirm() is False
    assert window.controller.confirm(card.persona.code_b) is False
    qtbot.wait(50)  # let any queued job run; the worker must have been given nothing
    assert card.commands == before_commands
    assert card.tries_left("card_face_b") == before_tries


def test_floor_from_settings(qtbot: QtBot, make_window: object) -> None:
    window = make_window(GuiSettings(keep_tries=9))  # type: ignore[operator]
    insert(qtbot, window, "genuine")  # 10 tries > 9: allowed
    assert window.controller.can_confirm()
    window.apply_settings(window.settings.with_changes(keep_tries=9))
    insert(qtbot, window, "low-retries")
    assert not window.controller.can_confirm()
    assert "下限（9回）" in window.tries.text()
    assert "下限9回" in window.result_view.next_steps.text()


def test_wrong_code_spends_exactly_one_try(qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "genuine")
    card = source_of(window).card
    assert card is not None
    before = verifies_sent(window)
    type_code(qtbot, window, card.persona, wrong_security_code(card.persona))
    confirm_with_enter(qtbot, window)
    view = window.result_view
    assert view.banner.verdict is Verdict.NOT_VERIFIED
    assert "確認できず" in view.banner.words.text()
    assert card.tries_left("card_face_b") == 9
    assert window.tries.text().startswith("残り回数：9回")
    # one VERIFY with the code (the other VERIFY header is the no-data tries query)
    assert verifies_sent(window) - before == 2
    assert check_name(CheckId.CODE_B_VERIFY, Language.JA) in view.reason.text()
    assert "もう一度見比べ" in view.next_steps.text()
    assert view.photo.pixmap().isNull()
    # no automatic retry: nothing more is sent while the verdict is on screen
    sent = len(card.commands)
    qtbot.wait(50)
    assert len(card.commands) == sent
    assert not window.confirm_button.isEnabled()


def test_corrected_code_verifies_with_the_card_in_place(qtbot: QtBot,
                                                        window: MainWindow) -> None:
    insert(qtbot, window, "genuine")
    card = source_of(window).card
    assert card is not None
    type_code(qtbot, window, card.persona, wrong_security_code(card.persona))
    confirm_with_enter(qtbot, window)
    assert window.result_view.banner.verdict is Verdict.NOT_VERIFIED
    assert card.tries_left("card_face_b") == 9
    sent = len(card.commands)
    assert not window.confirm_button.isEnabled()  # the rejected code, unchanged: not again
    # The clerk corrects the digits; the same card, never placed again, is checked anew.
    type_code(qtbot, window, card.persona)
    assert window.confirm_button.isEnabled()
    assert len(card.commands) == sent  # typing sends nothing
    confirm_with_enter(qtbot, window)
    assert window.result_view.banner.verdict is Verdict.GENUINE
    assert card.tries_left("card_face_b") == 10  # the right code resets the counter
    with_code = [c for c in card.commands if c[1] == 0x20 and len(c) > 4]
    assert len(with_code) == 2 + 1  # the wrong code, the right one, and the text AP's


def test_corrected_code_respects_the_floor(qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "genuine")
    card = source_of(window).card
    assert card is not None
    code = card.persona.security_code
    for k in range(1, 8):  # 10 → 3 tries: at the floor, nothing more may be risked
        card_tries = card.tries_left("card_face_b")
        # another wrong code each time: the same one again is not sent
        type_code(qtbot, window, card.persona, code[:-1] + str((int(code[-1]) + k) % 10))
        if not window.confirm_button.isEnabled():
            break
        confirm_with_enter(qtbot, window)
        assert card.tries_left("card_face_b") == card_tries - 1
    assert card.tries_left("card_face_b") == 3
    type_code(qtbot, window, card.persona)
    assert not window.confirm_button.isEnabled()
    assert not window.controller.confirm(card.persona.code_b)


def test_removal_wipes_everything(qtbot: QtBot, window: MainWindow) -> None:
    run_genuine(qtbot, window)
    assert not window.result_view.photo.pixmap().isNull()
    window.remove_simulated()
    qtbot.waitUntil(lambda: window.controller.state is CardState.REMOVED, timeout=2000)
    assert personal_widgets_empty(window)
    assert not window.result_view.personal_panel.isVisible()
    assert window.status.text() == "次のカードを置いてください"


def test_removal_while_typing_clears_the_code(qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "genuine")
    card = source_of(window).card
    assert card is not None
    type_code(qtbot, window, card.persona)
    window.remove_simulated()
    qtbot.waitUntil(lambda: window.controller.state is CardState.REMOVED, timeout=2000)
    assert personal_widgets_empty(window)
    assert window.code_entry.code() is None


def test_idle_timeout_wipes_everything(qtbot: QtBot, make_window: object) -> None:
    window = make_window(GuiSettings(idle_timeout_s=1))  # type: ignore[operator]
    run_genuine(qtbot, window)
    assert not window.result_view.photo.pixmap().isNull()
    qtbot.waitUntil(lambda: window.controller.state is CardState.IDLE_WIPED, timeout=5000)
    assert personal_widgets_empty(window)
    assert "置き直して" in window.status.text()


def test_idle_timeout_clears_typed_code(qtbot: QtBot, window: MainWindow) -> None:
    window.controller.set_idle_timeout_ms(300)
    insert(qtbot, window, "genuine")
    card = source_of(window).card
    assert card is not None
    type_code(qtbot, window, card.persona)
    qtbot.waitUntil(lambda: window.controller.state is CardState.IDLE_WIPED, timeout=5000)
    assert personal_widgets_empty(window)
    assert not window.confirm_button.isEnabled()


def test_esc_clears_the_code(qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "genuine")
    card = source_of(window).card
    assert card is not None
    type_code(qtbot, window, card.persona)
    qtbot.keyClick(window.code_entry.security, Qt.Key.Key_Escape)
    assert all(field.text() == "" for field in window.code_entry.fields())


@pytest.mark.parametrize("tear_after", [2, 5], ids=["in-precheck", "in-verify"])
def test_second_card_after_failed_read_shows_nothing_of_the_first(
        qtbot: QtBot, window: MainWindow, tear_after: int) -> None:
    run_genuine(qtbot, window)
    assert window.result_view.banner.verdict is Verdict.GENUINE
    # the next card goes away half way through its read
    card = source_of(window).insert("genuine", 1, quirks=Quirks(tear_after=tear_after))
    assert personal_widgets_empty(window)  # wiped the moment the card arrived
    qtbot.waitUntil(lambda: window.controller.state in SETTLED, timeout=5000)
    if window.controller.state is CardState.CARD_PRESENT:
        type_code(qtbot, window, card.persona)
        confirm_with_enter(qtbot, window)
    view = window.result_view
    assert view.banner.verdict is Verdict.NOT_VERIFIED
    for label in (view.photo, view.name_image, view.address_image, view.name_text,
                  view.address_text, view.birth, view.sex):
        assert label.text() == "" and label.pixmap().isNull()
    assert window.controller.result is None or window.controller.result.personal is None
    assert not window.confirm_button.isEnabled()


def test_stale_worker_answer_is_dropped(qtbot: QtBot, window: MainWindow) -> None:
    source = source_of(window)
    source.insert("genuine", 0, quirks=Quirks(slow_ms=100))
    steps: list[str] = []
    window.controller.progress.connect(steps.append)
    # Replaced once the worker is inside the slow precheck (not before it opened the card):
    # its later steps and its answer are then a stale card's, every time.
    qtbot.waitUntil(lambda: bool(steps), timeout=2000)
    assert window.controller.state is CardState.READING
    first_generation = window.controller.generation
    source.insert("blank-chip", 1)  # replaced while the slow precheck still runs
    qtbot.waitUntil(lambda: window.controller.state is CardState.DONE, timeout=10_000)
    assert window.controller.generation > first_generation
    assert window.result_view.banner.verdict is Verdict.COUNTERFEIT_SUSPECTED
    qtbot.wait(300)  # the slow card's precheck finishes now and must change nothing
    assert window.result_view.banner.verdict is Verdict.COUNTERFEIT_SUSPECTED
    assert window.controller.state is CardState.DONE


def test_gui_stays_responsive_while_reading(qtbot: QtBot, window: MainWindow) -> None:
    source_of(window).insert("genuine", 0, quirks=Quirks(slow_ms=30))
    qtbot.waitUntil(lambda: window.controller.state is CardState.READING, timeout=2000)
    steps: list[str] = []
    window.controller.progress.connect(steps.append)
    qtbot.waitUntil(lambda: window.controller.state is CardState.CARD_PRESENT, timeout=10_000)
    # progress arrived step by step through the event loop while the worker read the card
    assert CheckId.CERTIFICATE_TRUSTED.value in steps or steps


def test_language_switch(qtbot: QtBot, window: MainWindow, store: object) -> None:
    run_genuine(qtbot, window)
    window.toggle_language()
    view = window.result_view
    assert "Genuine" in view.banner.words.text()
    assert window.confirm_button.text() == "Confirm (Enter)"
    assert "Compare the chip's photo" in view.next_steps.text()
    assert window.checks_model.headerData(0, Qt.Orientation.Horizontal) == "Check"
    assert window.status.text() == "Take the card off the reader"
    assert window.settings.language is Language.EN
    window.toggle_language()
    assert "真正" in view.banner.words.text()
    assert window.confirm_button.text() == "確認する（Enter）"


def test_tab_order(qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "genuine")  # fields are enabled only with a card present
    card = source_of(window).card
    assert card is not None
    type_code(qtbot, window, card.persona)  # so that the confirm button takes focus too
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    entry = window.code_entry
    order = [entry.era, entry.year, entry.month, entry.day, entry.expiry, entry.security,
             window.confirm_button]
    entry.era.setFocus()
    qtbot.waitUntil(entry.era.hasFocus, timeout=1000)
    for expected in order[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected


def test_fits_1280_by_800(qtbot: QtBot, window: MainWindow) -> None:
    run_genuine(qtbot, window)  # the fullest screen: photo, images, eleven checks
    for language in (Language.JA, Language.EN):
        window.set_language(language)
        hint = window.minimumSizeHint()
        assert hint.width() <= 1280 and hint.height() <= 800, (language, hint)
    window.resize(1280, 800)
    assert (window.width(), window.height()) == (1280, 800)


def test_activity_postpones_the_idle_wipe(qtbot: QtBot, window: MainWindow) -> None:
    window.controller.set_idle_timeout_ms(400)
    insert(qtbot, window, "genuine")
    for _ in range(4):  # the clerk keeps typing for longer than the timeout
        qtbot.wait(150)
        qtbot.keyClick(window.code_entry.year, Qt.Key.Key_5)
    assert window.controller.state is CardState.CARD_PRESENT
    qtbot.waitUntil(lambda: window.controller.state is CardState.IDLE_WIPED, timeout=3000)
    assert personal_widgets_empty(window)

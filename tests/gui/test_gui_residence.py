"""在留カード and 特別永住者証明書 at the counter app, on simulated cards through the real counter:
the key field follows the card placed, what the chip holds is shown for each generation, a
mistyped number is corrected with the card in place (one attempt each time, never repeated by
itself), and removal wipes the number and the images."""

from __future__ import annotations

import logging

import pytest
from gui_helpers import insert, personal_widgets_empty, source_of, type_code, type_number
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from gui.card_controller import CardState
from gui.i18n import Language
from gui.main_window import MainWindow
from testcards.personas import PERSONAS
from testcards.residence.personas import RESIDENCE_PERSONAS
from verifier.counter.keys import KeyKind
from verifier.engine.verdict import Reason, Verdict

pytestmark = pytest.mark.gui


def number_of(window: MainWindow) -> str:
    card = source_of(window).card
    assert card is not None
    return str(card.card_number.text)


def confirm(qtbot: QtBot, window: MainWindow) -> None:
    """Enter in the number field, as a clerk confirms, and wait for the verdict."""
    qtbot.keyClick(window.number_entry.number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.state is CardState.DONE, timeout=10_000)


def verify_residence(qtbot: QtBot, window: MainWindow, profile: str, persona: int = 0) -> None:
    insert(qtbot, window, profile, persona)
    assert window.controller.state is CardState.CARD_PRESENT
    type_number(qtbot, window, number_of(window))
    confirm(qtbot, window)


def mistyped(number: str) -> str:
    """The same number with one digit wrong: still a card number, not this card's."""
    digit = str((int(number[5]) + 1) % 10)
    return number[:5] + digit + number[6:]


# --- the key field follows the card -----------------------------------------------------------

def test_the_key_field_follows_the_card_placed(qtbot: QtBot, window: MainWindow) -> None:
    keys = window.keys
    # before any card: code B's fields, as always
    assert keys.stack.currentWidget() is window.code_entry
    insert(qtbot, window, "genuine")
    assert keys.stack.currentWidget() is window.code_entry and keys.kind is KeyKind.CODE_B
    assert window.code_entry.year.hasFocus()
    assert "照合番号B" in window.status.text()

    insert(qtbot, window, "residence-genuine-2")
    assert window.controller.key_kind is KeyKind.CARD_NUMBER
    assert keys.stack.currentWidget() is window.number_entry
    assert window.number_entry.isEnabled() and window.number_entry.number.hasFocus()
    assert window.picture.kind is KeyKind.CARD_NUMBER  # the buttons read the number now
    assert window.picture.file_button.isEnabled()
    assert "在留カード等番号" in window.status.text()
    assert "在留カード（第2世代）" in window.result_view.banner.words.text()

    window.remove_simulated()
    qtbot.waitUntil(lambda: window.controller.state is CardState.REMOVED, timeout=5000)
    assert keys.stack.currentWidget() is window.code_entry  # back to the first screen

    insert(qtbot, window, "residence-spr-genuine-1")
    assert keys.stack.currentWidget() is window.number_entry
    assert "特別永住者証明書（第1世代）" in window.result_view.banner.words.text()
    insert(qtbot, window, "genuine")  # another card straight away: code B again
    assert keys.stack.currentWidget() is window.code_entry and window.code_entry.isEnabled()
    assert window.number_entry.number.text() == ""


def test_tab_and_enter_from_the_number_field(qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "residence-genuine-1")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    type_number(qtbot, window, number_of(window))
    window.number_entry.number.setFocus()
    qtbot.waitUntil(window.number_entry.number.hasFocus, timeout=1000)
    qtbot.keyClick(window.number_entry.number, Qt.Key.Key_Tab)
    from PySide6.QtWidgets import QApplication

    assert QApplication.focusWidget() is window.confirm_button  # the hidden code-B fields skip
    window.number_entry.number.setFocus()
    confirm(qtbot, window)
    assert window.result_view.banner.verdict is Verdict.GENUINE


def test_a_code_b_typed_for_a_my_number_card_is_not_offered_to_a_residence_card(
        qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "genuine")
    card = source_of(window).card
    assert card is not None
    type_code(qtbot, window, card.persona)
    insert(qtbot, window, "residence-genuine-2")  # another card: what was typed goes
    assert all(field.text() == "" for field in window.code_entry.fields())
    assert window.keys.key() is None and not window.confirm_button.isEnabled()


# --- what the chip holds ----------------------------------------------------------------------

@pytest.mark.parametrize(("profile", "title"), [
    ("residence-genuine-1", "在留カード（第1世代）"),
    ("residence-spr-genuine-1", "特別永住者証明書（第1世代）"),
])
def test_first_generation_shows_the_front_image_beside_the_photo(
        qtbot: QtBot, window: MainWindow, profile: str, title: str) -> None:
    verify_residence(qtbot, window, profile)
    view = window.result_view
    assert view.banner.verdict is Verdict.GENUINE
    chip = view.chip
    assert chip.isVisible() and title in chip.document.text()
    assert not view.photo.pixmap().isNull() and view.photo.isVisible()
    assert not view.front_image.pixmap().isNull() and view.front_image.isVisible()
    # the clerk is told what to do with it, beside it
    assert "手元のカード" in chip.front_caption.text() and chip.front_caption.isVisible()
    # the photo and the front side by side: the front to the right of the photo
    assert view.front_image.mapTo(window, view.front_image.rect().topLeft()).x() > \
        view.photo.mapTo(window, view.photo.rect().topRight()).x()
    # nothing a first-generation chip does not hold takes room
    for empty in (view.name_image, view.address_image, view.birth, view.expiry,
                  chip.entries_caption):
        assert not empty.isVisible()
    assert chip.entry_labels == []
    assert "手元のカード" in view.next_steps.text()  # the counter's next step says it too


@pytest.mark.parametrize(("profile", "title"), [
    ("residence-genuine-2", "在留カード（第2世代）"),
    ("residence-spr-genuine-2", "特別永住者証明書（第2世代）"),
])
def test_second_generation_shows_name_address_and_entries(
        qtbot: QtBot, window: MainWindow, profile: str, title: str) -> None:
    verify_residence(qtbot, window, profile)
    view = window.result_view
    chip = view.chip
    assert view.banner.verdict is Verdict.GENUINE and title in chip.document.text()
    for image in (view.photo, view.name_image, view.address_image):
        assert not image.pixmap().isNull() and image.isVisible()
    # the address image is not signed: said next to it
    assert chip.address_note.isVisible() and "電子署名の対象外" in chip.address_note.text()
    entries = {label.text(): value.text() for label, value in chip.entry_labels}
    assert entries["国籍・地域"] and entries["生年月日"] == "1995-04-12"
    assert "カードの有効期間の満了日" in entries
    assert chip.entries_caption.isVisible() and not view.front_image.isVisible()
    # the entries are the chip's text: the My Number rows would repeat them
    assert not view.birth.isVisible() and not view.expiry.isVisible()
    window.set_language(Language.EN)
    assert {label.text() for label, _ in chip.entry_labels} >= {"Nationality / region",
                                                                 "Birth date"}
    assert "generation 2" in chip.document.text()


def test_expired_second_generation_is_invalid_with_its_data(qtbot: QtBot,
                                                            window: MainWindow) -> None:
    verify_residence(qtbot, window, "residence-expired")
    view = window.result_view
    assert view.banner.verdict is Verdict.INVALID_CARD
    checked = window.controller.checked
    assert checked is not None and checked.action.value == "refuse"
    assert view.next_steps.property("action") == "refuse"


@pytest.mark.parametrize("profile", ["residence-tampered-photo-1", "residence-forged-ca"])
def test_a_forged_residence_card_is_suspected_and_shows_nothing_personal(
        qtbot: QtBot, window: MainWindow, profile: str) -> None:
    verify_residence(qtbot, window, profile)
    view = window.result_view
    assert view.banner.verdict is Verdict.COUNTERFEIT_SUSPECTED
    assert not view.chip.isVisible() and view.front_image.pixmap().isNull()
    assert "受け付けないでください" in view.next_steps.text()


def test_a_blank_chip_under_a_residence_face_is_reported_at_once(qtbot: QtBot,
                                                                 window: MainWindow) -> None:
    insert(qtbot, window, "residence-blank-chip")
    assert window.controller.state is CardState.DONE  # no number asked for
    assert window.result_view.banner.verdict is Verdict.COUNTERFEIT_SUSPECTED
    assert not window.number_entry.isEnabled() and not window.code_entry.isEnabled()


# --- a mistyped number --------------------------------------------------------------------------

def test_a_wrong_number_is_not_verified_and_retyped_with_the_card_in_place(
        qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "residence-genuine-2")
    card = source_of(window).card
    assert card is not None
    right = number_of(window)
    type_number(qtbot, window, mistyped(right))
    confirm(qtbot, window)
    view = window.result_view
    assert view.banner.verdict is Verdict.NOT_VERIFIED
    assert "偽造" not in view.banner.words.text()
    checked = window.controller.checked
    assert checked is not None
    failing = checked.result.failing_check
    assert failing is not None and failing.reason is Reason.NUMBER_REJECTED
    assert checked.action.value == "not_accepted"
    # one attempt of the number, and nothing more by itself
    attempts = (card.authenticate_count, card.verify_count)
    assert card.authenticate_count == 1 and card.verify_count <= 1
    qtbot.wait(300)
    assert (card.authenticate_count, card.verify_count) == attempts
    # the number stays for correcting, selected, the card in place
    assert window.controller.retypable and window.controller.state is CardState.DONE
    field = window.number_entry.number
    assert field.text() == mistyped(right) and field.hasFocus() and field.selectedText()
    assert "番号を直して" in window.status.text()
    # the same number again is no number to send
    assert window.keys.key() is None and not window.confirm_button.isEnabled()
    assert "一致しなかった番号" in window.number_entry.message.text()
    assert not window.confirm()
    assert (card.authenticate_count, card.verify_count) == attempts
    # corrected: one more attempt, on the same card, now genuine
    type_number(qtbot, window, right)
    confirm(qtbot, window)
    assert view.banner.verdict is Verdict.GENUINE
    assert card.authenticate_count == 2  # the corrected number, once


# --- wipes --------------------------------------------------------------------------------------

def test_removal_wipes_the_number_and_the_images(qtbot: QtBot, window: MainWindow) -> None:
    verify_residence(qtbot, window, "residence-genuine-1")
    assert not window.result_view.front_image.pixmap().isNull()
    window.remove_simulated()
    qtbot.waitUntil(lambda: window.controller.state is CardState.REMOVED, timeout=5000)
    assert personal_widgets_empty(window)
    assert window.result_view.front_image.pixmap().isNull()

    # a number typed but not sent goes with its card too
    insert(qtbot, window, "residence-genuine-2")
    type_number(qtbot, window, number_of(window))
    window.remove_simulated()
    qtbot.waitUntil(lambda: window.controller.state is CardState.REMOVED, timeout=5000)
    assert window.number_entry.number.text() == "" and personal_widgets_empty(window)


def test_idle_wipes_the_entries_and_the_number(qtbot: QtBot, window: MainWindow) -> None:
    window.controller.set_idle_timeout_ms(300)
    verify_residence(qtbot, window, "residence-genuine-2")
    assert window.result_view.chip.entry_labels
    qtbot.waitUntil(lambda: window.controller.state is CardState.IDLE_WIPED, timeout=3000)
    assert personal_widgets_empty(window)


def test_escape_after_a_verdict_clears_everything(qtbot: QtBot, window: MainWindow) -> None:
    verify_residence(qtbot, window, "residence-genuine-2")
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.controller.state is CardState.CLEARED and personal_widgets_empty(window)


# --- training -----------------------------------------------------------------------------------

def test_training_lists_the_residence_profiles_with_their_personas(window: MainWindow) -> None:
    panel = window.simulated_panel
    assert panel is not None
    assert panel.profile_box.findData("residence-genuine-1") >= 0
    assert panel.profile_box.itemText(panel.profile_box.findData("residence-genuine-1")) == \
        "本物の在留カード（第1世代）"
    assert panel.persona_box.count() == len(PERSONAS)  # My Number personas first
    panel.persona_box.setCurrentIndex(2)
    panel.select_profile("residence-spr-genuine-2")
    # the personas of the residence family, the index kept where it has one
    assert panel.persona_box.count() == len(RESIDENCE_PERSONAS)
    assert [panel.persona_box.itemText(i) for i in range(panel.persona_box.count())] == \
        ["ベトナム国籍の方", "フィリピン国籍の方", "韓国籍の方", "ブラジル国籍の方"]
    assert panel.persona_box.currentIndex() == 2
    face = panel.face.text()
    number = RESIDENCE_PERSONAS[2].card_number
    assert number in face and "特別永住者証明書（第2世代）" in face
    assert "セキュリティコード" not in face
    panel.select_profile("expired")  # back to a My Number profile: code B's items again
    assert panel.persona_box.count() == len(PERSONAS)
    assert PERSONAS[2].security_code in panel.face.text() and number not in panel.face.text()
    window.set_language(Language.EN)
    panel.select_profile("residence-genuine-1")
    assert panel.persona_box.itemText(0) == "nguyen"
    assert f"card number {RESIDENCE_PERSONAS[2].card_number}" in panel.face.text()
    assert "Residence card (generation 1)" in panel.face.text()


def test_the_pickers_follow_an_inserted_residence_card(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.simulated_panel
    assert panel is not None
    insert(qtbot, window, "residence-genuine-2", 3)
    assert panel.profile_box.currentData() == "residence-genuine-2"
    assert panel.persona_box.currentData() == 3
    assert number_of(window) in panel.face.text()
    qtbot.mouseClick(panel.insert_button, Qt.MouseButton.LeftButton)  # as a trainer does
    qtbot.waitUntil(lambda: window.controller.state is CardState.CARD_PRESENT, timeout=5000)
    card = source_of(window).card
    assert card is not None and card.profile == "residence-genuine-2"


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800)], ids=["1024x768", "1280x800"])
@pytest.mark.parametrize("profile", ["residence-genuine-1", "residence-genuine-2"])
def test_what_the_chip_holds_fits_the_counter_screen(qtbot: QtBot, window: MainWindow,
                                                     size: tuple[int, int], profile: str) -> None:
    window.resize(*size)
    verify_residence(qtbot, window, profile)
    qtbot.wait(50)
    assert (window.width(), window.height()) == size  # nothing forces the window larger
    view = window.result_view
    needed: list[QWidget] = [window.status, window.number_entry.number, window.confirm_button,
                             view.banner, view.next_steps, view.photo]
    if profile.endswith("-1"):
        needed += [view.front_image, view.chip.front_caption]
    else:
        needed += [view.name_image, view.address_image, view.chip.address_note,
                   *(value for _label, value in view.chip.entry_labels)]
    for widget in needed:
        top_left = widget.mapTo(window, widget.rect().topLeft())
        bottom_right = widget.mapTo(window, widget.rect().bottomRight())
        assert widget.isVisibleTo(window) and window.rect().contains(top_left) \
            and window.rect().contains(bottom_right), \
            f"{widget.objectName() or type(widget).__name__} off-screen"
    # the front image is shown whole, scaled to the room there is
    front = view.front_image
    assert front.pixmap().width() <= front.contentsRect().width()


def test_the_card_number_never_reaches_a_log(qtbot: QtBot, window: MainWindow,
                                             caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    insert(qtbot, window, "residence-genuine-2")
    right = number_of(window)
    type_number(qtbot, window, mistyped(right))
    confirm(qtbot, window)
    type_number(qtbot, window, right)
    confirm(qtbot, window)
    assert window.result_view.banner.verdict is Verdict.GENUINE
    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    assert right not in logged and mistyped(right) not in logged
    assert right not in repr(window.controller.checked)


def test_the_settings_dialog_fits_the_counter_screen(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.settings_dialog()
    hint = dialog.sizeHint()
    assert hint.height() <= 768 and hint.width() <= 1024, hint
    assert dialog.ca.install_button.text() == "認証局の証明書を登録"

"""The residence card's number field: validated while typed by the counter's rule (its Japanese
words), full-width and lower case accepted, never echoed in a message; and the number read from
a picture of the card, filled for the clerk to confirm and sent with that picture, so the
counter holds the printed face against the chip."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from gui_helpers import insert, personal_widgets_empty, source_of
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from gui.card_controller import CardState
from gui.i18n import Language
from gui.main_window import MainWindow
from gui.number_entry import NumberEntry
from gui.picture import FileFrameSource
from testcards.residence.builder import printed
from testcards.residence.issuance import first_generation_images, front_lines
from testcards.residence.personas import RESIDENCE_PERSONAS
from verifier.counter.keys import NumberInput, number_from_picture
from verifier.documents.residence.outcome import ResidenceCheck
from verifier.engine.verdict import Outcome, Reason, Verdict
from verifier.ocr.fields import PrintedFace
from verifier.ocr.residence import PrintedResidenceFace

pytestmark = pytest.mark.gui

NUMBER = "AB12345678CD"


@pytest.fixture
def entry(qtbot: QtBot) -> NumberEntry:
    widget = NumberEntry()
    qtbot.addWidget(widget)
    return widget


def ime_type(field: QLineEdit, typed: str) -> None:
    """What an IME left on delivers: a committed string."""
    event = QInputMethodEvent("", [])
    event.setCommitString(typed)
    QApplication.sendEvent(field, event)


def test_the_typed_number_is_the_key(qtbot: QtBot, entry: NumberEntry) -> None:
    qtbot.keyClicks(entry.number, NUMBER)
    key = entry.key()
    assert isinstance(key, NumberInput) and key.number.text == NUMBER and key.face is None
    assert NUMBER not in entry.message.text() and NUMBER not in repr(key)
    assert "確認する" in entry.message.text()


@pytest.mark.parametrize("typed", ["ab12345678cd", "ＡＢ１２３４５６７８ＣＤ",
                                   "ａｂ１２３４５６７８ｃｄ", "AB 1234 5678 CD"])
def test_lower_case_full_width_and_spaces_are_accepted(qtbot: QtBot, entry: NumberEntry,
                                                       typed: str) -> None:
    ime_type(entry.number, typed)
    assert entry.number.text() == NUMBER  # shown as the card prints it
    key = entry.key()
    assert isinstance(key, NumberInput) and key.number.text == NUMBER


def test_what_no_card_prints_is_refused_as_typed(qtbot: QtBot, entry: NumberEntry) -> None:
    qtbot.keyClicks(entry.number, "AB12")
    assert entry.key() is None
    assert "4文字" in entry.message.text() and "12文字" in entry.message.text()
    entry.number.clear()
    qtbot.keyClicks(entry.number, "1B12345678CD")
    assert entry.key() is None and "英字" in entry.message.text()
    entry.number.clear()
    qtbot.keyClicks(entry.number, "AB-12#")  # no dash or sign is ever in the field
    assert entry.number.text() == "AB12"
    entry.number.clear()
    qtbot.keyClicks(entry.number, NUMBER + "X")  # a 13th character is not taken
    assert entry.number.text() == NUMBER
    entry.number.setText("AB12")
    entry.retranslate(Language.EN)
    assert "12" in entry.message.text() and "文字" not in entry.message.text()


def test_enter_submits_and_clear_empties(qtbot: QtBot, entry: NumberEntry) -> None:
    qtbot.keyClicks(entry.number, NUMBER)
    with qtbot.waitSignal(entry.submitted, timeout=1000):
        qtbot.keyClick(entry.number, Qt.Key.Key_Return)
    entry.clear()
    assert entry.number.text() == "" and entry.key() is None and entry.message.text() == ""


# --- from a picture -----------------------------------------------------------------------------

def face_of(profile: str, persona: int = 0, *, confidence: float = 0.99,
            number_confidence: float = 0.99) -> PrintedResidenceFace:
    """What a picture of `profile`'s printed front shows, as the recogniser reports it."""
    shown = printed(profile, persona)
    return PrintedResidenceFace(
        document=shown.document.value, card_number=shown.card_number.text,
        name=shown.name, birth=shown.birth, card_expiry=shown.expiry,
        card_number_confidence=number_confidence, name_confidence=confidence,
        birth_confidence=confidence, card_expiry_confidence=confidence)


def read_picture(window: MainWindow, face: PrintedResidenceFace) -> None:
    """The picture thread's answer for `face`, as it arrives in the window."""
    window.picture.reader.read.emit(number_from_picture(face))


def confirm(qtbot: QtBot, window: MainWindow) -> None:
    assert window.confirm()
    qtbot.waitUntil(lambda: window.controller.state is CardState.DONE, timeout=10_000)


def test_a_number_read_from_a_picture_waits_for_the_clerk(qtbot: QtBot,
                                                          window: MainWindow) -> None:
    insert(qtbot, window, "residence-genuine-2")
    card = source_of(window).card
    assert card is not None
    before = card.exchanges
    read_picture(window, face_of("residence-genuine-2"))
    field = window.number_entry.number
    assert field.text() == card.card_number.text and not field.property("doubtful")
    assert window.confirm_button.hasFocus()  # read surely: compare, then confirm
    assert "見比べて" in window.picture.message.text()
    assert card.exchanges == before  # nothing is sent before the clerk confirms
    confirm(qtbot, window)
    result = window.controller.result
    assert result is not None and result.verdict is Verdict.GENUINE
    assert result.code_from_image  # the number came from the picture
    check = result.check(ResidenceCheck.PRINTED_FACE)
    assert check is not None and check.outcome is Outcome.PASSED


def test_a_forged_face_over_a_genuine_chip_is_caught_by_the_picture(
        qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "residence-different-face")
    read_picture(window, face_of("residence-different-face"))
    confirm(qtbot, window)
    result = window.controller.result
    assert result is not None and result.verdict is Verdict.COUNTERFEIT_SUSPECTED
    failing = result.failing_check
    assert failing is not None and failing.reason is Reason.PRINTED_FACE_DIFFERS


def test_an_unsure_number_is_marked_and_focused(qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "residence-genuine-2")
    read_picture(window, face_of("residence-genuine-2", number_confidence=0.5))
    field = window.number_entry.number
    assert field.property("doubtful") and field.hasFocus()
    assert "不確か" in window.picture.message.text()
    # the clerk corrects a character: the corrected number is sent, the picture kept with it
    right = field.text()
    field.setText(right[:-1] + ("A" if right[-1] != "A" else "B"))
    key = window.keys.key()
    assert isinstance(key, NumberInput) and key.corrected and key.face is not None
    field.setText(right)
    key = window.keys.key()
    assert isinstance(key, NumberInput) and not key.corrected


def test_a_code_b_reading_does_not_fill_the_number_field(qtbot: QtBot,
                                                         window: MainWindow) -> None:
    insert(qtbot, window, "residence-genuine-1")
    window.picture.reader.read.emit(PrintedFace(security_code="2285",
                                                security_code_confidence=0.99))
    assert window.number_entry.number.text() == "" and window.keys.printed_face is None


def test_removal_drops_the_picture_of_the_number(qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "residence-genuine-2")
    read_picture(window, face_of("residence-genuine-2"))
    assert window.number_entry.from_picture
    window.remove_simulated()
    qtbot.waitUntil(lambda: window.controller.state is CardState.REMOVED, timeout=5000)
    assert not window.number_entry.from_picture and personal_widgets_empty(window)
    assert window.picture.message.text() == ""


@pytest.fixture(scope="module")
def front_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The printed front of the first residence persona's card, as a counter scan would give
    it (the simulated card's own drawing, at twice its size)."""
    persona = RESIDENCE_PERSONAS[0]
    from verifier.documents.residence.card_type import CardType

    assert front_lines(persona, CardType.RESIDENCE_1)
    front, _photo = first_generation_images(persona, CardType.RESIDENCE_1)
    image = Image.open(io.BytesIO(front)).convert("RGB")
    image = image.resize((image.width * 2, image.height * 2))
    path = tmp_path_factory.mktemp("fronts") / "front.png"
    out = io.BytesIO()
    image.save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


def test_the_picture_button_reads_the_number_with_the_recogniser(
        qtbot: QtBot, window: MainWindow, front_file: Path) -> None:
    insert(qtbot, window, "residence-genuine-1")
    card = source_of(window).card
    assert card is not None
    before = card.exchanges
    with qtbot.waitSignal(window.picture.face_read, timeout=60_000):
        window.picture.read_from(FileFrameSource(front_file))
    assert window.number_entry.number.text() == card.card_number.text
    assert card.exchanges == before and card.authenticate_count == 0
    confirm(qtbot, window)
    assert window.result_view.banner.verdict is Verdict.GENUINE

"""The counter app reads code B from a picture: frames from files (a FrameSource), the fields
filled and the unsure ones marked, nothing sent before the clerk confirms, the printed face
held against the chip, and everything dropped on a wipe."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from gui_helpers import insert, source_of
from pytestqt.qtbot import QtBot

import testcards
from gui.main_window import MainWindow
from gui.picture import FileFrameSource
from testcards.printed_face import capture_bytes
from verifier.documents.my_number.check_ids import CheckId
from verifier.engine.verdict import Outcome, Verdict

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def face_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faces") / "face.png"
    path.write_bytes(capture_bytes(testcards.PERSONAS[0], "rotate+10", seed=2))
    return path


def read(qtbot: QtBot, window: MainWindow, path: Path) -> None:
    with qtbot.waitSignal(window.picture.face_read, timeout=60_000):
        window.picture.read_from(FileFrameSource(path))


def test_picture_fills_the_fields_and_waits_for_the_clerk(qtbot: QtBot, window: MainWindow,
                                                          face_file: Path) -> None:
    insert(qtbot, window, "genuine")
    card = source_of(window).card
    assert card is not None
    before = card.exchanges
    read(qtbot, window, face_file)
    entry = window.code_entry
    assert (entry.era.currentData(), entry.year.text(), entry.month.text(), entry.day.text(),
            entry.expiry.text(), entry.security.text()) == ("昭和", "55", "2", "17", "2035",
                                                            "2285")
    assert card.exchanges == before  # nothing is sent before the clerk confirms
    assert window.confirm()
    qtbot.waitUntil(lambda: window.controller.result is not None, timeout=5000)
    result = window.controller.result
    assert result is not None and result.verdict is Verdict.GENUINE
    check = result.check(CheckId.PRINTED_FACE)
    assert check is not None and check.outcome is Outcome.PASSED


def test_a_field_corrected_by_the_clerk_is_compared_as_typed(qtbot: QtBot, window: MainWindow,
                                                              face_file: Path) -> None:
    insert(qtbot, window, "genuine")
    read(qtbot, window, face_file)
    face = window.keys.printed_face
    assert face is not None
    # As if the picture had misread the expiry and the clerk typed the printed one over it:
    window.keys.printed_face = replace(face, expiry=face.expiry.replace(year=2031)
                                   if face.expiry else None)
    assert window.confirm()
    qtbot.waitUntil(lambda: window.controller.result is not None, timeout=5000)
    result = window.controller.result
    assert result is not None and result.verdict is Verdict.GENUINE
    check = result.check(CheckId.PRINTED_FACE)
    # the expiry year as typed (2035) and the birth date as read both match the chip
    assert check is not None and check.outcome is Outcome.PASSED


def test_unreadable_picture_says_type_the_digits(qtbot: QtBot, window: MainWindow,
                                                 tmp_path: Path) -> None:
    insert(qtbot, window, "genuine")
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    with qtbot.waitSignal(window.picture.reader.failed, timeout=30_000):
        window.picture.read_from(FileFrameSource(broken))
    assert "入力してください" in window.picture.message.text()
    assert window.code_entry.code() is None


def test_removal_drops_the_picture(qtbot: QtBot, window: MainWindow, face_file: Path) -> None:
    insert(qtbot, window, "genuine")
    read(qtbot, window, face_file)
    assert window.keys.printed_face is not None
    window.remove_simulated()
    qtbot.waitUntil(lambda: window.keys.printed_face is None, timeout=5000)
    assert window.code_entry.security.text() == ""


def test_camera_action_is_disabled_with_a_reason(qtbot: QtBot, window: MainWindow) -> None:
    insert(qtbot, window, "genuine")
    button = window.picture.camera_button
    reason = window.picture.camera.unavailable_reason()
    assert button.isEnabled() is (reason == "")
    if reason:
        assert button.toolTip() == reason

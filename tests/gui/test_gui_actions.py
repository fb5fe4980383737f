"""The counter app's answer a clerk acts on (issue 16): not accepted until the chip verifies, the
same card again said plainly, no chip, locked only when the chip says so, the printed face not
compared named field by field, and the trust beyond production in a banner."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from gui_helpers import SETTLED, source_of, type_code
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gui.card_controller import CardState
from gui.main_window import MainWindow
from gui.settings import GuiSettings
from verifier.counter.actions import Action
from verifier.documents.my_number.check_ids import CheckId
from verifier.engine.verdict import Reason, Verdict
from verifier.ocr.fields import PrintedFace

pytestmark = pytest.mark.gui
NOT_ACCEPTED_JA = "ICチップで確認できるまで、本人確認書類として受け付けないでください"
REPO = Path(__file__).resolve().parents[2]


def place(qtbot: QtBot, window: MainWindow, profile: str, *, quirks: str = "",
          persona: int = 0) -> None:
    generation = window.controller.generation
    source_of(window).insert(profile, persona, quirks=quirks)
    qtbot.waitUntil(lambda: window.controller.generation > generation
                    and window.controller.state in SETTLED, timeout=10_000)


def confirm_typed(qtbot: QtBot, window: MainWindow) -> None:
    card = source_of(window).card
    assert card is not None
    type_code(qtbot, window, card.persona)
    qtbot.keyClick(window.code_entry.security, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.state is CardState.DONE, timeout=10_000)


def test_a_refused_challenge_is_not_accepted_and_the_second_time_says_so(
        qtbot: QtBot, window: MainWindow) -> None:
    for placement in (1, 2):
        place(qtbot, window, "cloned", quirks="challenge=6982")
        confirm_typed(qtbot, window)
        view = window.result_view
        assert view.banner.verdict is Verdict.NOT_VERIFIED
        steps = view.next_steps.text()
        assert steps.startswith(NOT_ACCEPTED_JA)
        assert "読み取りに失敗" not in view.reason.text()
        assert "鍵を持っていることを証明しませんでした" in view.reason.text()
        checked = window.controller.checked
        assert checked is not None and checked.action is Action.NOT_ACCEPTED
        assert checked.attempts_in_a_row == placement
        assert ("続けて2回確認できませんでした" in steps) == (placement == 2)


@pytest.mark.parametrize(("answer", "locked"), [("6984", True), ("63C0", True),
                                                 ("6A82", False), ("6983", False),
                                                 ("9000", False)])
def test_locked_only_when_the_chip_says_so(qtbot: QtBot, window: MainWindow, answer: str,
                                           locked: bool) -> None:
    place(qtbot, window, "genuine", quirks=f"tries={answer}")
    assert window.controller.state is CardState.DONE
    said = window.tries.text() + window.result_view.reason.text()
    assert ("ロック" in said) is locked
    assert "他のソフト" not in said and "市区町村" not in window.tries.text()
    assert window.result_view.next_steps.text().startswith(NOT_ACCEPTED_JA)


def test_confirming_with_no_chip_answering_says_so(qtbot: QtBot, window: MainWindow) -> None:
    assert window.controller.state is CardState.NO_CARD
    assert not window.confirm_button.isEnabled()  # not at once: a card takes a moment
    window.controller.no_chip_timer.setInterval(50)
    window.controller.no_chip_timer.start()
    qtbot.waitUntil(window.confirm_button.isEnabled, timeout=2000)
    qtbot.keyClick(window.confirm_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.state is CardState.NO_CHIP, timeout=2000)
    view = window.result_view
    assert view.banner.verdict is Verdict.NOT_VERIFIED
    # every document this counter reads has a chip (the counter's words name all three)
    assert "特別永住者証明書には必ずICチップがあります" in view.reason.text() + \
        view.next_steps.text()
    checked = window.controller.checked
    assert checked is not None
    failing = checked.result.failing_check
    assert failing is not None and failing.reason is Reason.NO_CHIP_ANSWER
    # a card placed afterwards is read as any other
    place(qtbot, window, "genuine")
    assert window.controller.state is CardState.CARD_PRESENT


def test_an_unsure_era_is_named_for_the_clerks_eyes(qtbot: QtBot, window: MainWindow) -> None:
    place(qtbot, window, "genuine")
    card = source_of(window).card
    assert card is not None
    persona = card.persona
    # the picture read the birth date only through a look-alike era glyph
    window.keys.printed_face = PrintedFace(
        birth=persona.birth, expiry=persona.expiry, security_code=persona.security_code,
        birth_confidence=0.95, expiry_confidence=0.99, security_code_confidence=0.99,
        fallbacks=frozenset({"birth.era_misread"}))
    confirm_typed(qtbot, window)
    view = window.result_view
    assert view.banner.verdict is Verdict.GENUINE
    assert view.cautions.isVisibleTo(window)
    assert "生年月日" in view.cautions.text() and "目で見比べて" in view.cautions.text()
    check = window.controller.result.check(CheckId.PRINTED_FACE)  # type: ignore[union-attr]
    assert check is not None and "目で見比べて" in check.detail.ja


def test_a_typed_era_that_differs_is_a_warning_not_an_accusation(
        qtbot: QtBot, window: MainWindow) -> None:
    place(qtbot, window, "genuine", persona=4)  # 令和3年6月30日
    card = source_of(window).card
    assert card is not None
    # the clerk left the era at 平成: the digits (and so code B) are the same
    heisei = replace(card.persona, birth=date(1991, 6, 30))
    type_code(qtbot, window, heisei)
    qtbot.keyClick(window.code_entry.security, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.state is CardState.DONE, timeout=10_000)
    view = window.result_view
    assert view.banner.verdict is Verdict.GENUINE
    assert "入力した元号がICチップの生年月日と一致しません" in view.cautions.text()
    checked = window.controller.checked
    assert checked is not None
    assert [c.id for c in checked.cautions] == ["typed_era_differs"]


def test_extra_trust_is_always_in_a_banner(qtbot: QtBot, make_window: object) -> None:
    window = make_window(GuiSettings())  # type: ignore[operator]
    # the simulated card source trusts the simulated CA: said
    assert window.trust_banner.isVisibleTo(window)
    assert "simulated" in window.trust_banner.text()
    window.apply_settings(window.settings.with_changes(
        trust_files=(str(REPO / "verifier" / "data" / "card-ca-keys.json"),)))
    assert "file:card-ca-keys.json" in window.trust_banner.text()

"""The checks table model: Qt's model tester, both languages, and emptying."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from gui.checks_model import CHECK_ID_ROLE, ChecksModel
from gui.i18n import Language
from verifier.documents.my_number.check_ids import REQUIRED, CheckId
from verifier.engine.verdict import Check, Detail, Outcome, Reason, Result, Verdict, decide

pytestmark = pytest.mark.gui


def result() -> Result:
    checks = (Check(CheckId.CHIP_PRESENT, Outcome.PASSED, Detail("応答", "answered")),
              Check(CheckId.AP_CARD_FACE, Outcome.FAILED, Detail("APなし", "no AP"),
                    Reason.NO_CARD_FACE_AP),
              Check(CheckId.CERTIFICATE_TRUSTED, Outcome.NOT_RUN, Detail("未実施", "not run")))
    return Result(verdict=decide(checks, REQUIRED), checks=checks, required=REQUIRED)


def test_model_contract_and_content(qtbot: QtBot) -> None:
    model = ChecksModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    shown = result()
    assert shown.verdict is Verdict.COUNTERFEIT_SUSPECTED
    model.set_result(shown)
    assert model.rowCount() == 3 and model.columnCount() == 3
    assert model.data(model.index(1, 0)) == "マイナンバーカードとしての応答"
    assert model.data(model.index(1, 1)) == "✖ 問題あり"
    assert model.data(model.index(1, 2)) == "APなし"
    assert model.data(model.index(1, 0), CHECK_ID_ROLE) is CheckId.AP_CARD_FACE
    assert model.data(model.index(0, 1)) == "✔ 問題なし"
    model.set_language(Language.EN)
    assert model.data(model.index(1, 1)) == "✖ failed"
    assert model.data(model.index(1, 2)) == "no AP"
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Detail"
    model.set_result(None)
    assert model.rowCount() == 0 and model.checks == ()

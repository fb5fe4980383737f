"""Code B entry: the fields build exactly the code the card expects, and say what is wrong."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from gui.code_entry import CodeEntry
from gui.i18n import Language
from testcards.personas import PERSONAS, Persona

pytestmark = pytest.mark.gui


@pytest.fixture
def entry(qtbot: QtBot) -> CodeEntry:
    widget = CodeEntry()
    qtbot.addWidget(widget)
    return widget


def fill(qtbot: QtBot, entry: CodeEntry, era: str, year: str, month: str, day: str,
         expiry: str, security: str) -> None:
    entry.era.setCurrentIndex(entry.era.findData(era))
    for field, value in zip(entry.fields(), (year, month, day, expiry, security), strict=True):
        field.clear()
        qtbot.keyClicks(field, value)


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.key)
def test_every_persona_gives_its_code(qtbot: QtBot, entry: CodeEntry, persona: Persona) -> None:
    from verifier.documents.my_number.code_b import to_era

    era, year = ("", persona.birth.year) if persona.foreign else to_era(persona.birth)
    fill(qtbot, entry, era, str(year), str(persona.birth.month), str(persona.birth.day),
         str(persona.expiry.year), persona.security_code)
    assert entry.code().code == persona.code_b


def test_spec_example(qtbot: QtBot, entry: CodeEntry) -> None:
    fill(qtbot, entry, "昭和", "55", "2", "17", "2035", "2285")
    given = entry.code()
    assert given is not None
    code = given.code
    assert code.digits == "55021720352285"
    # the message never shows the code, and neither does the code's repr
    assert "55021720352285" not in entry.message.text()
    assert "55021720352285" not in repr(code)


def test_gregorian_means_printed_gregorian(qtbot: QtBot, entry: CodeEntry) -> None:
    fill(qtbot, entry, "", "1975", "8", "9", "2032", "6614")
    given = entry.code()
    assert given is not None and given.code.birth_yymmdd == "750809"
    assert entry.gregorian


def test_missing_field_named(qtbot: QtBot, entry: CodeEntry) -> None:
    fill(qtbot, entry, "昭和", "55", "2", "17", "2035", "228")
    assert entry.code() is None
    assert "セキュリティコード" in entry.message.text()


def test_date_outside_era_rejected(qtbot: QtBot, entry: CodeEntry) -> None:
    fill(qtbot, entry, "平成", "31", "5", "1", "2035", "2285")  # 令和 had begun
    assert entry.code() is None
    assert "入力エラー" in entry.message.text()
    assert "期間外" in entry.message.text()


def test_impossible_gregorian_date_rejected(qtbot: QtBot, entry: CodeEntry) -> None:
    fill(qtbot, entry, "", "1981", "2", "29", "2035", "2285")
    assert entry.code() is None
    assert "存在しない日付" in entry.message.text()


def test_expiry_year_out_of_range(qtbot: QtBot, entry: CodeEntry) -> None:
    fill(qtbot, entry, "昭和", "55", "2", "17", "1999", "2285")
    assert entry.code() is None
    assert "有効期限" in entry.message.text()


def test_only_digits_accepted(qtbot: QtBot, entry: CodeEntry) -> None:
    qtbot.keyClicks(entry.security, "12a4")
    assert entry.security.text() == "124"


def test_era_year_is_two_digits_gregorian_four(qtbot: QtBot, entry: CodeEntry) -> None:
    entry.era.setCurrentIndex(entry.era.findData("昭和"))
    qtbot.keyClicks(entry.year, "1980")
    assert entry.year.text() == "19"
    entry.year.clear()
    entry.era.setCurrentIndex(entry.era.findData(""))
    qtbot.keyClicks(entry.year, "1980")
    assert entry.year.text() == "1980"


def test_clear_empties_every_field(qtbot: QtBot, entry: CodeEntry) -> None:
    fill(qtbot, entry, "平成", "1", "1", "8", "2031", "7341")
    assert entry.code() is not None
    entry.clear()
    assert all(field.text() == "" for field in entry.fields())
    assert entry.code() is None


def test_enter_submits(qtbot: QtBot, entry: CodeEntry) -> None:
    from PySide6.QtCore import Qt

    with qtbot.waitSignal(entry.submitted, timeout=1000):
        qtbot.keyClick(entry.security, Qt.Key.Key_Return)


def test_english_messages(qtbot: QtBot, entry: CodeEntry) -> None:
    entry.retranslate(Language.EN)
    fill(qtbot, entry, "昭和", "55", "2", "17", "2035", "")
    assert entry.message.text() == "Enter the security code (4 digits)"
    assert entry.era.itemText(entry.era.findData("")) == "Gregorian"

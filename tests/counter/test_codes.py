"""照合番号B on every path through the counter's one set of rules: the 14 digits, the printed
fields, a line on standard input, the counter app's era fields and a picture's fields are all
refused alike when no card can print them, before anything reaches a card."""

from __future__ import annotations

from datetime import date

import pytest

from verifier.counter.codes import (
    GREGORIAN,
    CodeFields,
    EraEntry,
    IncompleteCodeError,
    code_from_entry,
    code_from_fields,
    code_from_line,
    code_from_picture,
    with_picture,
)
from verifier.documents.my_number.code_b import CodeBFieldError, PrintedDate
from verifier.ocr.fields import PrintedFace

TODAY = date(2026, 11, 29)
SPEC = "55021720352285"  # born 昭和55年2月17日, expiring 2035, security code 2285


def entry(era: str = "昭和", year: str = "55", month: str = "2", day: str = "17",
          expiry: str = "2035", security: str = "2285") -> EraEntry:
    return EraEntry(era=era, year=year, month=month, day=day, expiry_year=expiry,
                    security_code=security)


def face(**changes: object) -> PrintedFace:
    values: dict[str, object] = dict(
        birth=date(1980, 2, 17), expiry=date(2035, 2, 17), security_code="2285",
        birth_confidence=0.99, expiry_confidence=0.99, security_code_confidence=0.99)
    values.update(changes)
    return PrintedFace(**values)  # type: ignore[arg-type]


def test_every_path_gives_the_same_code() -> None:
    codes = [
        code_from_fields(CodeFields(code_b=SPEC), today=TODAY),
        code_from_fields(CodeFields(birth="S55.02.17", expiry_year="2035",
                                    security_code="2285"), today=TODAY),
        code_from_line("S55.02.17 2035 2285", today=TODAY),
        code_from_line("５５０２１７ ２０３５ ２２８５", today=TODAY),
        code_from_entry(entry(), today=TODAY),
        code_from_entry(entry(year="５５", security="２２８５"), today=TODAY),
        code_from_picture(face(), today=TODAY),
    ]
    assert {code.code.digits for code in codes if code is not None} == {SPEC}
    assert None not in codes


@pytest.mark.parametrize("make", [
    lambda: code_from_fields(CodeFields(code_b="55021720992285"), today=TODAY),
    lambda: code_from_line("55021720992285", today=TODAY),
    lambda: code_from_line("550217 2099 2285", today=TODAY),
    lambda: code_from_fields(CodeFields(birth="2099-01-01", expiry_year="2035",
                                        security_code="2285"), today=TODAY),
    lambda: code_from_entry(entry(expiry="2099"), today=TODAY),
    lambda: code_from_entry(entry(era="令和", year="9"), today=TODAY),  # born in 2027
    lambda: code_from_picture(face(expiry=date(2099, 2, 17)), today=TODAY),
], ids=["digits", "stdin-digits", "stdin-spaced", "fields", "entry-expiry", "entry-birth",
        "picture"])
def test_what_no_card_can_print_is_refused_on_every_path(make: object) -> None:
    with pytest.raises(CodeBFieldError):
        make()  # type: ignore[operator]


def test_the_counter_app_entry_says_which_field_to_fill_first() -> None:
    with pytest.raises(IncompleteCodeError) as caught:
        code_from_entry(entry(month=""), today=TODAY)
    assert caught.value.field == "month"
    with pytest.raises(IncompleteCodeError) as caught:
        code_from_entry(entry(era=GREGORIAN, year="198"), today=TODAY)
    assert caught.value.field == "year"


def test_gannen_and_the_gregorian_face() -> None:
    heisei = code_from_entry(entry(era="平成", year="元", month="1", day="8", expiry="2031",
                                   security="7341"), today=TODAY)
    assert heisei.code.birth_yymmdd == "010108"
    foreign = code_from_entry(entry(era=GREGORIAN, year="1975", month="8", day="9",
                                    expiry="2032", security="6614"), today=TODAY)
    assert foreign.code.birth_yymmdd == "750809"
    assert foreign.birth == PrintedDate(date(1975, 8, 9), gregorian=True)


def test_the_picture_stays_and_the_fields_the_clerk_changed_are_named() -> None:
    typed = code_from_entry(entry(), today=TODAY)
    same = with_picture(typed, face())
    assert same.face is not None and same.corrected == frozenset()
    assert with_picture(code_from_entry(entry(security="2286"), today=TODAY),
                        face()).corrected == {"security_code"}
    assert with_picture(typed, face(security_code=None)).corrected == {"security_code"}
    # another era for the same digits: the birth date and its era were changed
    heisei = code_from_entry(entry(era="平成", year="2"), today=TODAY)
    assert with_picture(heisei, face(birth=date(2020, 2, 17))).corrected == {"birth",
                                                                           "birth_era"}
    assert with_picture(code_from_entry(entry(expiry="2034"), today=TODAY),
                        face()).corrected == {"expiry"}


def test_the_code_input_never_shows_its_digits() -> None:
    code = code_from_line(SPEC, today=TODAY)
    assert SPEC not in repr(code) and SPEC not in str(code) and "1980" not in repr(code)

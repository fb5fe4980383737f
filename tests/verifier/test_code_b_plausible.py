"""照合番号B input a clerk gets wrong or writes unusually (issue 11, item 3): era ends shown
inclusive, the days written in two eras, 元 and full-width digits, and codes no card can print
refused before any try is spent."""

from __future__ import annotations

from datetime import date

import pytest

from verifier.documents.my_number.code_b import (
    CodeBFieldError,
    check_plausible,
    code_b_from_text,
    from_era,
    parse_birth_date,
)

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(("era", "year", "month", "day", "expected"), [
    ("大正", 15, 12, 25, date(1926, 12, 25)),  # the day 昭和 began, written in both eras
    ("昭和", 1, 12, 25, date(1926, 12, 25)),
    ("明治", 45, 7, 30, date(1912, 7, 30)),
    ("大正", 1, 7, 30, date(1912, 7, 30)),
    ("昭和", 64, 1, 7, date(1989, 1, 7)),
    ("平成", 31, 4, 30, date(2019, 4, 30)),
])
def test_last_days_of_an_era_are_accepted(era: str, year: int, month: int, day: int,
                                          expected: date) -> None:
    assert from_era(era, year, month, day) == expected


def test_both_ways_of_writing_1926_12_25_give_the_official_era_code() -> None:
    taisho = code_b_from_text("大正15年12月25日", "2030", "1234")
    showa = code_b_from_text("昭和元年12月25日", "2030", "1234")
    assert taisho == showa and taisho.birth_yymmdd == "011225"


@pytest.mark.parametrize(("era", "year", "month", "day", "last_en", "last_ja"), [
    ("昭和", 64, 1, 8, "1989-01-07", "1989年1月7日"),
    ("平成", 31, 5, 1, "2019-04-30", "2019年4月30日"),
    ("大正", 15, 12, 26, "1926-12-25", "1926年12月25日"),
])
def test_era_range_messages_show_the_last_day(era: str, year: int, month: int, day: int,
                                              last_en: str, last_ja: str) -> None:
    with pytest.raises(CodeBFieldError) as caught:
        from_era(era, year, month, day)
    assert caught.value.message.endswith(f"– {last_en})")
    assert f"～{last_ja}）" in caught.value.message_ja
    assert "1989-01-08" not in caught.value.message or era != "昭和"


@pytest.mark.parametrize("text", ["平成元年1月8日", "平成元年１月８日", "Ｈ元．１．８", "H元.1.8",
                                  "平成１年１月８日"])
def test_gannen_and_full_width_digits(text: str) -> None:
    assert parse_birth_date(text).date == date(1989, 1, 8)


def test_a_birth_date_after_today_is_refused() -> None:
    with pytest.raises(CodeBFieldError) as caught:
        check_plausible(birth=date(2099, 1, 1), expiry_year=2035, today=TODAY)
    assert caught.value.field == "birth"
    check_plausible(birth=TODAY, expiry_year=2035, today=TODAY)


@pytest.mark.parametrize(("birth", "expiry"), [
    (date(1980, 2, 17), TODAY.year + 11),  # no card issued so far expires that late
    (None, 2099),
    (date(2020, 5, 1), 2019),  # expires before its holder was born
])
def test_an_implausible_expiry_year_is_refused(birth: date | None, expiry: int) -> None:
    with pytest.raises(CodeBFieldError) as caught:
        check_plausible(birth=birth, expiry_year=expiry, today=TODAY)
    assert caught.value.field == "expiry"


def test_expired_cards_stay_plausible() -> None:
    # An expired card is verified (INVALID_CARD), not refused at input.
    check_plausible(birth=date(1980, 2, 17), expiry_year=2016, today=TODAY)
    check_plausible(birth=None, expiry_year=TODAY.year + 10, today=TODAY)

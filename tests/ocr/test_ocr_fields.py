"""Printed fields from OCR text lines: every era, 元年, full-width digits, misread kana, missing
labels, competing 4-digit groups, garbage; the confidence rule; nothing printed with digits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from testcards.personas import PERSONAS
from testcards.printed_face import printed_birth, printed_expiry
from verifier.documents.my_number.code_b import CodeBFieldError
from verifier.ocr.fields import (
    DEFAULT_THRESHOLD,
    FIELD_NAMES,
    Box,
    OcrLine,
    PrintedFace,
    read_fields,
)

ROW = 40.0  # one printed row further down the card, in pixels


def box(x: float, y: float, *, width: float, height: float = 24.0) -> Box:
    return ((x, y), (x + width, y), (x + width, y + height), (x, y + height))


def line(text: str, *, row: float = 0, x: float = 10, confidence: float = 0.99,
         chars: Sequence[float] | None = None) -> OcrLine:
    return OcrLine(text=text, confidence=confidence,
                   box=box(x, row * ROW, width=22.0 * max(len(text), 1)),
                   char_confidences=tuple(chars) if chars is not None else ())


def face(*texts: str) -> PrintedFace:
    """Each text on its own row, in the order given."""
    return read_fields([line(text, row=i) for i, text in enumerate(texts)])


SHOWA = ("見本太郎", "昭和55年2月17日生", "東京都千代田区見本町一丁目2番3号", "2285",
         "2035年2月17日まで有効")


# --- every era and form ----------------------------------------------------------------------
@pytest.mark.parametrize(("printed", "born", "expiry", "code", "digits"), [
    ("昭和55年 2月17日生", date(1980, 2, 17), "2035年 2月17日まで有効", "2285",
     "55021720352285"),
    ("平成元年 1月 8日生", date(1989, 1, 8), "2031年 1月 8日まで有効", "7341", "01010820317341"),
    ("昭和64年 1月 7日生", date(1989, 1, 7), "2033年 1月 7日まで有効", "0458", "64010720330458"),
    ("平成 7年12月31日生", date(1995, 12, 31), "2034年12月31日まで有効", "9120",
     "07123120349120"),
    ("令和元年 5月 1日生", date(2019, 5, 1), "2029年 5月 1日まで有効", "1111", "01050120291111"),
    ("令和 3年 6月30日生", date(2021, 6, 30), "2031年 6月30日まで有効", "3307", "03063020313307"),
    ("大正15年 2月 1日生", date(1926, 2, 1), "2030年 2月 1日まで有効", "5555", "15020120305555"),
])
def test_every_era(printed: str, born: date, expiry: str, code: str, digits: str) -> None:
    read = face("氏名", printed, expiry, code)
    assert read.birth == born
    assert not read.birth_gregorian
    assert read.security_code == code
    assert read.code_b().digits == digits
    assert read.usable_unattended()


def test_gregorian_birth_of_a_foreign_resident() -> None:
    read = face("SAMPLE JOHN DOE", "1975年 8月 9日生", "2032年 8月 9日まで有効", "6614")
    assert read.birth == date(1975, 8, 9)
    assert read.birth_gregorian
    assert read.code_b().digits == "75080920326614"
    assert read.usable_unattended()


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.key)
def test_the_rendered_wording_gives_each_personas_code(persona: object) -> None:
    from testcards.personas import Persona

    assert isinstance(persona, Persona)
    read = face(persona.name, printed_birth(persona), printed_expiry(persona.expiry),
                persona.security_code)
    assert read.code_b() == persona.code_b


@pytest.mark.parametrize("printed", [
    "昭和５５年　２月１７日生",  # full-width digits and ideographic space
    "昭和55年2月17日生",
    "昭 和 5 5 年 2 月 1 7 日 生",
    "㍼55年2月17日生",
])
def test_spacing_and_full_width(printed: str) -> None:
    read = face(printed, "２０３５年　２月１７日まで有効", "２２８５")
    assert read.code_b().digits == "55021720352285"
    assert read.usable_unattended()


def test_gannen_with_full_width_digits() -> None:
    read = face("平成元年　１月　８日生", "2031年 1月 8日まで有効", "7341")
    assert read.birth == date(1989, 1, 8)
    assert read.code_b().digits.startswith("010108")


def test_a_date_split_into_two_lines_on_one_row_is_joined() -> None:
    lines = [line("平成元年", row=1, x=200), line("1月 8日生", row=1, x=300),
             line("2031年 1月 8日まで有効", row=3), line("7341", row=2, x=600)]
    read = read_fields(lines)
    assert read.birth == date(1989, 1, 8)
    assert read.code_b().digits == "01010820317341"


def test_lines_on_different_rows_are_not_joined() -> None:
    lines = [line("平成元年", row=1, x=200), line("1月 8日生", row=4, x=300),
             line("2031年 1月 8日まで有効", row=3), line("7341", row=2, x=600)]
    assert read_fields(lines).birth is None


def test_a_rotated_card_still_joins_its_rows() -> None:
    # Two pieces of one row on a card turned by about 10 degrees.
    tilt = 0.176
    first = OcrLine("平成元年", 0.99, ((100, 100), (180, 100 + 80 * tilt),
                                     (180, 124 + 80 * tilt), (100, 124)))
    second = OcrLine("1月 8日生", 0.99, ((200, 100 + 100 * tilt), (320, 100 + 220 * tilt),
                                       (320, 124 + 220 * tilt), (200, 124 + 100 * tilt)))
    read = read_fields([first, second, line("2031年1月8日まで有効", row=8), line("7341", row=6)])
    assert read.birth == date(1989, 1, 8)


# --- misreadings -----------------------------------------------------------------------------
@pytest.mark.parametrize("expiry", [
    "2035年2月17日末飞有效",  # what PP-OCRv4's Chinese model makes of まで有効
    "2035年2月17日飞有",
    "2035年2月17日至有",
    "2035年2月17日支7有效",
    "2035年 2月17日迄有効",
])
def test_misread_kana_after_the_expiry(expiry: str) -> None:
    read = face("昭和55年2月17日生", expiry, "2285")
    assert read.expiry == date(2035, 2, 17)
    assert "expiry.suffix_misread" in read.fallbacks
    assert read.usable_unattended()


@pytest.mark.parametrize(("era_read", "era"), [("今和", "令和"), ("合和", "令和"), ("照和", "昭和"),
                                               ("平戍", "平成")])
def test_misread_era_names(era_read: str, era: str) -> None:
    year = "3" if era == "令和" else "5"
    read = face(f"{era_read}{year}年6月30日生", "2031年6月30日まで有効", "3307")
    assert read.birth is not None
    assert "birth.era_misread" in read.fallbacks
    # The code takes the printed era year: right whichever era was read.
    assert read.code_b().digits == f"0{year}063020313307"


def test_misread_birth_suffix_on_an_era_date() -> None:
    read = face("昭和55年2月17日主", "2035年2月17日まで有効", "2285")
    assert read.birth == date(1980, 2, 17)
    assert "birth.suffix_misread" in read.fallbacks


def test_gregorian_dates_without_their_suffixes_are_guessed_with_low_confidence() -> None:
    read = face("1975年8月9日", "2032年8月9日", "6614")
    assert read.birth == date(1975, 8, 9)
    assert read.expiry == date(2032, 8, 9)
    assert {"birth.kind_guessed", "expiry.kind_guessed"} <= read.fallbacks
    assert not read.usable_unattended()


def test_letters_read_for_digits_are_never_used_unattended() -> None:
    read = face("昭和55年2月17日生", "2035年2月17日まで有効", "22B5")
    assert read.security_code == "2285"
    assert "security_code.digit_lookalike" in read.fallbacks
    assert not read.usable_unattended()
    assert read.low_confidence() == ("security_code",)


def test_a_date_the_era_never_had_is_not_a_birth_date() -> None:
    assert face("平成32年1月1日生", "2035年1月1日まで有効", "2285").birth is None
    assert face("昭和55年2月30日生", "2035年2月17日まで有効", "2285").birth is None


def test_an_expiry_outside_the_card_years_is_dropped() -> None:
    read = face("昭和55年2月17日生", "2135年2月17日まで有効", "2285")
    assert read.expiry is None
    assert not read.usable_unattended()


# --- the security code -----------------------------------------------------------------------
def test_years_and_dates_are_not_the_security_code() -> None:
    read = face("1975年8月9日生", "2032年8月9日まで有効", "住所 見本町2番3号 701号")
    assert read.security_code is None
    with pytest.raises(CodeBFieldError) as caught:
        read.code_b()
    assert caught.value.field == "security_code"


def test_without_a_label_the_lone_group_is_taken() -> None:
    read = face(*SHOWA)
    assert read.security_code == "2285"
    assert "security_code.no_label" in read.fallbacks
    assert read.usable_unattended()


def test_two_groups_without_a_label_are_ambiguous() -> None:
    read = face(*SHOWA, "1234")
    assert read.security_code in {"2285", "1234"}
    assert "security_code.ambiguous" in read.fallbacks
    assert not read.usable_unattended()


def test_the_group_by_the_label_wins_over_another_group() -> None:
    lines = [line("昭和55年2月17日生", row=1), line("2035年2月17日まで有効", row=5),
             line("1234", row=3, x=20), line("セキュリティコード", row=7, x=300),
             line("2285", row=7, x=520)]
    read = read_fields(lines)
    assert read.security_code == "2285"
    assert "security_code.ambiguous" not in read.fallbacks
    assert read.usable_unattended()


def test_a_label_on_the_same_line_as_the_code() -> None:
    read = face("昭和55年2月17日生", "2035年2月17日まで有効", "1234", "セキュリティコード 2285")
    assert read.security_code == "2285"


def test_a_code_inside_other_text_is_a_last_resort() -> None:
    read = face("昭和55年2月17日生", "2035年2月17日まで有効", "番号 2285 見本")
    assert read.security_code == "2285"
    assert "security_code.embedded" in read.fallbacks
    assert not read.usable_unattended()


# --- garbage ---------------------------------------------------------------------------------
@pytest.mark.parametrize("texts", [
    (), ("",), ("個人番号力一卜", "见本太郎"), ("年月日生", "まで有効"), ("12345678",),
    ("昭和年月日生",), ("2035年13月40日まで有効",), ("١٩٨٠年٢月١٧日生",),
])
def test_garbage_reads_nothing(texts: tuple[str, ...]) -> None:
    read = face(*texts)
    assert (read.birth, read.expiry, read.security_code) == (None, None, None)
    assert not read.usable_unattended(0.0)
    assert read.low_confidence() == FIELD_NAMES


@given(st.lists(st.tuples(st.text(max_size=30), st.floats(0, 1),
                          st.floats(-1e4, 1e4), st.floats(-1e4, 1e4)), max_size=12))
def test_any_lines_give_a_face_and_never_raise(raw: list[tuple[str, float, float, float]]) -> None:
    lines = [OcrLine(text, conf, box(x, y, width=abs(x) / 10)) for text, conf, x, y in raw]
    read = read_fields(lines)
    for name in FIELD_NAMES:
        assert 0.0 <= read.confidence(name) <= 1.0


# --- the confidence rule ---------------------------------------------------------------------
def test_confidence_is_the_least_sure_contributing_character() -> None:
    birth = "昭和55年2月17日生"
    # The era name does not count (see fields.py); the "7" of the day does.
    chars = [0.3, 0.3, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.8, 0.99, 0.2]
    lines = [line(birth, row=0, chars=chars), line("2035年2月17日まで有効", row=1),
             line("2285", row=2, chars=[0.99, 0.97, 0.99, 0.99])]
    read = read_fields(lines)
    assert read.birth_confidence == pytest.approx(0.8)
    assert read.security_code_confidence == pytest.approx(0.97 * 0.99)
    assert read.low_confidence(0.9) == ("birth",)
    assert not read.usable_unattended(0.9)
    assert read.usable_unattended(0.75)


def test_the_date_markers_do_not_count_but_the_birth_suffix_of_a_gregorian_date_does() -> None:
    # 1975年8月9日生 with 月 unsure: the numbers are what the code is made of.
    chars = [0.99, 0.99, 0.99, 0.99, 0.4, 0.99, 0.58, 0.99, 0.5, 0.99]
    lines = [line("1975年8月9日生", row=0, chars=chars), line("2032年8月9日まで有効", row=1),
             line("6614", row=2)]
    assert read_fields(lines).birth_confidence == pytest.approx(0.99)
    chars[-1] = 0.6  # but 生 is what tells a Gregorian birth date from the expiry
    lines[0] = line("1975年8月9日生", row=0, chars=chars)
    assert read_fields(lines).birth_confidence == pytest.approx(0.6)


def test_without_character_scores_the_line_score_counts() -> None:
    lines = [line("昭和55年2月17日生", row=0, confidence=0.6), line("2035年2月17日まで有効", row=1),
             line("2285", row=2)]
    assert read_fields(lines).birth_confidence == pytest.approx(0.6)


def test_a_national_card_ending_on_another_day_than_the_birthday_is_doubted() -> None:
    read = face("昭和55年2月17日生", "2035年2月18日まで有効", "2285")
    assert "dates.not_birthday" in read.fallbacks
    assert not read.usable_unattended()


def test_a_foreign_residents_card_may_end_on_any_day() -> None:
    read = face("1975年8月9日生", "2032年3月31日まで有効", "6614")
    assert "dates.not_birthday" not in read.fallbacks
    assert read.usable_unattended()


def test_a_birth_after_the_expiry_is_doubted() -> None:
    read = face("1995年8月9日生", "2032年8月9日まで有効", "6614", "2040年8月9日まで有効")
    assert not read.usable_unattended()


def test_a_code_whose_digits_change_when_read_again_is_doubted() -> None:
    # A thumb over the last digit: read 0450 once with confidence, 045 from a wider crop.
    code = OcrLine("0450", 0.98, box(600, 80, width=80), rereads=("0450", "045g", "045"))
    read = read_fields([line("昭和64年1月7日生", row=0), line("2033年1月7日まで有効", row=4), code])
    assert read.security_code == "0450"
    assert "security_code.unstable" in read.fallbacks
    assert not read.usable_unattended()


def test_a_date_whose_digits_change_when_read_again_is_doubted() -> None:
    birth = OcrLine("1975年8月9日生", 0.99, box(10, 0, width=300), rereads=("1976年8月9日生",))
    read = read_fields([birth, line("2032年8月9日まで有効", row=4), line("6614", row=2)])
    assert "dates.unstable" in read.fallbacks
    assert read.low_confidence() == ("birth",)


def test_rereads_that_agree_or_add_a_neighbours_digit_keep_the_confidence() -> None:
    code = OcrLine("2285", 0.99, box(600, 80, width=80), rereads=("2285", "22851", "22B5"))
    expiry = OcrLine("2035年2月17日末飞有效", 0.95, box(10, 160, width=300),
                     rereads=("2035年2月17日飞有", "2035年2月17日まで有効"))
    read = read_fields([line("昭和55年2月17日生", row=0), expiry, code])
    assert read.code_b().digits == "55021720352285"
    assert read.usable_unattended()


def test_default_threshold_is_the_tuned_one() -> None:
    assert 0.5 < DEFAULT_THRESHOLD < 1.0
    read = face(*SHOWA)
    assert read.usable_unattended() == read.usable_unattended(DEFAULT_THRESHOLD)


def test_a_missing_field_is_never_usable() -> None:
    read = face("昭和55年2月17日生", "2285")
    assert read.expiry is None
    assert read.expiry_confidence == 0.0
    assert not read.usable_unattended(0.0)
    with pytest.raises(CodeBFieldError):
        read.code_b()


# --- privacy ---------------------------------------------------------------------------------
def test_printing_a_face_shows_no_digit() -> None:
    read = face(*SHOWA)
    assert read.complete
    for shown in (repr(read), str(read), f"{read}", f"{read!r}", format(read)):
        assert not any(ch.isdigit() for ch in shown), shown
    assert repr(read) == "PrintedFace(birth=read, expiry=read, security_code=read)"
    assert all(not any(ch.isdigit() for ch in rule) for rule in read.fallbacks)


def test_printing_an_ocr_line_shows_no_text() -> None:
    shown = repr(line("昭和55年2月17日生"))
    assert "昭和" not in shown
    assert not any(ch.isdigit() for ch in shown.replace("<11 chars>", ""))

"""The My Number Card rules on layouts the project's render never draws (issue 18), on OCR lines
made by hand from what the recogniser was seen to return: the security code's label split over
two lines and read as noise, a date next to the code, a year split from its date, glued and
spaced digits, half-read era names, labels instead of suffixes, re-readings that confirm or
contradict the code."""

from __future__ import annotations

from datetime import date

import pytest

from verifier.ocr.fields import OcrLine, PrintedFace, read_fields
from verifier.ocr.text import Box

ROW = 40.0


def box(x: float, y: float, *, width: float, height: float = 24.0) -> Box:
    return ((x, y), (x + width, y), (x + width, y + height), (x, y + height))


def line(text: str, *, row: float, x: float = 10, confidence: float = 0.99,
         rereads: tuple[str, ...] = (), reread_scores: tuple[tuple[float, ...], ...] = (),
         chars: tuple[float, ...] = ()) -> OcrLine:
    return OcrLine(text=text, confidence=confidence,
                   box=box(x, row * ROW, width=22.0 * max(len(text), 1)),
                   char_confidences=chars, rereads=rereads, reread_confidences=reread_scores)


BIRTH = line("昭和55年2月17日生", row=1)
EXPIRY = line("2035年2月17日まで有効", row=6)


def code_of(*lines: OcrLine) -> PrintedFace:
    return read_fields([BIRTH, EXPIRY, *lines])


# --- the security code beside label noise ----------------------------------------------------
@pytest.mark.parametrize("text", [
    "# 2285", "- 2285", "U 2285", "七 2285", "≠U 22 8 5", "1 2285", "t$±U71 2285",
])
def test_the_code_beside_what_the_recogniser_makes_of_its_label(text: str) -> None:
    read = code_of(line(text, row=4, x=600))
    assert read.security_code == "2285"
    assert "security_code.embedded" not in read.fallbacks
    assert read.usable_unattended()


def test_the_label_split_over_two_lines_left_of_the_code() -> None:
    # セキュリティ above コード, both left of the digits: read as two short noise lines, the
    # second glued to the code.
    read = code_of(line("七丰ュリ子イ", row=3.6, x=520), line("U-F 2285", row=4.2, x=520))
    assert read.security_code == "2285"
    assert read.usable_unattended()


def test_the_label_read_in_two_halves_counts_as_a_label() -> None:
    read = code_of(line("セキュリティ", row=3.6, x=500), line("コード", row=4.2, x=500),
                   line("2285", row=3.9, x=650), line("1234", row=8, x=20))
    assert read.security_code == "2285"
    assert "security_code.ambiguous" not in read.fallbacks


def test_a_code_printed_on_the_expiry_line() -> None:
    expiry = line("2035年2月17日まで有効 2285", row=6)
    read = read_fields([BIRTH, expiry])
    assert read.expiry == date(2035, 2, 17)
    assert read.security_code == "2285"


def test_a_year_split_from_its_date_is_not_the_code() -> None:
    # The recogniser returned the expiry's year as a box of its own, right before the rest.
    year = OcrLine("2035", 0.99, box(10, 6 * ROW, width=80))
    rest = OcrLine("年2月17日まで有効", 0.99, box(95, 6 * ROW, width=200))
    read = read_fields([BIRTH, year, rest, line("2285", row=4, x=600)])
    assert read.security_code == "2285"
    assert "security_code.ambiguous" not in read.fallbacks
    assert read.expiry == date(2035, 2, 17)


@pytest.mark.parametrize("address", ["大字見本1234番地5", "見本町1203号", "見本町3-1234", "1234番"])
def test_digits_of_an_address_are_never_the_code(address: str) -> None:
    read = code_of(line(address, row=3))
    assert read.security_code is None


def test_an_address_number_beside_the_real_code_changes_nothing() -> None:
    read = code_of(line("東京都見本市見本町1234番地", row=3), line("2285", row=4, x=600))
    assert read.security_code == "2285"
    assert read.usable_unattended()


def test_a_five_digit_run_is_no_code() -> None:
    assert code_of(line("七U元12285", row=4, x=600)).security_code is None


# --- re-readings ------------------------------------------------------------------------------
def test_the_surest_of_agreeing_readings_counts() -> None:
    confirmed = code_of(line("2285", row=4, x=600, rereads=(" 2285 ", "2285"),
                             reread_scores=((0.3,) * 6, (0.5,) * 4)))
    # Every reading shows 2285; the main one is sure (0.99): sure, whatever the crops scored.
    assert confirmed.security_code_confidence == pytest.approx(0.99 * 0.99)
    assert confirmed.usable_unattended()
    unsure = code_of(line("2285", row=4, x=600, confidence=0.6, rereads=("2285", "2285"),
                          reread_scores=((0.7,) * 4, (0.5,) * 4)))
    assert unsure.security_code_confidence == pytest.approx(0.7 * 0.99)
    assert not unsure.usable_unattended()


def test_a_code_only_one_reading_sets_apart_costs_a_little() -> None:
    # The main reading glued noise on (five digits); one crop read the four apart.
    read = code_of(line("12285", row=4, x=600, rereads=("1 2285", "U12285"),
                        reread_scores=((0.99,) * 6, (0.99,) * 6)))
    assert read.security_code == "2285"
    assert read.security_code_confidence == pytest.approx(0.99 * 0.95 * 0.98)


def test_a_reading_with_another_digit_doubts_the_code() -> None:
    read = code_of(line("0450", row=4, x=600, rereads=("0450", "0458", "045")))
    assert "security_code.unstable" in read.fallbacks
    assert not read.usable_unattended()


def test_a_clean_reread_gives_the_code_when_the_main_reading_glued_noise_on() -> None:
    # The main reading made one run of the noise and the code; two crops read it apart.
    read = code_of(line("1U16144", row=4, x=600, rereads=("t#a1 6144 ", " 6144 ", "6144")))
    assert read.security_code == "6144"


# --- dates by label, eras half read ----------------------------------------------------------
def test_a_gregorian_birth_after_its_label_without_the_birth_suffix() -> None:
    read = read_fields([line("生年月日 1975年8月9日", row=1),
                        line("有効期限 2032年08月09日", row=5), line("6614", row=3, x=600)])
    assert read.birth == date(1975, 8, 9)
    assert read.birth_gregorian
    assert read.expiry == date(2032, 8, 9)
    assert read.usable_unattended()
    assert "birth.kind_guessed" not in read.fallbacks


def test_the_expiry_label_on_a_line_of_its_own_on_the_same_row() -> None:
    read = read_fields([BIRTH, line("有效期限", row=6), line("2035年02月17日", row=6, x=140),
                        line("2285", row=4, x=600)])
    assert read.expiry == date(2035, 2, 17)
    assert read.usable_unattended()


def test_after_an_era_birth_the_one_gregorian_date_is_the_expiry() -> None:
    read = read_fields([BIRTH, line("2035年02月17日", row=6), line("2285", row=4, x=600)])
    assert read.expiry == date(2035, 2, 17)
    assert "expiry.kind_guessed" in read.fallbacks
    assert read.usable_unattended()


@pytest.mark.parametrize(("printed", "era"), [
    ("今和3年6月30日生", "令和"), ("合和3年6月30日生", "令和"), ("呼成3年6月30日生", "平成"),
    ("成3年6月30日生", "平成"), ("生年月成元年6月20日", "平成"),
])
def test_era_names_read_through_a_look_alike_or_in_half(printed: str, era: str) -> None:
    day = "6月20日" if "元年" in printed else "6月30日"
    read = read_fields([line(printed, row=1), line(f"2031年{day}まで有効", row=6),
                        line("3307", row=4, x=600)])
    assert read.birth_era == era
    assert read.birth_era_lookalike
    assert "birth.era_misread" in read.fallbacks
    assert read.code_b().digits[:2] == ("01" if "元年" in printed else "03")


def test_an_era_name_that_could_be_two_eras_is_a_guess() -> None:
    # 和 alone is 昭和 or 令和: 昭和3年 and 令和3年 have the same code B digits, not the same
    # birth date, so the birth is shown for the clerk to confirm.
    read = read_fields([line("和3年6月30日生", row=1), line("2031年6月30日まで有効", row=6),
                        line("3307", row=4, x=600)])
    assert read.code_b().digits == "03063020313307"
    assert "birth.era_guessed" in read.fallbacks
    assert read.birth_era_lookalike
    assert not read.usable_unattended()


def test_gannen() -> None:
    read = read_fields([line("令和元年5月1日生", row=1), line("2029年5月1日まで有効", row=6),
                        line("1111", row=4, x=600)])
    assert read.birth == date(2019, 5, 1)
    assert read.birth_era == "令和"
    assert not read.birth_era_lookalike
    assert read.code_b().digits == "01050120291111"


def test_a_colon_read_into_a_padded_date() -> None:
    read = code_of(line("2285", row=4, x=600))
    dim = read_fields([BIRTH, line("2035年：2月17日飞有", row=6), line("2285", row=4, x=600)])
    assert dim.expiry == read.expiry == date(2035, 2, 17)


def test_new_fields_have_defaults_and_no_value_in_repr() -> None:
    face = PrintedFace()
    assert face.birth_era is None and not face.birth_era_lookalike
    read = code_of(line("2285", row=4, x=600))
    assert read.birth_era == "昭和"
    assert "昭和" not in repr(read) and "2285" not in repr(read)


def test_a_date_digit_unsure_in_one_reading_and_sure_in_another() -> None:
    printed = "平成元年4月12日生"
    blurred = tuple(0.6 if ch == "1" else 0.99 for ch in printed)
    birth = line(printed, row=1, chars=blurred, rereads=(printed,),
                 reread_scores=((0.99,) * len(printed),))
    read = read_fields([birth, line("2029年4月12日まで有効", row=6), line("3352", row=4, x=600)])
    assert read.birth == date(1989, 4, 12)
    assert read.birth_confidence == pytest.approx(0.99)
    # Without the sure re-reading the birth date stays unsure.
    alone = read_fields([line(printed, row=1, chars=blurred),
                         line("2029年4月12日まで有効", row=6), line("3352", row=4, x=600)])
    assert alone.birth_confidence == pytest.approx(0.6)


def test_a_re_reading_with_another_date_does_not_make_it_surer() -> None:
    printed = "平成元年4月12日生"
    birth = line(printed, row=1, chars=tuple(0.6 for _ in printed),
                 rereads=("平成元年4月13日生",), reread_scores=((0.99,) * len(printed),))
    read = read_fields([birth, line("2029年4月12日まで有効", row=6), line("3352", row=4, x=600)])
    assert read.birth_confidence < 0.5
    assert "dates.unstable" in read.fallbacks


@pytest.mark.parametrize(("birth", "expiry", "born", "expires"), [
    ("昭和21年10月27口生", "2035年10月27口飞有效", date(1946, 10, 27), date(2035, 10, 27)),
    ("大正13年9月2U生", "有効期限 2032年09月02口", date(1924, 9, 2), date(2032, 9, 2)),
    ("分和元年9月13日生", "有効期限 2026年09H13日", date(2019, 9, 13), date(2026, 9, 13)),
    ("令利6年5月29日生", "2026年5月29日飞有效", date(2024, 5, 29), date(2026, 5, 29)),
    # 日 read as H after the day too (IPAex Mincho, held-out seeds 1500).
    ("生年月H大正 8年5月29H", "2029年 5月29H飞有效", date(1919, 5, 29), date(2029, 5, 29)),
])
def test_date_markers_and_era_names_as_read_in_a_mincho_typeface(
        birth: str, expiry: str, born: date, expires: date) -> None:
    # 日 read as 口, U or H, 月 as H, 令 as 分, 和 as 利 (IPAex Mincho).
    read = read_fields([line(birth, row=1), line(expiry, row=6), line("7687", row=4, x=600)])
    assert read.birth == born
    assert read.expiry == expires

"""照合番号B: era conversion, the forms a clerk types, validation, masking."""

from __future__ import annotations

import copy
import logging
import pickle
from datetime import date

import pytest

from verifier.card.values import parse_yyyymmdd
from verifier.documents.my_number.code_b import (
    CodeB,
    CodeBFieldError,
    PrintedDate,
    birth_matches,
    code_b_from_parts,
    code_b_from_text,
    expiry_matches,
    from_era,
    parse_birth_date,
    parse_code_b,
    to_era,
)
from verifier.errors import CodeBInputError, MalformedData, VerifierError

SPEC_EXAMPLE = "55021720352285"


# --- eras ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("day", "era"), [
    (date(1868, 1, 25), ("明治", 1)),
    (date(1912, 7, 29), ("明治", 45)),
    (date(1912, 7, 30), ("大正", 1)),
    (date(1926, 12, 24), ("大正", 15)),
    (date(1926, 12, 25), ("昭和", 1)),
    (date(1980, 2, 17), ("昭和", 55)),
    (date(1989, 1, 7), ("昭和", 64)),
    (date(1989, 1, 8), ("平成", 1)),
    (date(2019, 4, 30), ("平成", 31)),
    (date(2019, 5, 1), ("令和", 1)),
    (date(2025, 1, 1), ("令和", 7)),
])
def test_to_era_boundaries(day: date, era: tuple[str, int]) -> None:
    assert to_era(day) == era
    assert from_era(*era, day.month, day.day) == day


def test_before_meiji_has_no_era() -> None:
    with pytest.raises(CodeBInputError):
        to_era(date(1868, 1, 24))


@pytest.mark.parametrize("initial", ["S", "s", "昭和", "Ｓ", "㍼"])
def test_from_era_accepts_names_and_initials(initial: str) -> None:
    assert from_era(initial, 55, 2, 17) == date(1980, 2, 17)


@pytest.mark.parametrize(("era", "year", "month", "day"), [
    ("平成", 31, 5, 1),  # 令和 had begun
    ("昭和", 64, 1, 8),  # 平成 had begun
    ("平成", 1, 1, 7),  # still 昭和
    ("大正", 15, 12, 26),
    ("令和", 1, 4, 30),
    ("昭和", 0, 1, 1),
    ("昭和", 55, 2, 30),
    ("X", 1, 1, 1),
])
def test_from_era_refuses_dates_the_era_never_had(era: str, year: int, month: int,
                                                  day: int) -> None:
    with pytest.raises(CodeBInputError):
        from_era(era, year, month, day)


# --- printed birth dates ---------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("1980-02-17", PrintedDate(date(1980, 2, 17), gregorian=True)),
    ("1980/2/17", PrintedDate(date(1980, 2, 17), gregorian=True)),
    ("19800217", PrintedDate(date(1980, 2, 17), gregorian=True)),
    ("1980年2月17日", PrintedDate(date(1980, 2, 17), gregorian=True)),
    ("１９８０－０２－１７", PrintedDate(date(1980, 2, 17), gregorian=True)),
    ("昭和55年2月17日", PrintedDate(date(1980, 2, 17), gregorian=False)),
    ("昭和55年 2月17日生", PrintedDate(date(1980, 2, 17), gregorian=False)),
    ("昭和５５年２月１７日", PrintedDate(date(1980, 2, 17), gregorian=False)),
    ("㍼55年2月17日", PrintedDate(date(1980, 2, 17), gregorian=False)),
    ("平成元年1月8日", PrintedDate(date(1989, 1, 8), gregorian=False)),
    ("S55.02.17", PrintedDate(date(1980, 2, 17), gregorian=False)),
    ("s55/2/17", PrintedDate(date(1980, 2, 17), gregorian=False)),
    ("H1.1.8", PrintedDate(date(1989, 1, 8), gregorian=False)),
    ("R1.5.1", PrintedDate(date(2019, 5, 1), gregorian=False)),
    ("令和7年1月1日", PrintedDate(date(2025, 1, 1), gregorian=False)),
    ("昭和64年1月7日", PrintedDate(date(1989, 1, 7), gregorian=False)),
    (" T15.12.24 ", PrintedDate(date(1926, 12, 24), gregorian=False)),
    ("令和50年1月1日", PrintedDate(date(2068, 1, 1), gregorian=False)),  # future: allowed
])
def test_parse_birth_date(text: str, expected: PrintedDate) -> None:
    assert parse_birth_date(text) == expected


@pytest.mark.parametrize("text", [
    "", "昭和", "平成31年5月1日", "昭和64年1月8日", "H31.5.1", "1980-02-30", "1980-13-01",
    "55.02.17", "S55.02", "昭和55年2月17", "Q55.2.17", "19800230", "1980-2-17-1",
    "١٩٨٠-٠٢-١٧",  # Arabic-Indic digits are digits to Python but not on a card
])
def test_parse_birth_date_refuses(text: str) -> None:
    with pytest.raises(CodeBInputError) as caught:
        parse_birth_date(text)
    assert caught.value.field == "birth"  # type: ignore[attr-defined]
    assert caught.value.message_ja  # type: ignore[attr-defined]


def test_birth_error_does_not_repeat_the_date() -> None:
    with pytest.raises(CodeBInputError) as caught:
        parse_birth_date("平成31年5月1日")
    assert "31" not in str(caught.value)


# --- building the code -----------------------------------------------------------------------
def test_spec_example() -> None:
    code = code_b_from_parts(date(1980, 2, 17), 2035, "2285")
    assert code.digits == SPEC_EXAMPLE
    assert code.to_bytes() == SPEC_EXAMPLE.encode("ascii")
    assert code.birth_yymmdd == "550217"
    assert code.expiry_year == 2035


@pytest.mark.parametrize(("birth", "yymmdd"), [
    (date(1989, 1, 7), "640107"),
    (date(1989, 1, 8), "010108"),
    (date(2019, 4, 30), "310430"),
    (date(2019, 5, 1), "010501"),
    (date(1926, 12, 24), "151224"),
    (date(1926, 12, 25), "011225"),
])
def test_code_uses_era_year_at_boundaries(birth: date, yymmdd: str) -> None:
    assert code_b_from_parts(birth, 2030, "0000").birth_yymmdd == yymmdd


def test_gregorian_birth_uses_gregorian_yymmdd() -> None:
    code = code_b_from_parts(date(1980, 2, 17), 2035, "2285", gregorian_birth=True)
    assert code.digits == "80021720352285"
    assert code_b_from_parts(date(2001, 3, 4), 2035, "0001", gregorian_birth=True).digits \
        == "01030420350001"


def test_from_text_converts_gregorian_typed_dates_to_era() -> None:
    assert code_b_from_text("1980-02-17", "2035", "2285").digits == SPEC_EXAMPLE
    assert code_b_from_text("昭和55年2月17日", 2035, "２２８５").digits == SPEC_EXAMPLE
    assert code_b_from_text("1980-02-17", "２０３５", "2285", gregorian_birth=True).digits \
        == "80021720352285"


def test_from_text_refuses_era_date_for_a_gregorian_card() -> None:
    with pytest.raises(CodeBInputError):
        code_b_from_text("昭和55年2月17日", "2035", "2285", gregorian_birth=True)


@pytest.mark.parametrize(("expiry", "code", "field"), [
    ("35", "2285", "expiry"), ("2014", "2285", "expiry"), ("2100", "2285", "expiry"),
    ("20x5", "2285", "expiry"), (2014, "2285", "expiry"),
    ("2035", "228", "security_code"), ("2035", "22855", "security_code"),
    ("2035", "22a5", "security_code"), ("2035", "", "security_code"),
])
def test_from_text_validation(expiry: str | int, code: str, field: str) -> None:
    with pytest.raises(CodeBFieldError) as caught:
        code_b_from_text("1980-02-17", expiry, code)
    assert caught.value.field == field
    assert caught.value.message_ja
    assert isinstance(caught.value, CodeBInputError)
    assert isinstance(caught.value, VerifierError)


def test_from_parts_validation() -> None:
    with pytest.raises(CodeBInputError):
        code_b_from_parts(date(1980, 2, 17), 3000, "2285")
    with pytest.raises(CodeBInputError):
        code_b_from_parts(date(1980, 2, 17), 2035, "22 85x")
    with pytest.raises(CodeBInputError):
        code_b_from_parts(date(1860, 1, 1), 2035, "2285")


# --- parsing the 14 digits -------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    SPEC_EXAMPLE, "550217 2035 2285", "550217-2035-2285", "５５０２１７２０３５２２８５",
    " 55021720352285 ", "550217　2035　2285",
])
def test_parse_code_b(text: str) -> None:
    assert parse_code_b(text) == CodeB(SPEC_EXAMPLE)


@pytest.mark.parametrize("text", [
    "", "5502172035228", "550217203522855", "55021720352a85", "551317" + "20352285",
    "550232" + "20352285", "550217" + "19992285", "٥٥٠٢١٧٢٠٣٥٢٢٨٥",
])
def test_parse_code_b_refuses(text: str) -> None:
    with pytest.raises(CodeBInputError):
        parse_code_b(text)


# --- the CodeB value -------------------------------------------------------------------------
def test_code_b_never_shows_digits(caplog: pytest.LogCaptureFixture) -> None:
    code = CodeB(SPEC_EXAMPLE)
    percent = "%s" % (code,)  # noqa: UP031 - the form logging uses
    shown = [repr(code), str(code), f"{code}", f"{code!r}", percent, str([code]),
             format(code, "")]
    for text in shown:
        assert SPEC_EXAMPLE not in text
        assert "2285" not in text
    assert repr(code) == "CodeB(**************)"
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("test").info("code %s %r", code, code)
    assert SPEC_EXAMPLE not in caplog.text


def test_code_b_is_immutable_and_compares_by_value() -> None:
    code = CodeB(SPEC_EXAMPLE)
    with pytest.raises(AttributeError):
        code._digits = "00000000000000"  # type: ignore[misc]
    assert code == parse_code_b(SPEC_EXAMPLE)
    assert code != CodeB("55021720352286")
    assert code != SPEC_EXAMPLE
    assert len({code, CodeB(SPEC_EXAMPLE)}) == 1
    assert copy.deepcopy(code) == code
    assert pickle.loads(pickle.dumps(code)) == code
    assert not hasattr(code, "__dict__")


# --- consistency with the chip ---------------------------------------------------------------
def test_birth_matches_era_and_gregorian_forms() -> None:
    era_code = CodeB(SPEC_EXAMPLE)
    assert birth_matches(era_code, date(1980, 2, 17))
    assert not birth_matches(era_code, date(1980, 2, 18))
    assert not birth_matches(era_code, date(2018, 2, 17))  # 平成30 / 18: neither form is 55
    gregorian = CodeB("80021720352285")
    assert birth_matches(gregorian, date(1980, 2, 17))
    assert birth_matches(CodeB("01010820300000"), date(1989, 1, 8))
    assert not birth_matches(CodeB("01010820300000"), date(1989, 1, 7))
    assert birth_matches(CodeB("64010720300000"), date(1989, 1, 7))


@pytest.mark.parametrize("chip", [b"", b"1980021", b"1980-2-17", b"19800230", b"abcdefgh"])
def test_bad_chip_dates_are_malformed_at_load(chip: bytes) -> None:
    with pytest.raises(MalformedData):
        parse_yyyymmdd(chip, "birth date")


def test_expiry_matches() -> None:
    code = CodeB(SPEC_EXAMPLE)
    assert expiry_matches(code, date(2035, 2, 17))
    assert not expiry_matches(code, date(2036, 2, 17))

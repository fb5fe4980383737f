"""No code without a clerk unless every field is sure; printed dates vs the chip's, only on
sure readings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from testcards.builder import printed_persona
from testcards.personas import PERSONAS
from verifier.ocr.fields import PrintedFace
from verifier.ocr.policy import (
    Agreement,
    PictureNotClearError,
    compare_with_chip,
    unattended_code_b,
)

SURE = PrintedFace(birth=date(1980, 2, 17), expiry=date(2035, 2, 17), security_code="2285",
                   birth_confidence=0.99, expiry_confidence=0.99, security_code_confidence=0.99)


def test_a_sure_reading_gives_the_code() -> None:
    assert unattended_code_b(SURE) == PERSONAS[0].code_b


def test_an_unsure_field_sends_nothing_and_names_only_the_field() -> None:
    unsure = replace(SURE, security_code_confidence=0.5)
    with pytest.raises(PictureNotClearError) as caught:
        unattended_code_b(unsure)
    assert caught.value.fields == ("security_code",)
    assert not any(ch.isdigit() for ch in str(caught.value))


def test_a_missing_field_sends_nothing() -> None:
    with pytest.raises(PictureNotClearError):
        unattended_code_b(replace(SURE, expiry=None, expiry_confidence=0.0))


def test_the_threshold_is_the_callers() -> None:
    unsure = replace(SURE, birth_confidence=0.8)
    assert unattended_code_b(unsure, threshold=0.75) == PERSONAS[0].code_b


def test_printed_dates_that_match_the_chip() -> None:
    result = compare_with_chip(SURE, chip_birth="19800217", chip_expiry="20350217")
    assert result.overall is Agreement.MATCHES


def test_a_replaced_printed_face_differs_from_the_chip() -> None:
    persona = PERSONAS[0]
    printed = printed_persona("tampered-birth", persona)
    face = replace(SURE, birth=printed.birth)
    result = compare_with_chip(face, chip_birth=persona.birth.strftime("%Y%m%d"),
                               chip_expiry="20350217")
    assert result.birth is Agreement.DIFFERS
    assert result.overall is Agreement.DIFFERS
    assert result.differing() == ("birth",)


def test_an_unsure_reading_is_no_evidence() -> None:
    face = replace(SURE, birth=date(1983, 2, 17), birth_confidence=0.6)
    result = compare_with_chip(face, chip_birth="19800217", chip_expiry="20350217")
    assert result.birth is Agreement.NOT_COMPARED
    assert result.overall is Agreement.NOT_COMPARED


@pytest.mark.parametrize("chip_expiry", [None, "", "2035021", "20350230", "２０３５０２１７"])
def test_a_chip_date_that_cannot_be_read_is_not_compared(chip_expiry: str | None) -> None:
    result = compare_with_chip(SURE, chip_birth="19800217", chip_expiry=chip_expiry)
    assert result.expiry is Agreement.NOT_COMPARED
    assert result.birth is Agreement.MATCHES


def test_a_look_alike_era_is_compared_by_era_year_month_and_day_only() -> None:
    # 令和3年 read through a look-alike and taken for 平成3年: same printed digits.
    face = replace(SURE, birth=date(1991, 6, 30), expiry=date(2031, 6, 30),
                   fallbacks=frozenset({"birth.era_misread"}))
    result = compare_with_chip(face, chip_birth="20210630", chip_expiry="20310630")
    assert result.overall is Agreement.MATCHES
    assert compare_with_chip(face, chip_birth="20210629", chip_expiry="20310630").birth \
        is Agreement.DIFFERS

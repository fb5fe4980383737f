"""The printed face, whole (issue 16): an era read through a look-alike glyph, a field read
unsurely, a field the clerk corrected and a typed era are each compared or named for the
clerk's eyes — never a silent pass. The OCR lines are what the recogniser returns; the chip is
a simulated 令和 card."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

import testcards
from verifier.counter.codes import CodeInput, EraEntry, code_from_entry, code_from_picture
from verifier.counter.codes import with_picture as paired
from verifier.counter.policy import CounterPolicy
from verifier.counter.visit import Counter
from verifier.documents.my_number.check_ids import CheckId
from verifier.engine.verdict import Outcome, Reason, Verdict
from verifier.ocr.fields import OcrLine, read_fields

TODAY = date(2026, 12, 3)
REIWA = testcards.PERSONAS[4]  # 令和3年6月30日, expiring 2031-06-30, security code 3307
SURE = 0.99


def lines(birth: str, *, birth_confidence: float = SURE) -> list[OcrLine]:
    return [OcrLine(f"{birth}年 6月30日生", birth_confidence),
            OcrLine("2031年 6月30日まで有効", SURE), OcrLine("3307", SURE)]


def verify(code: CodeInput, persona: testcards.Persona = REIWA):
    card = testcards.build_card_for(persona)
    counter = Counter(CounterPolicy(), today=lambda: TODAY)
    return counter.attach(card, reader="in-process", in_process=True).verify(code)


@pytest.mark.parametrize("printed", ["乎成3", "平戌3", "半成3", "今和3", "合和3"])
def test_an_era_read_through_a_look_alike_is_named_never_passed(printed: str) -> None:
    face = read_fields(lines(printed))
    assert "birth.era_misread" in face.fallbacks
    checked = verify(code_from_picture(face, today=TODAY))
    result = checked.result
    assert result.verdict is Verdict.GENUINE  # the chip itself proved genuine
    check = result.check(CheckId.PRINTED_FACE)
    assert check is not None and "目で見比べて" in check.detail.ja
    assert {"id": "printed_field_not_compared", "field": "birth", "why": "era_lookalike"} in \
        [c.to_json() for c in checked.cautions]


def test_a_reiwa_face_read_surely_is_compared() -> None:
    checked = verify(code_from_picture(read_fields(lines("令和3")), today=TODAY))
    check = checked.result.check(CheckId.PRINTED_FACE)
    assert check is not None and check.outcome is Outcome.PASSED and not checked.cautions
    assert "生年月日・有効期限" in check.detail.ja


def test_another_era_read_surely_over_the_chip_is_evidence() -> None:
    # A genuine 令和3 chip under a face printing 平成3 (the same digits: code B opens it).
    checked = verify(code_from_picture(read_fields(lines("平成3")), today=TODAY))
    result = checked.result
    assert result.verdict is Verdict.COUNTERFEIT_SUSPECTED
    failing = result.failing_check
    assert failing is not None and failing.reason is Reason.PRINTED_FACE_DIFFERS
    assert result.personal is None


def test_an_unsure_birth_date_is_named() -> None:
    checked = verify(code_from_picture(read_fields(lines("令和3", birth_confidence=0.5)),
                                       today=TODAY))
    assert checked.result.verdict is Verdict.GENUINE
    assert [c.to_json() for c in checked.cautions] == [
        {"id": "printed_field_not_compared", "field": "birth", "why": "unsure"}]


def entry(era: str, year: str) -> EraEntry:
    return EraEntry(era=era, year=year, month="6", day="30", expiry_year="2031",
                    security_code="3307")


def test_a_field_the_clerk_corrected_is_compared_as_typed() -> None:
    face = read_fields(lines("乎成3"))  # a look-alike the clerk corrects to 令和
    typed = code_from_entry(entry("令和", "3"), today=TODAY)
    checked = verify(paired(typed, face))
    check = checked.result.check(CheckId.PRINTED_FACE)
    assert check is not None and check.outcome is Outcome.PASSED and not checked.cautions
    # corrected to 平成 (what the forged face prints): compared as typed, and it differs
    wrong = verify(paired(code_from_entry(entry("平成", "3"), today=TODAY),
                          read_fields(lines("令和3"))))
    assert wrong.result.verdict is Verdict.COUNTERFEIT_SUSPECTED


def test_an_era_the_picture_misread_and_the_clerk_left_is_still_named() -> None:
    face = read_fields(lines("乎成3"))
    # the clerk fixed the day only; the era the picture filled in stays (平成, a look-alike)
    typed = code_from_entry(replace(entry("平成", "3"), day="30"), today=TODAY)
    code = paired(typed, face)
    assert "birth_era" not in code.corrected
    checked = verify(code)
    assert any(c.field in ("birth", "birth_era") and c.why == "era_lookalike"
               for c in checked.cautions)


def test_a_typed_era_that_differs_is_a_warning() -> None:
    checked = verify(code_from_entry(entry("平成", "3"), today=TODAY))
    assert checked.result.verdict is Verdict.GENUINE
    assert [c.to_json() for c in checked.cautions] == [{"id": "typed_era_differs",
                                                        "field": "birth"}]
    assert checked.result.check(CheckId.PRINTED_FACE) is None  # no picture, no check
    same = verify(code_from_entry(entry("令和", "3"), today=TODAY))
    assert same.cautions == ()

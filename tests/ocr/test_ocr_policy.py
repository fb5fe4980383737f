"""No code without a clerk unless every field is sure (the printed face against the chip is the
counter's: tests/counter/test_printed_face_whole.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from testcards.personas import PERSONAS
from verifier.ocr.fields import PrintedFace
from verifier.ocr.policy import (
    PictureNotClearError,
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











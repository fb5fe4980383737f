"""The printed residence card against its chip (issue 17), when the card number came from a
picture of the card: the second generation's birth date, nationality and card expiry held
against the signed entries (a difference read surely is evidence), the name always named as not
compared (the chip holds it only as an image), the first generation's fields all left to the
clerk and the front-of-card image. The faces here are what the OCR hands the counter (the
reading itself is tested in tests/ocr)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from testcards.residence.builder import build_residence_card, printed
from testcards.residence.personas import RESIDENCE_PERSONAS
from verifier.counter.answer import Checked
from verifier.counter.keys import NumberInput
from verifier.counter.policy import CounterPolicy
from verifier.counter.visit import Counter
from verifier.engine.verdict import PRINTED_FACE, Outcome, Reason, Verdict
from verifier.ocr.residence import PrintedResidenceFace

TODAY = date(2026, 11, 23)


def face_of(profile: str, *, confidence: float = 0.99) -> PrintedResidenceFace:
    """What a sure reading of that card's printed front gives."""
    shown = printed(profile, 0)
    chip_code = RESIDENCE_PERSONAS[0].nationality
    return PrintedResidenceFace(
        document=shown.document.value, card_number=shown.card_number.text, name=shown.name,
        birth=shown.birth, nationality=shown.nationality, nationality_code=chip_code,
        card_expiry=shown.expiry, card_number_confidence=confidence,
        name_confidence=confidence, birth_confidence=confidence,
        nationality_confidence=confidence, card_expiry_confidence=confidence)


def check(profile: str, face: PrintedResidenceFace) -> Checked:
    card = build_residence_card(profile)
    visit = Counter(CounterPolicy(), today=lambda: TODAY).attach(card, reader="sim",
                                                                 in_process=True)
    return visit.verify(NumberInput(card.card_number, face))


def test_a_genuine_second_generation_card_matches_its_picture() -> None:
    checked = check("residence-genuine-2", face_of("residence-genuine-2"))
    assert checked.result.verdict is Verdict.GENUINE
    compared = checked.result.check(PRINTED_FACE)
    assert compared is not None and compared.outcome is Outcome.PASSED
    assert "国籍" in compared.detail.ja and "有効期限" in compared.detail.ja
    assert [(caution.field, caution.why) for caution in checked.cautions] == [
        ("name", "no_chip_value")]
    assert checked.result.code_from_image


def test_a_genuine_chip_under_another_printed_face_is_evidence() -> None:
    checked = check("residence-different-face", face_of("residence-different-face"))
    assert checked.result.verdict is Verdict.COUNTERFEIT_SUSPECTED
    failing = checked.result.failing_check
    assert failing is not None and failing.id == PRINTED_FACE
    assert failing.reason is Reason.PRINTED_FACE_DIFFERS
    assert checked.result.personal is None  # nothing of the chip shown for a forged face


def test_a_field_read_unsurely_is_named_not_compared() -> None:
    shown = face_of("residence-different-face")
    unsure = replace(shown, birth_confidence=0.3, card_expiry_confidence=0.3)
    checked = check("residence-different-face", unsure)
    # the birth date and expiry differ, but neither was read surely: no accusation
    assert checked.result.verdict is Verdict.GENUINE
    named = {caution.field: caution.why for caution in checked.cautions}
    assert named == {"name": "no_chip_value", "birth": "unsure", "expiry": "unsure"}


def test_the_first_generation_leaves_every_field_to_the_clerk() -> None:
    checked = check("residence-genuine-1", face_of("residence-genuine-1"))
    assert checked.result.verdict is Verdict.GENUINE
    compared = checked.result.check(PRINTED_FACE)
    assert compared is not None and compared.outcome is Outcome.SKIPPED
    assert {caution.field for caution in checked.cautions} == {
        "name", "birth", "nationality", "expiry"}
    assert all(caution.why == "no_chip_value" for caution in checked.cautions)


def test_a_typed_number_compares_nothing() -> None:
    card = build_residence_card("residence-different-face")
    checked = Counter(CounterPolicy(), today=lambda: TODAY).attach(
        card, reader="sim", in_process=True).verify(card.card_number)
    assert checked.result.verdict is Verdict.GENUINE
    assert checked.result.check(PRINTED_FACE) is None and checked.cautions == ()

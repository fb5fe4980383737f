"""Every simulated residence profile through the verifier in-process: the steps, the reason of
the failing one, and the verdict the evidence rule gives them, as the profile table says. A
wrong number is one VERIFY at most and never an accusation; no quirk turns a genuine card into
one."""

from __future__ import annotations

from datetime import date

import pytest

from testcards.quirks import Quirks
from testcards.residence.authority import simulated_trust
from testcards.residence.builder import build_residence_card, printed
from testcards.residence.personas import RESIDENCE_PERSONAS
from testcards.residence.profiles import RESIDENCE_PROFILES, ResidenceProfile
from tests.residence.conftest import TODAY, seeded, verdict_of
from verifier.documents.residence.card_number import parse_card_number
from verifier.documents.residence.check_ids import STEPS, ResidenceCheck
from verifier.documents.residence.outcome import Outcome, ResidenceReason, ResidenceResult
from verifier.documents.residence.verification import check_residence_card
from verifier.engine.verdict import Verdict

TRUST = simulated_trust()


NO_QUIRKS = Quirks()


def verify(profile: str, *, persona: int = 0, quirks: Quirks = NO_QUIRKS,
           number: str | None = None, today: date = TODAY) -> ResidenceResult:
    card = build_residence_card(profile, persona=persona, quirks=quirks, random=seeded(persona))
    typed = card.card_number if number is None else parse_card_number(number)
    return check_residence_card(card, typed, TRUST, today=today, t0=quirks.t0,
                                random=seeded(99))


@pytest.mark.parametrize("name", list(RESIDENCE_PROFILES))
def test_each_profile_gets_its_verdict_and_failing_check(name: str) -> None:
    profile = RESIDENCE_PROFILES[name]
    result = verify(name)
    assert verdict_of(result) is profile.expected_when_typed, result
    assert [step.check for step in result.steps] == list(STEPS)
    failing = result.failed
    if profile.expected_when_typed is Verdict.GENUINE:
        assert not failing
    else:
        assert [step.check for step in failing] == [profile.failing_check]
        assert failing[0].reason is profile.reason


@pytest.mark.parametrize("name", list(RESIDENCE_PROFILES))
@pytest.mark.parametrize("persona", range(len(RESIDENCE_PERSONAS)))
def test_every_persona_in_every_profile(name: str, persona: int) -> None:
    assert verdict_of(verify(name, persona=persona)) is \
        RESIDENCE_PROFILES[name].expected_when_typed


def test_genuine_cards_carry_what_the_clerk_compares() -> None:
    first = verify("residence-genuine-1").contents
    assert first is not None and first.front_image_tiff and first.photo_jp2
    assert first.entries is None
    second = verify("residence-genuine-2").contents
    assert second is not None and second.entries is not None and second.name_image_tiff
    assert second.address_image_tiff and second.photo_jp2
    shown = printed("residence-genuine-2", 0)
    assert (second.entries.birth, second.entries.expiry) == (shown.birth, shown.expiry)
    spr = verify("residence-spr-genuine-2").contents
    assert spr is not None and spr.entries is not None
    assert spr.entries.permission_type is None and spr.entries.residence_expiry is None


@pytest.mark.parametrize("name", [n for n, p in RESIDENCE_PROFILES.items()
                                  if p.expected is not Verdict.GENUINE])
def test_no_personal_data_without_a_verified_signature(name: str) -> None:
    result = verify(name)
    assert (result.contents is not None) == (
        result.step(ResidenceCheck.DOCUMENT_SIGNATURE).outcome is Outcome.PASSED)


def test_the_first_generation_expiry_is_skipped_and_said_why() -> None:
    step = verify("residence-genuine-1").step(ResidenceCheck.CARD_NOT_EXPIRED)
    assert step.outcome is Outcome.SKIPPED and "front-of-card image" in step.detail


def test_a_card_is_valid_through_its_expiry_day() -> None:
    expiry = RESIDENCE_PROFILES["residence-expired"].expiry
    assert expiry is not None
    assert verdict_of(verify("residence-expired", today=expiry)) is Verdict.GENUINE
    assert verdict_of(verify("residence-expired", today=date(2026, 10, 21))) is \
        Verdict.INVALID_CARD


@pytest.mark.parametrize("name", [n for n, p in RESIDENCE_PROFILES.items()
                                  if p.expected is not Verdict.COUNTERFEIT_SUSPECTED
                                  or p.failing_check not in (ResidenceCheck.DOCUMENT_TYPE,)])
def test_a_wrong_number_is_one_verify_at_most_and_never_an_accusation(name: str) -> None:
    card = build_residence_card(name)
    wrong = parse_card_number("ZZ00000001ZZ")
    result = check_residence_card(card, wrong, TRUST, today=TODAY)
    assert card.verify_count <= 1 and card.authenticate_count <= 1
    assert not result.evidence
    if RESIDENCE_PROFILES[name].chip.value == "residence":
        step = result.step(ResidenceCheck.CARD_NUMBER_VERIFY)
        assert (step.outcome, step.reason) == (Outcome.FAILED, ResidenceReason.NUMBER_REJECTED)
        assert result.step(ResidenceCheck.DOCUMENT_SIGNATURE).outcome is Outcome.NOT_RUN
        assert verdict_of(result) is Verdict.NOT_VERIFIED


def test_the_number_of_another_genuine_card_opens_nothing() -> None:
    other = RESIDENCE_PERSONAS[1].card_number
    result = verify("residence-genuine-2", persona=0, number=other)
    assert result.step(ResidenceCheck.CARD_NUMBER_VERIFY).reason is \
        ResidenceReason.NUMBER_REJECTED


def test_no_number_is_not_verified_and_sends_nothing() -> None:
    card = build_residence_card("residence-genuine-2")
    result = check_residence_card(card, None, TRUST, today=TODAY)
    assert result.step(ResidenceCheck.CARD_NUMBER_VERIFY).reason is ResidenceReason.NO_NUMBER
    assert card.authenticate_count == 0 and card.verify_count == 0


@pytest.mark.parametrize("quirks", [Quirks(no_extended=True), Quirks(t0=True),
                                    Quirks(no_sfi=True), Quirks(contactless=True),
                                    Quirks(wrong_le=True), Quirks(power_up_6f00=True),
                                    Quirks(no_extended=True, no_sfi=True)], ids=str)
@pytest.mark.parametrize("name", list(RESIDENCE_PROFILES))
def test_reader_quirks_change_no_verdict(name: str, quirks: Quirks) -> None:
    assert verdict_of(verify(name, quirks=quirks)) is \
        RESIDENCE_PROFILES[name].expected_when_typed


def test_the_different_face_profile_prints_the_chips_number_and_another_person() -> None:
    profile: ResidenceProfile = RESIDENCE_PROFILES["residence-different-face"]
    face = printed(profile.name, 0)
    holder = RESIDENCE_PERSONAS[0]
    assert face.card_number.text == holder.card_number
    assert (face.name, face.birth, face.expiry) != (holder.name, holder.birth, holder.expiry)
    result = verify(profile.name)
    assert result.contents is not None and result.contents.entries is not None
    assert result.contents.entries.birth != face.birth  # what the picture check will catch
    assert profile.expected is Verdict.COUNTERFEIT_SUSPECTED
    assert profile.failing_check is ResidenceCheck.PRINTED_FACE


def test_the_simulated_ca_on_a_real_reader_is_unknown_authority() -> None:
    card = build_residence_card("residence-genuine-2")
    real_reader = simulated_trust(accept=False)
    result = check_residence_card(card, card.card_number, real_reader, today=TODAY)
    assert result.step(ResidenceCheck.CERTIFICATE_TRUSTED).reason is \
        ResidenceReason.UNKNOWN_AUTHORITY
    assert verdict_of(result) is Verdict.COUNTERFEIT_SUSPECTED

"""Residence cards at the counter (issue 17): recognised by what the chip answers, opened with the
card number, judged by the engine's one evidence rule, recorded and acted on as the My Number Card
is. Real counter, real simulated cards; the only thing replaced is the reader."""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path

import pytest

import testcards
from testcards.quirks import Quirks, parse_quirks
from testcards.residence.builder import build_residence_card
from testcards.residence.profiles import RESIDENCE_PROFILES
from verifier.counter.exits import EXIT_CODES
from verifier.counter.keys import (
    NumberInput,
    NumberInputError,
    WrongKeyError,
    number_from_text,
)
from verifier.counter.policy import CounterPolicy
from verifier.counter.sources import SourceSpec
from verifier.counter.visit import Counter
from verifier.documents.residence.card_number import CardNumber
from verifier.documents.residence.check_ids import ResidenceCheck
from verifier.documents.residence.outcome import EVIDENCE, INVALIDATING, ResidenceReason
from verifier.engine.verdict import COUNTERFEIT_REASONS, INVALID_REASONS, Reason, Verdict

TODAY = date(2026, 11, 23)
WRONG = CardNumber("ZZ00000001ZZ")
VIRTUAL = "Virtual PCD 00 00"


def counter(policy: CounterPolicy | None = None) -> Counter:
    return Counter(policy or CounterPolicy(), today=lambda: TODAY, decode_photo=True)


def test_the_residence_reasons_are_the_engines_and_so_is_their_weight() -> None:
    for reason in ResidenceReason:
        Reason(reason.value)  # every residence reason is one of the engine's strings
    assert {Reason(r.value) for r in EVIDENCE} <= COUNTERFEIT_REASONS
    assert {Reason(r.value) for r in INVALIDATING} <= INVALID_REASONS
    others = set(ResidenceReason) - EVIDENCE - INVALIDATING
    assert not {Reason(r.value) for r in others} & (COUNTERFEIT_REASONS | INVALID_REASONS)


@pytest.mark.parametrize("name", list(RESIDENCE_PROFILES))
def test_every_residence_profile_through_the_counter(name: str) -> None:
    profile = RESIDENCE_PROFILES[name]
    checked = counter().check(SourceSpec(simulated=name), None)
    result = checked.result
    assert result.verdict is profile.expected_when_typed, result
    typed_check = (profile.failing_check if profile.typed_expected is None
                   else profile.typed_failing_check)
    failing = result.failing_check
    assert (str(failing.id) if failing else None) == (str(typed_check) if typed_check else None)
    assert checked.exit_code == EXIT_CODES[result.verdict]
    document = json.loads(json.dumps(checked.to_json()))
    if profile.card_type.supported or failing is not None:
        assert document["document"] == profile.card_type.document.value
    if result.verdict is Verdict.GENUINE:
        assert document["generation"] == int(profile.card_type.generation)
        assert checked.action.value == "accept"


def test_a_first_generation_card_shows_its_front_image_and_photo() -> None:
    result = counter().check(SourceSpec(simulated="residence-genuine-1"), None).result
    personal = result.personal
    assert personal is not None
    assert personal.front_png is not None and personal.front_png.startswith(b"\x89PNG")
    assert personal.photo_png is not None and personal.entries == ()
    step = result.check(str(ResidenceCheck.CARD_NOT_EXPIRED))
    assert step is not None and step.outcome.value == "skipped"


def test_a_second_generation_card_shows_its_entries_and_images() -> None:
    checked = counter().check(SourceSpec(simulated="residence-genuine-2"), None)
    personal = checked.result.personal
    assert personal is not None and personal.front_png is None
    assert personal.name_png and personal.photo_png and personal.address_png
    assert personal.address_unsigned
    labels = [label.en for label, _ in personal.entries]
    assert "Nationality / region" in labels and "Card valid until" in labels
    assert checked.result.card.expiry is not None
    # the JSON shows nothing personal unless asked
    assert "personal" not in checked.to_json()
    assert checked.to_json(include_personal_data=True)["personal"]["entries"]


def test_the_first_generation_next_step_asks_to_compare_the_front_image() -> None:
    checked = counter().check(SourceSpec(simulated="residence-genuine-1"), None)
    assert "券面画像" in checked.next.words.ja
    second = counter().check(SourceSpec(simulated="residence-genuine-2"), None)
    assert "券面画像" not in second.next.words.ja


def test_a_wrong_number_is_one_verify_and_never_an_accusation() -> None:
    target = counter()
    card = build_residence_card("residence-genuine-2")
    visit = target.attach(card, reader="sim", in_process=True)
    checked = visit.verify(NumberInput(WRONG))
    assert checked.result.verdict is Verdict.NOT_VERIFIED
    failing = checked.result.failing_check
    assert failing is not None and failing.reason is Reason.NUMBER_REJECTED
    assert card.verify_count + card.authenticate_count >= 1 and card.verify_count <= 1
    assert target.code_rejected(checked.result) and visit.may_retype(checked.result)
    assert "0とO" in checked.next.words.ja
    # the same number to the same card on the same reader is never sent again
    again = target.attach(card, reader="sim", in_process=True).verify(WRONG)
    assert again.result.failing_check is not None
    assert again.result.failing_check.reason is Reason.NUMBER_ALREADY_REJECTED
    assert card.verify_count <= 1
    # the right number, retyped with the card in place, opens it
    retyped = visit.retype(NumberInput(card.card_number))
    assert retyped.result.verdict is Verdict.GENUINE


@pytest.mark.parametrize("profile", ["residence-genuine-1", "residence-genuine-2"])
def test_a_code_b_for_a_residence_card_is_refused_before_anything_is_sent(profile: str) -> None:
    card = build_residence_card(profile)
    visit = counter().attach(card, reader="sim", in_process=True)
    with pytest.raises(WrongKeyError, match="card number"):
        visit.verify(testcards.PERSONAS[0].code_b)
    assert card.verify_count == 0 and card.authenticate_count == 0


def test_a_card_number_for_a_my_number_card_is_refused_before_any_verify() -> None:
    card = testcards.build_card("genuine")
    visit = counter().attach(card, reader="sim", in_process=True)
    with pytest.raises(WrongKeyError, match="code B"):
        visit.verify(WRONG)
    assert not any(command[1] == 0x20 for command in card.commands)


def test_a_blank_chip_is_judged_as_the_document_whose_key_was_given() -> None:
    as_residence = counter().check(SourceSpec(simulated="residence-blank-chip"), WRONG).result
    assert as_residence.failing_check is not None
    assert as_residence.failing_check.reason is Reason.NO_RESIDENCE_APPLICATION
    as_my_number = counter().check(SourceSpec(simulated="residence-blank-chip"),
                                   testcards.PERSONAS[0].code_b).result
    assert as_my_number.failing_check is not None
    assert as_my_number.failing_check.reason is Reason.NO_CARD_FACE_AP
    assert as_my_number.verdict is as_residence.verdict is Verdict.COUNTERFEIT_SUSPECTED


@pytest.mark.parametrize("profile", ["residence-genuine-2", "residence-forged-ca",
                                     "residence-genuine-1", "residence-forged-issuer-1"])
def test_until_an_agency_ca_is_installed_nothing_is_an_accusation(profile: str,
                                                                  tmp_path: Path) -> None:
    """A card on a (virtual) reader in training, the simulated CA not named: the store holds
    no Agency CA, so every certificate is 'no production CA installed', never evidence."""
    policy = CounterPolicy(training=True, trust_dir=tmp_path / "empty")
    card = build_residence_card(profile)
    visit = counter(policy).attach(card, reader=VIRTUAL, in_process=False)
    checked = visit.verify(card.card_number)
    result = checked.result
    assert result.verdict is Verdict.NOT_VERIFIED, result
    failing = result.failing_check
    assert failing is not None and failing.reason is Reason.NO_PRODUCTION_CA
    assert "trust add" in failing.detail.en and "trust add" in checked.next.words.en


def test_the_simulated_ca_never_passes_for_real_even_when_named(tmp_path: Path) -> None:
    policy = CounterPolicy(hierarchies=("simulated",), trust_dir=tmp_path)
    card = build_residence_card("residence-genuine-2")
    result = counter(policy).attach(card, reader="ACS ACR1252 1S CL Reader PICC 0",
                                    in_process=False).verify(card.card_number).result
    assert result.verdict is not Verdict.GENUINE
    assert result.personal is None


@pytest.mark.parametrize("profile", ["residence-genuine-1", "residence-genuine-2"])
def test_a_6f00_at_every_position_through_the_counter_is_never_an_accusation(
        profile: str) -> None:
    clean = build_residence_card(profile)
    counter().attach(clean, reader="sim", in_process=True).verify(clean.card_number)
    exchanges = len(clean.commands)
    for at in range(1, exchanges + 3):
        card = build_residence_card(profile, quirks=Quirks(transient_at=at, transient_sw=0x6F00))
        result = counter().attach(card, reader="sim", in_process=True).verify(
            card.card_number).result
        assert result.verdict is not Verdict.COUNTERFEIT_SUSPECTED, (at, result)
        assert card.verify_count <= 1
        if result.verdict is not Verdict.GENUINE:
            assert result.verdict is Verdict.NOT_VERIFIED, (at, result)


@pytest.mark.parametrize("quirks", ["contactless", "no-extended", "t0", "no-sfi"])
def test_every_reader_form_through_the_counter(quirks: str) -> None:
    for profile in ("residence-genuine-1", "residence-spr-genuine-2"):
        card = build_residence_card(profile, quirks=parse_quirks(quirks))
        result = counter().attach(card, reader="sim", in_process=True).verify(
            card.card_number).result
        assert result.verdict is Verdict.GENUINE, (profile, quirks, result)


def test_the_card_number_never_reaches_a_log_or_the_audit_record(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    audit = tmp_path / "audit.jsonl"
    target = counter(CounterPolicy(audit_log=audit))
    card = build_residence_card("residence-genuine-2")
    number = card.card_number.text
    with caplog.at_level(logging.DEBUG):
        target.attach(card, reader="sim", in_process=True).verify(number_from_text(number))
        target.attach(build_residence_card("residence-genuine-1"), reader="sim",
                      in_process=True).verify(WRONG)
    record = audit.read_text(encoding="utf-8")
    assert '"document": "residence_card"' in record or '"document":"residence_card"' in record
    for secret in (number, WRONG.text, number.lower()):
        assert secret not in record
        assert secret not in caplog.text
    assert number not in repr(number_from_text(number))


def test_number_input_takes_what_a_clerk_types() -> None:
    card = build_residence_card("residence-genuine-2")
    text = card.card_number.text
    wide = "".join(chr(ord(ch) + 0xFEE0) for ch in text.lower())
    assert number_from_text(wide).number == card.card_number
    assert number_from_text(f"{text[:2]} {text[2:10]}-{text[10:]}").number == card.card_number
    with pytest.raises(NumberInputError) as refused:
        number_from_text(text[:-1])
    assert text[:-1] not in str(refused.value)


def test_the_plugin_tells_the_families_apart_by_name() -> None:
    """The plug-in makes a My Number card without loading the residence modules, by the
    residence profiles' common prefix: every residence profile has it, no other one does."""
    from testcards.plugin import SOURCE, is_residence_profile
    from testcards.profiles import PROFILES

    assert all(is_residence_profile(name) for name in RESIDENCE_PROFILES)
    assert not any(is_residence_profile(name) for name in PROFILES)
    assert set(SOURCE.profiles) == set(PROFILES) | set(RESIDENCE_PROFILES)


def test_one_customers_card_does_not_count_against_the_next() -> None:
    """Residence chips look alike before the number: 'not verified N times in a row' counts
    only a card it can tell apart (by its signed photo), never the next customer's."""
    target = counter(CounterPolicy(training=True))
    for persona in range(3):
        card = build_residence_card("residence-genuine-2", persona=persona)
        checked = target.attach(card, reader=VIRTUAL, in_process=False).verify(
            card.card_number)
        assert checked.result.verdict is Verdict.NOT_VERIFIED  # no Agency CA installed
        assert checked.attempts_in_a_row == 1

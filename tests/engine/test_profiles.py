"""Every simulated profile gets its verdict and failing check, in-process."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date

import pytest

import testcards
from testcards.cli.demo import wrong_code
from tests.engine.codes import printed_code
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.check_ids import CheckId
from verifier.documents.my_number.checks import Verification, VerifyOptions, verify_card
from verifier.engine.verdict import Outcome, Reason, Verdict


@pytest.mark.parametrize("name", list(testcards.PROFILES))
def test_profile_gets_its_verdict(name: str, options: VerifyOptions) -> None:
    profile = testcards.PROFILES[name]
    card = testcards.build_card(name)
    result = verify_card(card, options, printed_code(name))
    failing = result.failing_check
    assert result.verdict is profile.expected, result.checks
    assert (failing.id if failing else None) == profile.failing_check


@pytest.mark.parametrize("persona", range(len(testcards.PERSONAS)))
def test_every_persona_is_genuine(persona: int, options: VerifyOptions) -> None:
    card = testcards.build_card("genuine", persona=persona)
    result = verify_card(card, options, testcards.PERSONAS[persona].code_b)
    assert result.verdict is Verdict.GENUINE, result.failing_check


def test_genuine_uses_few_exchanges_and_every_check_passes(options: VerifyOptions) -> None:
    no_text = replace(options, text_ap=False)
    card = testcards.build_card("genuine")
    result = verify_card(card, no_text, testcards.PERSONAS[0].code_b)
    assert result.verdict is Verdict.GENUINE
    assert result.apdu_count <= 7
    assert card.exchanges == result.apdu_count
    ran = {c.id: c.outcome for c in result.checks}
    assert ran[CheckId.TEXT_AP_SIGNATURE] is Outcome.SKIPPED
    assert all(o is Outcome.PASSED for i, o in ran.items()
               if i not in (CheckId.TEXT_AP_SIGNATURE, CheckId.TEXT_AP_CONSISTENT))


def test_text_ap_adds_at_most_six_exchanges(options: VerifyOptions) -> None:
    no_text = replace(options, text_ap=False)
    code = testcards.PERSONAS[0].code_b
    without = verify_card(testcards.build_card("genuine"), no_text, code).apdu_count
    result = verify_card(testcards.build_card("genuine"), options, code)
    assert result.verdict is Verdict.GENUINE
    assert result.check(CheckId.TEXT_AP_SIGNATURE).outcome is Outcome.PASSED  # type: ignore[union-attr]
    assert result.apdu_count - without <= 6  # its own tries query comes before its VERIFY
    assert result.personal is not None
    assert result.personal.text_name == testcards.PERSONAS[0].name


def test_wrong_code_costs_exactly_one_try(options: VerifyOptions) -> None:
    card = testcards.build_card("genuine")
    before = card.tries_left("card_face_b")
    result = verify_card(card, options, wrong_code(testcards.PERSONAS[0].code_b))
    assert result.verdict is Verdict.NOT_VERIFIED
    assert result.failing_check is not None
    assert result.failing_check.id is CheckId.CODE_B_VERIFY
    assert result.failing_check.reason is Reason.CODE_REJECTED
    assert card.tries_left("card_face_b") == before - 1
    assert result.card.retries_left == before - 1
    assert result.personal is None


@pytest.mark.parametrize("name", ["low-retries", "locked"])
def test_no_verify_is_sent_when_tries_are_low(name: str, options: VerifyOptions) -> None:
    card = testcards.build_card(name)
    before = card.tries_left("card_face_b")
    result = verify_card(card, options, printed_code(name))
    assert result.verdict is Verdict.NOT_VERIFIED
    assert card.tries_left("card_face_b") == before
    verifies_with_data = [c for c in card.commands if c[1] == p.INS_VERIFY and len(c) > 4
                          and c[4] > 0]
    assert verifies_with_data == []


def test_keep_tries_floor_is_configurable(options: VerifyOptions) -> None:
    loose = replace(options, keep_tries=1)
    result = verify_card(testcards.build_card("low-retries"), loose, testcards.PERSONAS[0].code_b)
    assert result.check(CheckId.CODE_B_RETRIES).outcome is Outcome.PASSED  # type: ignore[union-attr]


@pytest.mark.parametrize("quirks", ["", "no-sfi", "no-extended,no-sfi,t0"])
def test_never_touches_the_my_number_files(quirks: str, options: VerifyOptions) -> None:
    card = testcards.build_card("genuine", quirks=testcards.parse_quirks(quirks))
    result = verify_card(card, options, testcards.PERSONAS[0].code_b)
    assert result.verdict is Verdict.GENUINE
    touched = set(card.files_touched)
    assert (p.AID_CARD_FACE, p.EF_CF_FACE) in touched  # the record is real, not empty
    assert (p.AID_TEXT, p.EF_TX_BASIC_FOUR) in touched
    assert (p.AID_CARD_FACE, p.EF_CF_MY_NUMBER_IMAGE) not in touched
    assert (p.AID_CARD_FACE, p.EF_CF_KEY_CODE_A) not in touched
    assert (p.AID_TEXT, p.EF_TX_MY_NUMBER) not in touched


def test_session_refuses_the_my_number_files() -> None:
    from verifier.engine.session import CardSession, ForbiddenFileError

    session = CardSession(testcards.build_card("genuine"))
    session.forbid(p.FORBIDDEN_EFS)  # what every My Number verification tells its session
    session.select_ap(p.AID_CARD_FACE)
    with pytest.raises(ForbiddenFileError):
        session.read_file(p.EF_CF_MY_NUMBER_IMAGE)
    session.select_ap(p.AID_TEXT)
    with pytest.raises(ForbiddenFileError):
        session.read_file(p.EF_TX_MY_NUMBER)


def test_untrusted_simulated_hierarchy_is_invalid_card() -> None:
    from verifier.documents.my_number.trust import TrustStore

    strict = VerifyOptions(trust=TrustStore.builtin(), today=date.today(), simulated=True)
    card = testcards.build_card("genuine")
    result = verify_card(card, strict, testcards.PERSONAS[0].code_b)
    assert result.verdict is Verdict.INVALID_CARD
    assert result.failing_check is not None
    assert result.failing_check.reason is Reason.UNTRUSTED_HIERARCHY
    assert card.tries_left("card_face_b") == 10  # no try spent on a card we cannot accept


def test_precheck_sends_no_verify_then_verify_completes(options: VerifyOptions) -> None:
    card = testcards.build_card("genuine")
    verification = Verification(card, options)
    pre = verification.precheck()
    assert pre.verdict is Verdict.NOT_VERIFIED
    assert pre.card.retries_left == 10
    assert pre.check(CheckId.CODE_B_VERIFY) is None
    assert not any(c[1] == p.INS_VERIFY and len(c) > 4 and c[4] for c in card.commands)
    final = verification.verify(testcards.PERSONAS[0].code_b)
    assert final.verdict is Verdict.GENUINE


def test_precheck_catches_blank_chip_without_code(options: VerifyOptions) -> None:
    pre = Verification(testcards.build_card("blank-chip"), options).precheck()
    assert pre.verdict is Verdict.COUNTERFEIT_SUSPECTED
    assert pre.failing_check is not None and pre.failing_check.id is CheckId.AP_CARD_FACE


def test_photo_is_decoded_only_for_a_verified_signature(options: VerifyOptions) -> None:
    shown = replace(options, decode_photo=True)
    genuine = verify_card(testcards.build_card("genuine"), shown, testcards.PERSONAS[0].code_b)
    assert genuine.personal is not None and genuine.personal.photo_png is not None
    assert genuine.personal.photo_png.startswith(b"\x89PNG")
    tampered = verify_card(testcards.build_card("tampered-photo"), shown,
                           testcards.PERSONAS[0].code_b)
    assert tampered.personal is None


def test_photo_is_not_decoded_when_no_output_carries_it(options: VerifyOptions) -> None:
    result = verify_card(testcards.build_card("genuine"), options, testcards.PERSONAS[0].code_b)
    assert result.personal is not None and result.personal.photo_jp2
    assert result.personal.photo_png is None


def test_results_share_nothing_between_cards(options: VerifyOptions) -> None:
    first = verify_card(testcards.build_card("genuine", persona=0), options,
                        testcards.PERSONAS[0].code_b)
    second = verify_card(testcards.build_card("genuine", persona=1), options,
                         testcards.PERSONAS[1].code_b)
    assert first.personal is not None and second.personal is not None
    assert hashlib.sha256(first.personal.photo_jp2 or b"").digest() != \
        hashlib.sha256(second.personal.photo_jp2 or b"").digest()
    assert first.personal.birth_date != second.personal.birth_date


def test_card_removed_mid_read_is_not_verified(options: VerifyOptions) -> None:
    full = verify_card(testcards.build_card("genuine"), options,
                       testcards.PERSONAS[0].code_b).apdu_count
    for n in range(0, full):
        card = testcards.build_card("genuine", quirks=testcards.parse_quirks(f"tear-after={n}"))
        result = verify_card(card, options, testcards.PERSONAS[0].code_b)
        assert result.verdict is Verdict.NOT_VERIFIED, n
        assert result.failing_check is not None
        assert result.failing_check.reason is Reason.CARD_REMOVED, n
        assert result.personal is None, n

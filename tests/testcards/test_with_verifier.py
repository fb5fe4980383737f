"""End to end, in-process: the verifier gives every simulated profile its documented verdict,
through every quirk, fast."""

from __future__ import annotations

from datetime import date

import pytest

import testcards
from verifier.documents.my_number.checks import VerifyOptions, verify_card
from verifier.engine.verdict import Verdict

TODAY = date(2026, 11, 23)
QUIRKS = ["", "no-extended", "no-sfi", "t0", "wrong-le", "contactless",
          "no-extended,no-sfi,t0,wrong-le"]


@pytest.fixture(scope="module")
def options() -> VerifyOptions:
    from verifier.documents.my_number.trust import TrustStore

    return VerifyOptions(trust=TrustStore.builtin(accepted=("production", "simulated")),
                         today=TODAY, simulated=True)


@pytest.mark.parametrize("name", list(testcards.PROFILES))
def test_profile_verdict(name: str, options: VerifyOptions) -> None:
    profile = testcards.PROFILES[name]
    card = testcards.build_card(name)
    result = verify_card(card, options, card.code_b)  # the code printed on this card
    failing = result.failing_check
    assert result.verdict is profile.expected, result.checks
    assert (failing.id if failing else None) == profile.failing_check


@pytest.mark.parametrize("quirks", QUIRKS)
def test_genuine_through_every_quirk(quirks: str, options: VerifyOptions) -> None:
    card = testcards.build_card("genuine", quirks=testcards.parse_quirks(quirks))
    result = verify_card(card, options, card.code_b)
    assert result.verdict is Verdict.GENUINE, (quirks, result.failing_check)
    assert card.exchanges == result.apdu_count


def test_the_my_number_files_are_never_touched(options: VerifyOptions) -> None:
    from verifier.documents.my_number import constants as p

    card = testcards.build_card("genuine")
    verify_card(card, options, card.code_b)
    touched = set(card.files_touched)
    assert (p.AID_CARD_FACE, p.EF_CF_FACE) in touched  # the record works...
    assert (p.AID_CARD_FACE, p.EF_CF_MY_NUMBER_IMAGE) not in touched  # ...and proves this
    assert (p.AID_TEXT, p.EF_TX_MY_NUMBER) not in touched


# --- the field's behaviour against the engine ------------------------------------------------
# The field's behaviour (card-spec.md 7) that once made the engine accuse genuine cards.
def _verdict(card: testcards.SimulatedCard, options: VerifyOptions,
             code: str | None = None) -> tuple[Verdict, object, int]:
    from verifier.documents.my_number.code_b import parse_code_b

    result = verify_card(card, options, parse_code_b(code) if code else card.code_b)
    failing = result.failing_check
    return result.verdict, failing and (failing.id, failing.reason), result.apdu_count


def test_6f00_after_power_up_does_not_accuse_a_genuine_card(options: VerifyOptions) -> None:
    card = testcards.build_card("genuine", quirks=testcards.parse_quirks("6f00-after-power-up"))
    assert _verdict(card, options)[0] is not Verdict.COUNTERFEIT_SUSPECTED


def test_one_transient_answer_never_accuses_a_genuine_card(options: VerifyOptions) -> None:
    total = verify_card(testcards.build_card("genuine"), options,
                        testcards.PERSONAS[0].code_b).apdu_count
    accused = {}
    for n in range(1, total + 1):
        card = testcards.build_card("genuine", quirks=testcards.parse_quirks(f"transient={n}"))
        verdict, failing, _ = _verdict(card, options)
        if verdict is Verdict.COUNTERFEIT_SUSPECTED:
            accused[n] = failing
    assert accused == {}


@pytest.mark.parametrize("text_ap", [True, False])
def test_a_key_left_open_is_no_proof_of_the_typed_code(text_ap: bool,
                                                      options: VerifyOptions) -> None:
    from dataclasses import replace

    from verifier.documents.my_number import constants as p

    card = testcards.build_card("genuine")
    # Another program on the PC opened 照合番号B and ended its session with a warm reset.
    card.transmit(bytes.fromhex("00A4040C0A") + p.AID_CARD_FACE)
    assert card.transmit(bytes.fromhex("002000920E") + card.code_b.to_bytes()) == b"\x90\x00"
    card.warm_reset()
    mistyped = card.code_b.digits[:-4] + "0000"
    verdict, _, _ = _verdict(card, replace(options, text_ap=text_ap), mistyped)
    assert verdict is Verdict.NOT_VERIFIED


def test_a_dribbling_card_face_costs_a_bounded_number_of_exchanges(
        options: VerifyOptions) -> None:
    card = testcards.build_card("genuine", quirks=testcards.parse_quirks("dribble"))
    verdict, _, exchanges = _verdict(card, options)
    assert exchanges < 2000
    assert verdict is not Verdict.GENUINE

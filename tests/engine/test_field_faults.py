"""Field faults never accuse a genuine card (rule 7), and never cost more than one VERIFY per
key: 6F00 after power-up, a one-off transient answer at any exchange, a key another program left
open, a card that dribbles its file, a programming error inside a check."""

from __future__ import annotations

from dataclasses import replace

import pytest

import testcards
from verifier.documents.my_number import checks
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.check_ids import CheckId
from verifier.documents.my_number.checks import Verification, VerifyOptions, verify_card
from verifier.documents.my_number.code_b import parse_code_b
from verifier.engine.verdict import Outcome, Reason, Verdict
from verifier.errors import InternalError

CODE = testcards.PERSONAS[0].code_b
VERIFY_WITH_DIGITS = 0x20


def verifies(card: testcards.SimulatedCard) -> list[bytes]:
    """The VERIFY commands that carried digits (the log keeps header + Lc only)."""
    return [c for c in card.commands if c[1] == VERIFY_WITH_DIGITS and len(c) > 4]


def genuine_exchanges(options: VerifyOptions) -> int:
    return verify_card(testcards.build_card("genuine"), options, CODE).apdu_count


@pytest.mark.parametrize("sw", ["6F00", "6581", "6400", "6881"])
def test_one_transient_answer_at_any_exchange(options: VerifyOptions, sw: str) -> None:
    genuine = 0
    total = genuine_exchanges(options)
    for n in range(1, total + 2):
        card = testcards.build_card("genuine", quirks=testcards.parse_quirks(f"transient={n}:{sw}"))
        result = verify_card(card, options, CODE)
        assert result.verdict in (Verdict.GENUINE, Verdict.NOT_VERIFIED), (n, result.failing_check)
        assert len(verifies(card)) <= 2  # one per key: card face and text AP
        assert card.tries_left("card_face_b") == p.CODE_B_MAX_TRIES
        genuine += result.verdict is Verdict.GENUINE
    # Only the VERIFY and the challenge are never resent; every other position recovers.
    assert genuine >= total - 3


def test_6f00_after_power_up_twice_on_the_same_card(options: VerifyOptions) -> None:
    card = testcards.build_card("genuine", quirks=testcards.parse_quirks("6f00-after-power-up"))
    for _ in range(2):
        assert verify_card(card, options, CODE).verdict is Verdict.GENUINE
        card.power_cycle()  # the end of a card session, as PcscTransport.close does


def open_key_elsewhere(card: testcards.SimulatedCard) -> None:
    """Another program opened 照合番号B and ended with a warm reset (the key stays open)."""
    card.transmit(bytes.fromhex("00A4040C0A") + p.AID_CARD_FACE)
    assert card.transmit(bytes.fromhex("002000920E") + card.code_b.to_bytes()) == b"\x90\x00"
    card.warm_reset()


def test_open_key_and_a_mistyped_code(options: VerifyOptions) -> None:
    card = testcards.build_card("genuine")
    open_key_elsewhere(card)
    mistyped = parse_code_b(CODE.digits[:-4] + "0000")
    result = verify_card(card, options, mistyped)
    assert result.verdict is Verdict.NOT_VERIFIED
    failing = result.failing_check
    assert failing is not None and failing.id is CheckId.CODE_B_VERIFY
    assert failing.reason is Reason.CODE_REJECTED
    assert card.tries_left("text_b") == p.CODE_B_MAX_TRIES  # no VERIFY on the text-AP key
    assert "power_down" in card.events


def test_open_key_and_the_right_code(options: VerifyOptions) -> None:
    card = testcards.build_card("genuine")
    open_key_elsewhere(card)
    assert verify_card(card, options, CODE).verdict is Verdict.GENUINE


class _NoPowerCycle:
    """A transport that cannot power the card down (a remote link, say)."""

    def __init__(self, card: testcards.SimulatedCard) -> None:
        self.card = card

    def transmit(self, apdu: bytes) -> bytes:
        return self.card.transmit(apdu)

    def close(self) -> None:
        pass


def test_a_key_that_cannot_be_closed_is_not_verified(options: VerifyOptions) -> None:
    card = testcards.build_card("genuine")
    open_key_elsewhere(card)
    result = verify_card(_NoPowerCycle(card), options, CODE)
    assert result.verdict is Verdict.NOT_VERIFIED
    assert result.failing_check is not None and result.failing_check.reason is Reason.KEY_OPEN
    assert verifies(card) == [bytes.fromhex("002000920E")]  # only the other program's


def test_text_ap_key_gets_its_own_floor(options: VerifyOptions) -> None:
    card = testcards.build_card("genuine")
    card.transmit(bytes.fromhex("00A4040C0A") + p.AID_TEXT)
    for _ in range(p.CODE_B_MAX_TRIES - 3):
        card.transmit(bytes.fromhex("002000950E") + b"0" * 14)
    assert card.tries_left("text_b") == 3
    card.power_cycle()
    result = verify_card(card, options, CODE)
    check = result.check(CheckId.TEXT_AP_SIGNATURE)
    assert check is not None and check.reason is Reason.TOO_FEW_TRIES
    assert result.verdict is Verdict.NOT_VERIFIED
    assert card.tries_left("text_b") == 3


def test_dribbling_card_is_not_verified_within_bounds(options: VerifyOptions) -> None:
    card = testcards.build_card("genuine", quirks=testcards.parse_quirks("dribble"))
    result = verify_card(card, options, CODE)
    assert result.verdict is Verdict.NOT_VERIFIED
    assert result.failing_check is not None and result.failing_check.reason is Reason.TIMEOUT
    assert result.apdu_count < 400


def test_deadline_ends_a_slow_verification(options: VerifyOptions) -> None:
    ticks = iter(range(10_000))
    card = testcards.build_card("genuine")
    verification = Verification(card, replace(options, deadline_s=5.0),
                                deadline_clock=lambda: float(next(ticks)))
    result = verification.verify(CODE)
    assert result.verdict is Verdict.NOT_VERIFIED
    assert result.failing_check is not None and result.failing_check.reason is Reason.TIMEOUT


def test_abandoned_verification_sends_nothing_more(options: VerifyOptions) -> None:
    card = testcards.build_card("genuine")
    verification = Verification(card, options)
    verification.abandon()
    result = verification.verify(CODE)
    assert result.verdict is Verdict.NOT_VERIFIED and card.exchanges == 0


def test_a_bug_in_a_check_is_never_an_accusation(options: VerifyOptions,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> bool:
        raise ZeroDivisionError

    monkeypatch.setattr(checks, "verify_card_face", broken)
    result = verify_card(testcards.build_card("genuine"), options, CODE)
    assert result.verdict is Verdict.NOT_VERIFIED
    failing = result.failing_check
    assert failing is not None and failing.reason is Reason.INTERNAL_ERROR


def test_an_internal_invariant_failure_is_never_an_accusation(
        options: VerifyOptions, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> bool:
        raise InternalError("an invariant of ours failed")

    monkeypatch.setattr(checks, "verify_card_face", broken)
    result = verify_card(testcards.build_card("genuine"), options, CODE)
    assert result.verdict is Verdict.NOT_VERIFIED
    failing = result.failing_check
    assert failing is not None and failing.id is CheckId.CARD_FACE_SIGNATURE
    assert failing.reason is Reason.INTERNAL_ERROR


@pytest.mark.parametrize("check_id", [CheckId.CHIP_AUTHENTIC, CheckId.CODE_B_CONSISTENT,
                                      CheckId.CARD_NOT_EXPIRED, CheckId.CARD_FACE_SIGNATURE])
def test_a_check_run_out_of_order_is_not_verified(options: VerifyOptions,
                                                  check_id: CheckId) -> None:
    """A sequencing bug of ours: a step that needs the card face (or a trusted certificate)
    run before it. Its guard raises InternalError, which is never evidence."""
    verification = Verification(testcards.build_card("genuine"), options)
    steps = {CheckId.CHIP_AUTHENTIC: verification._step_chip_authentic,
             CheckId.CODE_B_CONSISTENT: lambda: verification._step_consistent(CODE),
             CheckId.CARD_NOT_EXPIRED: verification._step_not_expired,
             CheckId.CARD_FACE_SIGNATURE: verification._step_card_face_signature}
    verification._run(check_id, steps[check_id])
    result = verification._result()
    assert result.verdict is Verdict.NOT_VERIFIED
    failing = result.failing_check
    assert failing is not None and failing.reason is Reason.INTERNAL_ERROR


def test_not_found_once_is_read_again(options: VerifyOptions) -> None:
    card = testcards.build_card("genuine", quirks=testcards.parse_quirks("transient=1:6A82"))
    assert verify_card(card, options, CODE).verdict is Verdict.GENUINE
    blank = testcards.build_card("blank-chip")
    result = Verification(blank, options).precheck()
    assert result.verdict is Verdict.COUNTERFEIT_SUSPECTED and blank.exchanges == 2


def test_challenge_refused_is_not_verified(options: VerifyOptions) -> None:
    total = genuine_exchanges(replace(options, text_ap=False))
    card = testcards.build_card("genuine", quirks=testcards.parse_quirks(f"transient={total}:6985"))
    result = verify_card(card, replace(options, text_ap=False), CODE)
    check = result.check(CheckId.CHIP_AUTHENTIC)
    assert check is not None and check.outcome is Outcome.FAILED
    assert result.verdict is Verdict.NOT_VERIFIED

"""The field's faults through pcscd + vpcd + pyscard, verified by the application layer as the
CLI and the GUI run it: never an accusation, one VERIFY per key, no key left open, bounded."""

from __future__ import annotations

import time

import pytest
from test_pcsc_power import VERIFY_B, context, open_code_b_and_disconnect, read_face_header
from vpcd_cards import ServeCard, wait_until

import testcards
from verifier.counter.policy import CounterPolicy
from verifier.counter.sources import SourceSpec
from verifier.counter.visit import Counter
from verifier.documents.my_number.check_ids import CheckId
from verifier.documents.my_number.code_b import parse_code_b
from verifier.engine.verdict import Reason, Verdict

pytestmark = pytest.mark.pcsc

CODE = testcards.PERSONAS[0].code_b


def counter(**policy: object) -> Counter:
    return Counter(CounterPolicy(hierarchies=("simulated",), training=True, **policy))  # type: ignore[arg-type]


def test_6f00_after_power_up_is_genuine_twice_in_a_row(serve_card: ServeCard) -> None:
    card = testcards.build_card("genuine", quirks=testcards.parse_quirks("6f00-after-power-up"))
    served = serve_card(lambda: card)
    desk = counter()
    for _ in range(2):
        checked = desk.check(SourceSpec(reader=served.reader), CODE)
        assert checked.result.verdict is Verdict.GENUINE, checked.result.failing_check


@pytest.mark.parametrize("n", [1, 2, 4, 6, 9])
def test_one_6f00_at_exchange_n_is_never_an_accusation(serve_card: ServeCard, n: int) -> None:
    card = testcards.build_card("genuine", quirks=testcards.parse_quirks(f"transient={n}"))
    served = serve_card(lambda: card)
    result = counter().check(SourceSpec(reader=served.reader), CODE).result
    failing = result.failing_check
    if failing is None:
        assert result.verdict is Verdict.GENUINE
    else:  # only the VERIFY and the challenge are never sent twice
        assert result.verdict is Verdict.NOT_VERIFIED
        assert failing.id in (CheckId.CODE_B_VERIFY, CheckId.CHIP_AUTHENTIC), failing
    assert card.tries_left("card_face_b") == 10 and card.tries_left("text_b") == 10


def test_no_key_is_left_open_after_a_verification(serve_card: ServeCard) -> None:
    card = testcards.build_card("genuine")
    served = serve_card(lambda: card)
    assert counter().check(SourceSpec(reader=served.reader), CODE).result.verdict \
        is Verdict.GENUINE
    with context() as handle:
        assert read_face_header(handle, served.reader) == 0x6982


def test_a_key_left_open_by_another_program(serve_card: ServeCard) -> None:
    card = testcards.build_card("genuine")
    served = serve_card(lambda: card)
    mistyped = parse_code_b(CODE.digits[:-4] + "0000")
    with context() as handle:
        from test_pcsc_power import connect, disconnect

        holder = connect(handle, served.reader)  # keeps pcscd from powering the card down
        open_code_b_and_disconnect(handle, served.reader, "SCARD_RESET_CARD")
        assert wait_until(lambda: card.key_open("card_face_b"))
        # We hold the card alone (rule 9): the other program lets go just before we connect,
        # well inside pcscd's idle power-down delay, so the key is still open.
        disconnect(holder, "SCARD_LEAVE_CARD")
        result = counter().check(SourceSpec(reader=served.reader), mistyped).result
        assert result.verdict is Verdict.NOT_VERIFIED
        failing = result.failing_check
        assert failing is not None and failing.id is CheckId.CODE_B_VERIFY
        assert failing.reason is Reason.CODE_REJECTED
        assert card.tries_left("text_b") == 10  # the text-AP key never saw the wrong digits
        holder = connect(handle, served.reader)
        open_code_b_and_disconnect(handle, served.reader, "SCARD_RESET_CARD")
        assert wait_until(lambda: card.key_open("card_face_b"))
        disconnect(holder, "SCARD_LEAVE_CARD")
        assert counter().check(SourceSpec(reader=served.reader), CODE).result.verdict \
            is Verdict.GENUINE
    assert VERIFY_B[:5] in card.commands  # the other program's VERIFY, as the card logs it


def test_dribbling_card_then_the_next_card_at_once(serve_card: ServeCard) -> None:
    cards: list[testcards.SimulatedCard] = []

    def factory() -> testcards.SimulatedCard:
        quirks = "dribble" if not cards else ""
        cards.append(testcards.build_card("genuine", quirks=testcards.parse_quirks(quirks)))
        return cards[-1]

    served = serve_card(factory)
    started = time.monotonic()
    first = counter(deadline_s=5.0).check(SourceSpec(reader=served.reader), CODE).result
    assert time.monotonic() - started < 8.0
    assert first.verdict is Verdict.NOT_VERIFIED
    assert first.failing_check is not None
    assert first.failing_check.reason in (Reason.TIMEOUT,)
    served.bridge.eject()
    assert wait_until(lambda: len(cards) == 2, timeout_s=10)
    second = counter().check(SourceSpec(reader=served.reader, wait_s=5), CODE).result
    assert second.verdict is Verdict.GENUINE

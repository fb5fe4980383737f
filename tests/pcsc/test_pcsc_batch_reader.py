"""A batch whose lines name one reader two ways ("0" and its full name), through pcscd: one
worker for the one card, so the floor of tries sees each VERIFY before deciding the next.

Measured before the fix: two workers, a genuine card with 4 tries left, the same wrong code on
both lines, floor 3 → both VERIFYs reached the card and left it at 2 tries, below the floor."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from vpcd_cards import ServeCard

import testcards
from apdu import pcsc
from verifier.counter.batch import BatchOutcome, parse_requests, run_batch
from verifier.counter.policy import CounterPolicy
from verifier.counter.visit import Counter
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.check_ids import CheckId
from verifier.documents.my_number.code_b import parse_code_b
from verifier.engine.verdict import Reason, Verdict

pytestmark = pytest.mark.pcsc

CODE = testcards.PERSONAS[0].code_b
WRONG = parse_code_b(CODE.digits[:-4] + "0000")
SELECT_CARD_FACE = bytes.fromhex("00A4040C0A") + p.AID_CARD_FACE
FLOOR = 3


def card_with_tries(left: int) -> testcards.SimulatedCard:
    """A genuine card whose 照合番号B has `left` tries: wrong codes spent before it is served."""
    card = testcards.build_card("genuine")
    assert card.transmit(SELECT_CARD_FACE) == bytes.fromhex("9000")
    verify = bytes((p.CLA, p.INS_VERIFY, 0, p.VERIFY_P2_SELECTED))
    assert card.transmit(bytes.fromhex("00A4020C02") + p.EF_CF_KEY_CODE_B.to_bytes(2, "big")) \
        == bytes.fromhex("9000")
    while card.tries_left("card_face_b") > left:
        card.transmit(verify + bytes((len(WRONG.to_bytes()),)) + WRONG.to_bytes())
    card.power_cycle()
    return card


def digit_verifies(commands: list[bytes]) -> int:
    """VERIFYs that carried digits (the card logs them as header + Lc 0E, never the digits)."""
    return sum(1 for c in commands if c[1] == p.INS_VERIFY and c[4:5] == b"\x0e")


def test_one_reader_named_two_ways_gets_one_worker_and_one_verify(serve_card: ServeCard) -> None:
    card = card_with_tries(4)
    spent_before = digit_verifies(card.commands)
    served = serve_card(lambda: card)
    index = [r.name for r in pcsc.list_readers()].index(served.reader)
    lines = [f'{{"id": "by-index", "reader": "{index}", "code_b": "{WRONG.digits}"}}',
             f'{{"id": "by-name", "reader": "{served.reader}", "code_b": "{WRONG.digits}"}}']
    requests, rejected = parse_requests("\n".join(lines), today=date.today())
    assert not rejected and len(requests) == 2

    outcomes: list[tuple[str, BatchOutcome]] = []

    def collect(outcome: BatchOutcome) -> None:
        outcomes.append((threading.current_thread().name, outcome))

    desk = Counter(CounterPolicy(hierarchies=("simulated",), training=True, keep_tries=FLOOR))
    run_batch(requests, desk, collect)

    assert digit_verifies(card.commands) - spent_before == 1
    assert card.tries_left("card_face_b") == FLOOR
    # one worker, the file's order: the first line spent the try, the second met the floor
    assert [name for name, _ in outcomes] == [f"reader:{served.reader}"] * 2
    assert [o.request.id for _, o in outcomes] == ["by-index", "by-name"]
    first, second = (o.checked.result for _, o in outcomes)
    assert first.verdict is second.verdict is Verdict.NOT_VERIFIED
    assert first.failing_check is not None and second.failing_check is not None
    assert first.failing_check.reason is Reason.CODE_REJECTED
    assert second.failing_check.id is CheckId.CODE_B_RETRIES
    assert second.failing_check.reason is Reason.TOO_FEW_TRIES


def test_a_code_the_card_rejected_is_never_sent_to_it_again(serve_card: ServeCard) -> None:
    card = card_with_tries(10)
    served = serve_card(lambda: card)
    lines = [f'{{"id": {n}, "reader": "{served.reader}", "code_b": "{WRONG.digits}"}}'
             for n in (1, 2, 3)]
    requests, rejected = parse_requests("\n".join(lines), today=date.today())
    assert not rejected
    outcomes: list[BatchOutcome] = []
    refused: list[tuple[int, str]] = []
    desk = Counter(CounterPolicy(hierarchies=("simulated",), training=True, keep_tries=FLOOR))
    run_batch(requests, desk, outcomes.append,
              on_refused=lambda request, error: refused.append((request.id, str(error))))
    assert digit_verifies(card.commands) == 1  # the first line's; nothing after it
    assert card.tries_left("card_face_b") == 9
    assert [o.request.id for o in outcomes] == [1]
    assert [request_id for request_id, _ in refused] == [2, 3]
    assert all("already rejected this code" in message for _, message in refused)

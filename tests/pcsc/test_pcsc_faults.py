"""Faults through the real stack end as NOT_VERIFIED with a specific reason, and the next card
verifies normally: a card that stops answering, and pcscd restarted in the middle of a batch."""

from __future__ import annotations

import json
import threading
import time
from datetime import date

import pytest
from vpcd_cards import PcscdScript, ServeCard

import testcards
from apdu import pcsc
from verifier.counter.batch import BatchOutcome, BatchRequest, run_batch
from verifier.counter.policy import CounterPolicy
from verifier.counter.sources import SourceSpec
from verifier.counter.visit import Counter
from verifier.documents.my_number.checks import Verification, VerifyOptions
from verifier.documents.my_number.trust import TrustStore
from verifier.engine.verdict import Reason, Verdict

pytestmark = pytest.mark.pcsc

OPTIONS = VerifyOptions(trust=TrustStore.builtin(accepted=("production", "simulated")),
                        today=date(2026, 11, 23), simulated=True)
CODE = testcards.PERSONAS[0].code_b
WAIT_S = 10.0


def test_card_that_stops_answering_times_out_then_next_card_verifies(
        serve_card: ServeCard) -> None:
    cards: list[testcards.SimulatedCard] = []

    def factory() -> testcards.SimulatedCard:
        # The first card is mute for 3 s per answer; the one after it is a normal card.
        quirks = "slow=3000" if not cards else ""
        cards.append(testcards.build_card("genuine", quirks=testcards.parse_quirks(quirks)))
        return cards[-1]

    served = serve_card(factory, slot=0)
    started = time.monotonic()
    transport = pcsc.PcscTransport(served.reader, timeout_s=0.5)
    try:
        result = Verification(transport, OPTIONS).verify(CODE)
    finally:
        transport.close()
    assert time.monotonic() - started < 2.5  # the caller was not held for the mute card
    assert result.verdict is Verdict.NOT_VERIFIED
    failing = result.failing_check
    assert failing is not None and failing.reason is Reason.TIMEOUT
    assert "stopped answering" in failing.detail.en
    assert result.personal is None

    served.bridge.eject()
    assert pcsc.wait_for_card_removal(served.reader, WAIT_S)
    pcsc.wait_for_card(served.reader, WAIT_S)
    with pcsc.PcscTransport(served.reader) as again:
        assert Verification(again, OPTIONS).verify(CODE).verdict is Verdict.GENUINE
    assert len(cards) == 2


def test_pcscd_restarted_during_a_batch(serve_card: ServeCard,
                                        restartable_pcscd: PcscdScript) -> None:
    slow = testcards.parse_quirks("slow=40")
    served = serve_card(lambda: testcards.build_card("genuine", quirks=slow), slot=0)
    requests = [BatchRequest(i, f"r{i}", SourceSpec(reader=served.reader, wait_s=WAIT_S), CODE)
                for i in range(12)]
    outcomes: list[BatchOutcome] = []
    restarted = threading.Event()

    def collect(outcome: BatchOutcome) -> None:
        outcomes.append(outcome)
        if len(outcomes) == 3 and not restarted.is_set():
            restarted.set()
            threading.Thread(target=restart, daemon=True).start()

    def restart() -> None:
        assert restartable_pcscd("stop").returncode == 0
        time.sleep(0.3)
        assert restartable_pcscd("start").returncode == 0

    run_batch(requests, Counter(CounterPolicy(hierarchies=("simulated",), training=True)), collect)
    assert restarted.is_set()
    assert [o.request.id for o in outcomes] == [r.id for r in requests]  # in order, none lost
    verdicts = [o.checked.result.verdict for o in outcomes]
    assert verdicts[:3] == [Verdict.GENUINE] * 3
    assert verdicts[-1] is Verdict.GENUINE  # the reader came back and the card verified
    for outcome in outcomes:
        result = outcome.checked.result
        assert result.verdict in (Verdict.GENUINE, Verdict.NOT_VERIFIED)
        if result.verdict is Verdict.NOT_VERIFIED:
            failing = result.failing_check
            assert failing is not None
            assert failing.reason in (Reason.READER_ERROR, Reason.CARD_REMOVED,
                                      Reason.SERVICE_NOT_RUNNING), failing
            assert "(" in failing.detail.en  # the specific cause, not just "the reader failed"
            assert result.personal is None
    json.dumps([o.checked.result.to_json() for o in outcomes])  # every result is reportable

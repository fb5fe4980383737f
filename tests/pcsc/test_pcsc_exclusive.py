"""Rule 9, the card is ours while we read it, through pcscd + vpcd + pyscard: another program
(a separate process, tests/pcsc/other_program.py) uses the same reader while the application
layer verifies a genuine card. Its commands never land between ours, so it can never turn a
genuine card into 偽造の疑い; while we hold the card its connect is refused; and a card it holds
is "reader busy" for the clerk, quickly, never an accusation.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from vpcd_cards import ServeCard

import testcards
from apdu import pcsc
from apdu.errors import SharingViolationError
from verifier.counter.policy import CounterPolicy
from verifier.counter.sources import SourceSpec
from verifier.counter.visit import Counter
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.check_ids import CheckId
from verifier.engine import messages
from verifier.engine.verdict import Reason, Result, Verdict

pytestmark = pytest.mark.pcsc

OTHER_PROGRAM = Path(__file__).with_name("other_program.py")
SELECT_CARD_FACE = bytes.fromhex("00A4040C0A") + p.AID_CARD_FACE
CODE = testcards.PERSONAS[0].code_b
RUNS = 8


class OtherProgram:
    """other_program.py in its own process; `stop()` closes its stdin and returns its report."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen([sys.executable, str(OTHER_PROGRAM), *args],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)
        assert self.process.stdout is not None
        self.ready = json.loads(self.process.stdout.readline() or "{}")
        assert self.ready.get("event") == "ready", self.ready

    def stop(self) -> list[dict[str, Any]]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        lines = [json.loads(line) for line in self.process.stdout]
        assert self.process.wait(timeout=10) == 0
        return lines


@contextmanager
def other_program(*args: str) -> Iterator[OtherProgram]:
    program = OtherProgram(*args)
    try:
        yield program
    finally:
        if program.process.poll() is None:
            program.stop()


def counter() -> Counter:
    return Counter(CounterPolicy(hierarchies=("simulated",), training=True))


def outcome(result: Result) -> str:
    failing = result.failing_check
    if failing is None:
        return result.verdict.value
    reason = failing.reason.value if failing.reason else None
    return f"{result.verdict.value}:{failing.id.value}:{reason}"


def busy(result: Result) -> bool:
    failing = result.failing_check
    return (result.verdict is Verdict.NOT_VERIFIED and failing is not None
            and failing.reason is Reason.READER_BUSY)


def connect_from_another_process(reader: str) -> str:
    """The result code of one SHARED SCardConnect by another program."""
    with other_program("connect-once", reader) as program:
        return str(program.ready["first_connect"])


def test_a_program_reading_the_text_ap_in_a_loop_never_makes_a_genuine_card_suspect(
        serve_card: ServeCard) -> None:
    """The field report behind rule 9: another program selects the text AP and reads by short
    EF id over and over. Shared, our short-EF READ of EF 0004 read the text AP's certificate
    and the card was accused (old code, measured: 2 of 8 偽造の疑い, the rest mostly 確認できず
    from faults). Exclusive, the other program is refused while we hold the card."""
    served = serve_card(lambda: testcards.build_card("genuine"))
    desk = counter()
    with other_program("loop", served.reader, "--per-connect", "1", "--gap-ms", "1") as program:
        results = []
        for _ in range(RUNS):
            results.append(desk.check(SourceSpec(reader=served.reader), CODE).result)
            time.sleep(0.05)  # the other program gets the card between our visits
        report = program.stop()[-1]
    outcomes = [outcome(r) for r in results]
    assert all(r.verdict is Verdict.GENUINE or busy(r) for r in results), outcomes
    assert any(r.verdict is Verdict.GENUINE for r in results), outcomes
    counts = report["counts"]
    # It really ran alongside, and was turned away while a verification held the card.
    assert counts.get("transmit SCARD_S_SUCCESS", 0) >= RUNS, report
    assert counts.get("connect SCARD_E_SHARING_VIOLATION", 0) >= 1, report


def test_a_program_that_stays_connected_makes_the_reader_busy_never_an_accusation(
        serve_card: ServeCard) -> None:
    """The same program that never lets go: every visit is 確認できず (reader busy) after the
    bounded wait. Shared (old code) the same run gave 偽造の疑い 4 times in 8."""
    served = serve_card(lambda: testcards.build_card("genuine"))
    desk = counter()
    with other_program("loop", served.reader, "--stay") as program:
        results = [desk.check(SourceSpec(reader=served.reader), CODE).result for _ in range(3)]
        report = program.stop()[-1]
    assert all(busy(r) for r in results), [outcome(r) for r in results]
    assert report["counts"].get("transmit SCARD_S_SUCCESS", 0) > 0, report
    card = served.bridge.card
    assert isinstance(card, testcards.SimulatedCard)
    assert card.tries_left("card_face_b") == 10  # nothing of ours reached the card


def test_while_our_session_holds_the_card_another_programs_connect_is_refused(
        serve_card: ServeCard) -> None:
    served = serve_card(lambda: testcards.build_card("genuine"))
    assert connect_from_another_process(served.reader) == "SCARD_S_SUCCESS"  # free: it may
    visit = counter().open(SourceSpec(reader=served.reader))
    try:
        assert visit.precheck().result.failing_check is None
        assert connect_from_another_process(served.reader) == "SCARD_E_SHARING_VIOLATION"
        assert visit.may_verify()
        # The GUI's pause: the clerk types the code while the card stays ours.
        assert connect_from_another_process(served.reader) == "SCARD_E_SHARING_VIOLATION"
        assert visit.verify(CODE).result.verdict is Verdict.GENUINE
        assert connect_from_another_process(served.reader) == "SCARD_E_SHARING_VIOLATION"
    finally:
        visit.close()
    assert connect_from_another_process(served.reader) == "SCARD_S_SUCCESS"


def test_power_cycle_keeps_the_card_exclusive(serve_card: ServeCard) -> None:
    card = testcards.build_card("genuine")
    served = serve_card(lambda: card)
    with pcsc.PcscTransport(served.reader) as transport:
        transport.power_cycle()
        assert card.events[-2:] == ["power_down", "power_up"]
        assert connect_from_another_process(served.reader) == "SCARD_E_SHARING_VIOLATION"
        assert transport.transmit(SELECT_CARD_FACE) == bytes.fromhex("9000")


def test_a_card_another_program_holds_is_reader_busy_quickly_and_in_words(
        serve_card: ServeCard) -> None:
    card = testcards.build_card("genuine")
    served = serve_card(lambda: card)
    with other_program("hold", served.reader, "--share", "exclusive") as program:
        assert program.ready["first_connect"] == "SCARD_S_SUCCESS"
        started = time.monotonic()
        result = counter().check(SourceSpec(reader=served.reader), CODE).result
        elapsed = time.monotonic() - started
    assert busy(result), outcome(result)
    failing = result.failing_check
    assert failing is not None and failing.id == CheckId.CHIP_PRESENT
    assert failing.detail.ja == messages.FAILED[Reason.READER_BUSY].ja
    assert failing.detail.ja.startswith("他のソフトがこの読み取り機を使用中です")
    assert failing.detail.en.startswith("another program is using the reader")
    assert result.personal is None
    # The bounded wait (1.5 s) and no more: the clerk is told at once what to do.
    assert pcsc.DEFAULT_BUSY_WAIT_S - 0.1 <= elapsed < pcsc.DEFAULT_BUSY_WAIT_S + 1.0, elapsed
    assert card.commands == [] and card.tries_left("card_face_b") == 10


def test_a_program_holding_the_card_for_a_moment_is_waited_for(serve_card: ServeCard) -> None:
    """Windows' plug-and-play probe or a client's status poll holds a new card for
    milliseconds: the connect waits for it instead of telling the clerk the reader is busy."""
    served = serve_card(lambda: testcards.build_card("genuine"))
    program = OtherProgram("hold", served.reader, "--share", "exclusive")
    letting_go = threading.Timer(0.3, program.stop)
    letting_go.start()
    try:
        started = time.monotonic()
        with pcsc.PcscTransport(served.reader) as transport:
            waited = time.monotonic() - started
            assert transport.transmit(SELECT_CARD_FACE) == bytes.fromhex("9000")
    finally:
        letting_go.join()
    assert 0.25 <= waited < pcsc.DEFAULT_BUSY_WAIT_S, waited


def test_no_wait_when_asked_for_none(serve_card: ServeCard) -> None:
    served = serve_card(lambda: testcards.build_card("genuine"))
    with other_program("hold", served.reader, "--share", "shared"):
        started = time.monotonic()
        with pytest.raises(SharingViolationError, match="another program is using the reader"):
            pcsc.PcscTransport(served.reader, busy_wait_s=0)
        assert time.monotonic() - started < 0.5

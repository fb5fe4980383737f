"""CardMonitor events from the real pcscd."""

from __future__ import annotations

import queue
import threading
import time

import pytest
from vpcd_cards import TEST_ATR, ScriptedCard, ServeCard

from apdu import pcsc
from apdu.monitor import CardMonitor

pytestmark = pytest.mark.pcsc

EVENT_WAIT_S = 5.0


class Recorder:
    def __init__(self) -> None:
        self.events: queue.Queue[tuple[str, object]] = queue.Queue()
        self.threads: set[str] = set()

    def inserted(self, reader: str, atr: bytes) -> None:
        self.threads.add(threading.current_thread().name)
        self.events.put(("inserted", (reader, atr)))

    def removed(self, reader: str) -> None:
        self.events.put(("removed", reader))

    def readers(self, names: list[str]) -> None:
        self.events.put(("readers", names))

    def next(self) -> tuple[str, object]:
        return self.events.get(timeout=EVENT_WAIT_S)


@pytest.fixture
def recorder(vpcd_readers: tuple[str, str]) -> Recorder:
    return Recorder()


def test_monitor_reports_readers_then_insert_then_removal(
    recorder: Recorder, serve_card: ServeCard, vpcd_readers: tuple[str, str]
) -> None:
    monitor = CardMonitor(recorder.inserted, recorder.removed, recorder.readers)
    monitor.start()
    try:
        kind, names = recorder.next()
        assert kind == "readers"
        assert set(vpcd_readers) <= set(names)  # type: ignore[call-overload]

        served = serve_card(ScriptedCard, slot=0)
        assert recorder.next() == ("inserted", (vpcd_readers[0], TEST_ATR))

        # Using the card is not an event: no removal/insertion is reported for it.
        for _ in range(2):
            with pcsc.PcscTransport(vpcd_readers[0]) as connection:
                connection.transmit(bytes.fromhex("00 A4 04 0C 02 3F 00"))
        with pytest.raises(queue.Empty):
            recorder.events.get(timeout=1.0)

        served.bridge.stop()
        assert recorder.next() == ("removed", vpcd_readers[0])
        assert recorder.events.empty()
    finally:
        started = time.monotonic()
        monitor.stop()
        assert time.monotonic() - started < 1.0
    assert not monitor.running
    assert "card-monitor" in recorder.threads


def test_monitor_reports_a_card_already_present_at_start(
    recorder: Recorder, serve_card: ServeCard, vpcd_readers: tuple[str, str]
) -> None:
    serve_card(ScriptedCard, slot=1)
    monitor = CardMonitor(recorder.inserted, recorder.removed)
    monitor.start()
    try:
        assert recorder.next() == ("inserted", (vpcd_readers[1], TEST_ATR))
    finally:
        monitor.stop()


def test_monitor_sees_a_card_swapped_by_eject(
    recorder: Recorder, serve_card: ServeCard, vpcd_readers: tuple[str, str]
) -> None:
    served = serve_card(ScriptedCard, slot=0)
    monitor = CardMonitor(recorder.inserted, recorder.removed)
    monitor.start()
    try:
        assert recorder.next()[0] == "inserted"
        served.bridge.eject()
        assert recorder.next() == ("removed", vpcd_readers[0])
        assert recorder.next() == ("inserted", (vpcd_readers[0], TEST_ATR))
    finally:
        monitor.stop()


def test_a_failing_callback_does_not_stop_the_monitor(
    recorder: Recorder, serve_card: ServeCard, vpcd_readers: tuple[str, str]
) -> None:
    def explode(names: list[str]) -> None:
        raise RuntimeError("listener bug")

    monitor = CardMonitor(recorder.inserted, recorder.removed, explode)
    monitor.start()
    try:
        serve_card(ScriptedCard, slot=0)
        assert recorder.next() == ("inserted", (vpcd_readers[0], TEST_ATR))
        assert monitor.running
    finally:
        monitor.stop()

"""pcscd stopping and coming back: the monitor and the bridge recover by themselves.

Restarts the pcscd that scripts/pcscd.sh manages; a pcscd started some other way (by
systemd, by hand) is left alone and this test says it skipped.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
from pathlib import Path

import pytest
from vpcd_cards import TEST_ATR, PcscdScript, ScriptedCard, ServeCard

from apdu import pcsc
from apdu.monitor import CardMonitor

pytestmark = pytest.mark.pcsc

WAIT_S = 10.0


def test_service_not_running_is_reported_as_such(pcscd: None) -> None:
    # libpcsclite looks for pcscd's socket where this variable says: nowhere, here.
    env = dict(os.environ, PCSCLITE_CSOCK_NAME="/nonexistent/pcscd.comm")
    code = (
        "from apdu import pcsc\n"
        "from apdu.errors import ServiceNotRunningError\n"
        "try:\n    pcsc.list_readers()\n"
        "except ServiceNotRunningError as e:\n    print('mapped', type(e.__cause__).__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=30,
        check=False, cwd=Path(__file__).resolve().parents[2],
    )
    assert done.stdout.strip() == "mapped PcscFailure", done.stderr


def test_monitor_and_bridge_survive_a_pcscd_restart(
    serve_card: ServeCard, vpcd_readers: tuple[str, str], restartable_pcscd: PcscdScript
) -> None:
    events: queue.Queue[tuple[str, object]] = queue.Queue()
    monitor = CardMonitor(
        lambda reader, atr: events.put(("inserted", (reader, atr))),
        lambda reader: events.put(("removed", reader)),
        lambda names: events.put(("readers", tuple(names))),
    )
    served = serve_card(ScriptedCard, slot=0)
    monitor.start()
    try:
        assert events.get(timeout=WAIT_S)[0] == "readers"
        assert events.get(timeout=WAIT_S) == ("inserted", (vpcd_readers[0], TEST_ATR))

        assert restartable_pcscd("stop").returncode == 0
        assert events.get(timeout=WAIT_S) == ("removed", vpcd_readers[0])
        assert events.get(timeout=WAIT_S) == ("readers", ())

        started = restartable_pcscd("start")
        assert started.returncode == 0, started.stderr
        kind, names = events.get(timeout=WAIT_S)
        assert kind == "readers"
        assert set(vpcd_readers) <= set(names)  # type: ignore[call-overload]
        # The bridge reconnects to the new pcscd: that is a card put on the reader again.
        assert events.get(timeout=WAIT_S) == ("inserted", (vpcd_readers[0], TEST_ATR))
        assert served.bridge.insertions == 2
        with pcsc.PcscTransport(served.reader) as connection:
            assert connection.transmit(bytes.fromhex("00 A4 04 0C 02 3F 00")) == b"\x90\x00"
    finally:
        monitor.stop()

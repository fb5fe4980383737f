"""pcscd with vpcd's two virtual readers, and simulated cards put on them, for benchmarks."""

from __future__ import annotations

import contextlib
import fcntl
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from apdu import pcsc
from testcards.vpcd import VirtualCard, VpcdBridge, pcscd_netns

REPO = Path(__file__).resolve().parents[1]
VPCD_PORTS = (35963, 35964)
CARD_WAIT_S = 10.0
#: The same lock the pcscd tests take: one user of the virtual readers at a time per machine.
PCSC_LOCK = Path(tempfile.gettempdir()) / "mynacheck-pcsc-tests.lock"


@contextlib.contextmanager
def pcscd_running() -> Iterator[list[str]]:
    """The names of the two virtual readers; pcscd is stopped after if started here."""
    with PCSC_LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # waits while a test session uses the readers
        yield from _started()


def _started() -> Iterator[list[str]]:
    done = subprocess.run([str(REPO / "scripts" / "pcscd.sh"), "start"], capture_output=True,
                          text=True, timeout=90, check=False)
    if done.returncode != 0:
        raise SystemExit(f"cannot start pcscd: {done.stdout}{done.stderr}")
    try:
        names = sorted(r.name for r in pcsc.list_readers() if r.name.startswith("Virtual PCD"))
        yield names[:2]
    finally:
        if ": started" in done.stdout:
            subprocess.run([str(REPO / "scripts" / "pcscd.sh"), "stop"], check=False, timeout=30)


@contextlib.contextmanager
def card_on_reader(factory: Callable[[], VirtualCard], reader: str,
                   slot: int) -> Iterator[VpcdBridge]:
    bridge = VpcdBridge(factory, port=VPCD_PORTS[slot], netns=pcscd_netns())
    bridge.serve_in_thread()
    try:
        pcsc.wait_for_card(reader, CARD_WAIT_S)
        yield bridge
    finally:
        bridge.stop()
        pcsc.wait_for_card_removal(reader, CARD_WAIT_S)

"""End-to-end fixtures: a real pcscd with vsmartcard's virtual readers, and cards on them.

These tests never skip: when pcscd or vpcd is missing they fail, saying what to install.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from vpcd_cards import ScriptedCard, ServeCard, ServedCard

from apdu import pcsc
from testcards.vpcd import VirtualCard, VpcdBridge, pcscd_netns

REPO = Path(__file__).resolve().parents[2]
PCSCD_SCRIPT = REPO / "scripts" / "pcscd.sh"
VPCD_PORTS = (35963, 35964)  # reader slot 0 and slot 1 of the vpcd driver
CARD_WAIT_S = 10.0
SESSION_LOCK = Path(tempfile.gettempdir()) / "mynacheck-pcsc-tests.lock"
LOCK_WAIT_S = 1800.0


@pytest.fixture(scope="session")
def pcsc_lock() -> Iterator[None]:
    """One test session at a time on this machine's pcscd and virtual readers: two
    sessions would serve cards to the same vpcd ports and restart each other's pcscd."""
    with SESSION_LOCK.open("w") as lock:
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(f"another test session held {SESSION_LOCK} for "
                                f"{LOCK_WAIT_S:.0f} s", pytrace=False)
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def pcscd(pcsc_lock: None) -> Iterator[None]:
    """pcscd running with the virtual readers; stopped at the end if this session started it."""
    done = subprocess.run(
        [str(PCSCD_SCRIPT), "start"], capture_output=True, text=True, timeout=90, check=False
    )
    if done.returncode != 0:
        pytest.fail(
            "cannot start pcscd with the vpcd readers (apt-get install pcscd vsmartcard-vpcd):\n"
            + done.stdout + done.stderr,
            pytrace=False,
        )
    started_here = ": started" in done.stdout
    yield
    if started_here:
        subprocess.run([str(PCSCD_SCRIPT), "stop"], check=False, timeout=30)


@pytest.fixture(scope="session")
def vpcd_readers(pcscd: None) -> tuple[str, str]:
    """The names of the readers behind vpcd ports 35963 and 35964, in that order."""
    names = sorted(r.name for r in pcsc.list_readers() if r.name.startswith("Virtual PCD"))
    assert len(names) >= 2, f"expected two vpcd readers, pcscd offers {names}"
    return names[0], names[1]


@pytest.fixture
def serve_card(vpcd_readers: tuple[str, str]) -> Iterator[ServeCard]:
    """Put cards on a virtual reader: `serve_card(factory, slot=0)`; waits until pcscd
    sees the card. Every bridge is stopped after the test, and the readers left empty."""
    bridges: list[ServedCard] = []

    def serve(factory: Callable[[], VirtualCard], slot: int = 0) -> ServedCard:
        reader = vpcd_readers[slot]
        assert pcsc.wait_for_card_removal(reader, CARD_WAIT_S), (
            f"{reader} already holds a card: another program serves one there"
        )
        bridge = VpcdBridge(factory, port=VPCD_PORTS[slot], netns=pcscd_netns())
        served = ServedCard(bridge, reader)
        bridges.append(served)
        bridge.serve_in_thread()
        assert pcsc.wait_for_card(served.reader, CARD_WAIT_S) == served.reader
        return served

    yield serve
    for served in bridges:
        served.bridge.stop()
    for served in bridges:
        assert pcsc.wait_for_card_removal(served.reader, CARD_WAIT_S), (
            f"{served.reader} still shows a card after the bridge stopped"
        )


@pytest.fixture
def card_on_reader0(serve_card: ServeCard) -> tuple[ScriptedCard, str]:
    card = ScriptedCard(answer=bytes.fromhex("6F6B 9000"))
    served = serve_card(lambda: card, slot=0)
    return card, served.reader


@pytest.fixture
def transport(card_on_reader0: tuple[ScriptedCard, str]) -> Iterator[pcsc.PcscTransport]:
    _, reader = card_on_reader0
    with pcsc.PcscTransport(reader) as connection:
        yield connection


PcscdScript = Callable[[str], "subprocess.CompletedProcess[str]"]


@pytest.fixture
def restartable_pcscd(pcscd: None) -> PcscdScript:
    """`scripts/pcscd.sh COMMAND` for tests that stop and start pcscd. Only a pcscd the script
    started is restarted; in CI that is always the case, so there these tests never skip."""

    def script(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(PCSCD_SCRIPT), command], capture_output=True, text=True,
                              timeout=60, check=False)

    if "started by this script" not in script("status").stdout:
        if os.environ.get("CI"):
            pytest.fail("CI must run this test: pcscd was not started by scripts/pcscd.sh")
        pytest.skip("pcscd was not started by scripts/pcscd.sh; not restarting someone's pcscd")
    return script

"""End-to-end fixtures: a real pcscd with vsmartcard's virtual readers, and cards on them.

As root, when pcscd or vpcd is missing these tests fail, saying what to install. Without root
they are skipped with one summary line, and under CI they fail (tests/conftest.py).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator

import pytest
from vpcd_cards import CARD_WAIT_S, VPCD_PORTS, PcscdScript, ScriptedCard, ServeCard, ServedCard

from apdu import pcsc
from testcards.vpcd import VirtualCard, VpcdBridge, pcscd_netns
from tests.conftest import PCSCD_SCRIPT

# pcsc_lock, pcscd and vpcd_readers are in tests/conftest.py: the GUI's tests on pcscd use them.


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

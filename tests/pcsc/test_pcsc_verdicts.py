"""Each quirk once and each verdict once, through pcscd + vpcd + pyscard.

Every profile under every quirk set is tests/engine/test_quirks.py, in-process: the quirks are
the card's, above the transport. Through pcscd each quirk set runs once, on the card that reads
every file, and each verdict the genuine card does not give comes once. The genuine card with
no quirk: test_pcsc_verify.py (test_no_key_stays_open_between_verifications).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from vpcd_cards import CARD_WAIT_S, VPCD_PORTS

import testcards
from apdu import pcsc
from testcards.vpcd import VpcdBridge, pcscd_netns
from verifier.documents.my_number.checks import Verification, VerifyOptions
from verifier.documents.my_number.trust import TrustStore

pytestmark = pytest.mark.pcsc

OPTIONS = VerifyOptions(trust=TrustStore.builtin(accepted=("production", "simulated")),
                        today=date(2026, 11, 23), simulated=True)
CASES = [
    ("genuine", "no-extended"),
    ("genuine", "no-sfi"),
    ("genuine", "t0"),  # a T=0-only ATR: pcscd negotiates T=0
    ("genuine", "wrong-le"),
    ("genuine", "contactless"),  # the PC/SC pseudo-ATR of a contactless card
    ("genuine", "no-extended,no-sfi,t0"),
    ("blank-chip", ""),  # COUNTERFEIT_SUSPECTED on the first SELECT
    ("expired", ""),  # INVALID_CARD
    ("low-retries", ""),  # NOT_VERIFIED from the tries the card reports: no VERIFY sent
]


class Relay:
    """Puts each case's card on the two readers in turn, and takes the previous case's card off
    the other reader at the same moment: pcscd, which polls vpcd every 400 ms, sees both at
    one poll, so a case costs one poll instead of two (a removal, then an insertion)."""

    def __init__(self, readers: tuple[str, str]) -> None:
        self.readers = readers
        self.turn = 0
        self.previous: tuple[VpcdBridge, str] | None = None

    def serve(self, card: testcards.SimulatedCard) -> str:
        slot = self.turn % 2
        self.turn += 1
        reader = self.readers[slot]
        assert pcsc.wait_for_card_removal(reader, CARD_WAIT_S), f"{reader} still holds a card"
        bridge = VpcdBridge(lambda: card, port=VPCD_PORTS[slot], netns=pcscd_netns())
        bridge.serve_in_thread()
        self.take_off()
        self.previous = bridge, reader
        assert pcsc.wait_for_card(reader, CARD_WAIT_S) == reader
        return reader

    def take_off(self) -> None:
        if self.previous is not None:
            bridge, _ = self.previous
            self.previous = None
            bridge.stop()

    def end(self) -> None:
        last = self.previous
        self.take_off()
        if last is not None:
            assert pcsc.wait_for_card_removal(last[1], CARD_WAIT_S), (
                f"{last[1]} still shows a card after the bridge stopped")


@pytest.fixture(scope="module")
def relay(vpcd_readers: tuple[str, str]) -> Iterator[Relay]:
    relay = Relay(vpcd_readers)
    yield relay
    relay.end()


@pytest.mark.parametrize(("name", "quirks"), CASES, ids=[f"{n}+{q}" if q else n for n, q in CASES])
def test_verdict_through_pcscd(name: str, quirks: str, relay: Relay) -> None:
    card = testcards.build_card(name, quirks=testcards.parse_quirks(quirks))
    reader = relay.serve(card)
    with pcsc.PcscTransport(reader) as transport:
        assert transport.atr == card.atr  # the card's own ATR, as pcscd got it from vpcd
        result = Verification(transport, OPTIONS).verify(
            testcards.printed_persona(name, testcards.PERSONAS[0]).code_b)
    expected = testcards.PROFILES[name]
    failing = result.failing_check
    assert result.verdict is expected.expected, (quirks, failing)
    assert (failing.id if failing else None) == expected.failing_check
    assert result.apdu_count == card.exchanges  # every exchange went through pcscd

"""What pcscd 1.9.9 + vpcd do to a card when a connection ends, seen by a simulated card with
the field's key behaviour (card-spec 7): a reset leaves 照合番号B open, a power-down closes it.

pyscard is used directly here, below PcscTransport, because the disposition passed to
SCardDisconnect is what is under test.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from vpcd_cards import ServeCard, wait_until

import testcards
from apdu import pcsc
from verifier.documents.my_number import constants as p

pytestmark = pytest.mark.pcsc

SELECT_CARD_FACE = bytes.fromhex("00 A4 04 0C 0A") + p.AID_CARD_FACE
SELECT_FACE_EF = bytes.fromhex("00 A4 02 0C 02 00 02")
READ_HEADER = bytes.fromhex("00 B0 00 00 04")
CODE = testcards.PERSONAS[0].code_b.to_bytes()
VERIFY_B = bytes.fromhex("00 20 00 92 0E") + CODE


def _scard() -> Any:
    import smartcard.scard

    return smartcard.scard


@contextmanager
def context() -> Iterator[Any]:
    sc = _scard()
    hresult, handle = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
    assert hresult == 0
    try:
        yield handle
    finally:
        sc.SCardReleaseContext(handle)


def connect(handle: Any, reader: str) -> tuple[Any, int]:
    sc = _scard()
    hresult, card, protocol = sc.SCardConnect(handle, reader, sc.SCARD_SHARE_SHARED,
                                              sc.SCARD_PROTOCOL_T0 | sc.SCARD_PROTOCOL_T1)
    assert hresult == 0, sc.SCardGetErrorMessage(hresult)
    return card, int(protocol)


def sw(connection: tuple[Any, int], apdu: bytes) -> int:
    hresult, response = _scard().SCardTransmit(connection[0], connection[1], list(apdu))
    assert hresult == 0 and len(response) >= 2
    return response[-2] << 8 | response[-1]


def disconnect(connection: tuple[Any, int], disposition: str) -> None:
    sc = _scard()
    assert sc.SCardDisconnect(connection[0], getattr(sc, disposition)) == 0


def read_face_header(handle: Any, reader: str) -> int:
    """A fresh connection reads EF 0002 without presenting any code: the SW it gets."""
    connection = connect(handle, reader)
    try:
        assert sw(connection, SELECT_CARD_FACE) == 0x9000
        assert sw(connection, SELECT_FACE_EF) == 0x9000
        return sw(connection, READ_HEADER)
    finally:
        disconnect(connection, "SCARD_LEAVE_CARD")


def open_code_b_and_disconnect(handle: Any, reader: str, disposition: str) -> None:
    connection = connect(handle, reader)
    assert sw(connection, SELECT_CARD_FACE) == 0x9000
    assert sw(connection, VERIFY_B) == 0x9000
    disconnect(connection, disposition)


@pytest.fixture
def genuine(serve_card: ServeCard) -> tuple[testcards.SimulatedCard, str]:
    card = testcards.build_card("genuine")
    served = serve_card(lambda: card)
    return card, served.reader


def test_reset_leaves_code_b_open_for_the_next_connection(
        genuine: tuple[testcards.SimulatedCard, str]) -> None:
    card, reader = genuine
    with context() as handle:
        # A second connection held throughout keeps pcscd from powering the idle card down
        # between the two sessions (it does that ~0.5 s after the last one ends, see below).
        holder = connect(handle, reader)
        open_code_b_and_disconnect(handle, reader, "SCARD_RESET_CARD")
        assert wait_until(lambda: card.events[-1:] == ["warm_reset"])
        assert read_face_header(handle, reader) == 0x9000  # no code presented: the key is open
        assert card.key_open("card_face_b")
        disconnect(holder, "SCARD_LEAVE_CARD")


def test_unpower_closes_code_b(genuine: tuple[testcards.SimulatedCard, str]) -> None:
    card, reader = genuine
    with context() as handle:
        holder = connect(handle, reader)
        open_code_b_and_disconnect(handle, reader, "SCARD_UNPOWER_CARD")
        assert wait_until(lambda: card.events[-1:] == ["power_down"])
        assert read_face_header(handle, reader) == 0x6982
        assert card.events[-2:] == ["power_down", "power_up"]  # the next connect powered it up
        disconnect(holder, "SCARD_LEAVE_CARD")


def test_pcsc_transport_close_leaves_no_key_open(
        genuine: tuple[testcards.SimulatedCard, str]) -> None:
    card, reader = genuine
    with pcsc.PcscTransport(reader) as transport:
        transport.transmit(SELECT_CARD_FACE)
        assert transport.transmit(VERIFY_B) == bytes.fromhex("9000")
    with context() as handle:
        assert read_face_header(handle, reader) == 0x6982
    assert "warm_reset" not in card.events


def test_pcscd_powers_an_idle_card_down_even_after_a_reset(
        genuine: tuple[testcards.SimulatedCard, str]) -> None:
    # pcsc-lite's on-demand power: once the last connection is gone, the card is powered
    # down after a grace period (vpcd has no card-event thread, so pcscd's 400 ms polling
    # sets the pace). A reset's open key therefore lasts until then on Linux; PC/SC
    # implementations without this leave it open until the card leaves the reader.
    card, reader = genuine
    with context() as handle:
        open_code_b_and_disconnect(handle, reader, "SCARD_RESET_CARD")
        started = time.monotonic()
        assert wait_until(lambda: card.events[-1:] == ["power_down"], timeout_s=10)
        assert time.monotonic() - started < 10
        assert not card.key_open("card_face_b")
        assert read_face_header(handle, reader) == 0x6982


def test_6f00_after_power_up_reaches_the_first_command_of_each_session(
        serve_card: ServeCard) -> None:
    card = testcards.build_card("genuine",
                                quirks=testcards.parse_quirks("6f00-after-power-up"))
    served = serve_card(lambda: card)
    for _ in range(2):
        with pcsc.PcscTransport(served.reader) as transport:
            assert transport.transmit(SELECT_CARD_FACE) == bytes.fromhex("6F00")
            assert transport.transmit(SELECT_CARD_FACE) == bytes.fromhex("9000")
    # pcscd sends the card nothing of its own: the first command after a connect is ours.
    assert card.commands == [SELECT_CARD_FACE] * 4


def test_reset_after_another_connection_powered_the_card_down(
        genuine: tuple[testcards.SimulatedCard, str]) -> None:
    # pcscd passes SCARD_RESET_CARD on as RESET even to a card another connection unpowered;
    # a reader can only reset such a card by powering it up. (PcscTransport never shares the
    # card, so the connection that unpowers it here is a plain shared one.)
    card, reader = genuine
    sc = _scard()
    with context() as handle:
        other = connect(handle, reader)
        unpowering = connect(handle, reader)
        assert sw(unpowering, SELECT_CARD_FACE) == 0x9000
        disconnect(unpowering, "SCARD_UNPOWER_CARD")
        assert wait_until(lambda: card.events[-1:] == ["power_down"])
        hresult, protocol = sc.SCardReconnect(other[0], sc.SCARD_SHARE_SHARED,
                                              sc.SCARD_PROTOCOL_T0 | sc.SCARD_PROTOCOL_T1,
                                              sc.SCARD_RESET_CARD)
        assert hresult == 0
        assert sw((other[0], int(protocol)), SELECT_CARD_FACE) == 0x9000
        assert card.events[-2:] == ["power_down", "power_up"]
        disconnect(other, "SCARD_LEAVE_CARD")

"""PcscTransport through the real pcscd and the vpcd driver.

CountingTransport, a wrapper of any transport, is counted in-process (tests/apdu).
"""

from __future__ import annotations

import time

import pytest
from vpcd_cards import TEST_ATR, ScriptedCard, ServeCard, wait_until

from apdu import CommandAPDU, exchange, pcsc
from apdu.errors import CardError, CardRemovedError, NoCardError, ProtocolError, ReaderRemovedError

pytestmark = pytest.mark.pcsc


def test_transmit_reaches_the_card_and_returns_its_answer_until_closed(
    card_on_reader0: tuple[ScriptedCard, str], transport: pcsc.PcscTransport
) -> None:
    card, _ = card_on_reader0
    select = bytes.fromhex("00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 02")

    assert transport.transmit(select) == bytes.fromhex("6F6B 9000")
    assert card.received == [select]
    assert transport.atr == TEST_ATR

    transport.close()
    transport.close()  # closing twice is harmless
    with pytest.raises(CardError):
        transport.transmit(select)
    assert card.received == [select]


def test_extended_command_and_long_response_pass_unchanged(serve_card: ServeCard) -> None:
    long_answer = bytes(range(256)) * 12 + bytes.fromhex("9000")  # 3072 data bytes
    card = ScriptedCard(answer=long_answer)
    served = serve_card(lambda: card)
    read = CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=65536).to_bytes()
    assert read == bytes.fromhex("00 B0 00 00 00 00 00")

    with pcsc.PcscTransport(served.reader) as connection:
        response = exchange(connection, CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=65536))

    assert card.received == [read]
    assert response.sw.ok
    assert response.data == long_answer[:-2]


def test_close_powers_the_card_down_so_no_key_stays_open(serve_card: ServeCard) -> None:
    card = ScriptedCard()
    served = serve_card(lambda: card)

    for _ in range(3):
        with pcsc.PcscTransport(served.reader) as connection:
            connection.transmit(bytes.fromhex("00 A4 04 0C 02 3F 00"))
            assert wait_until(lambda: card.events[-1:] == ["power_up"])
        # vpcd passes the power-down on asynchronously: the bridge may see it a moment later.
        assert wait_until(lambda: card.events[-1:] == ["power_down"])

    assert "warm_reset" not in card.events  # a warm reset would leave a verified key open
    assert served.bridge.insertions == 1  # powered down, never taken off the reader


def test_card_taken_away_mid_session_raises_card_removed(serve_card: ServeCard) -> None:
    served = serve_card(ScriptedCard)
    with pcsc.PcscTransport(served.reader) as connection:
        connection.transmit(bytes.fromhex("00 A4 04 0C 02 3F 00"))
        served.bridge.stop()
        assert pcsc.wait_for_card_removal(served.reader, 5)

        with pytest.raises(CardRemovedError) as caught:
            connection.transmit(bytes.fromhex("00 A4 04 0C 02 3F 00"))
    assert isinstance(caught.value.__cause__, pcsc.PcscFailure)


def test_card_torn_during_a_command_raises_card_removed_and_next_card_works(
    serve_card: ServeCard,
) -> None:
    cards = iter([ScriptedCard(tear_at=2), ScriptedCard(answer=bytes.fromhex("9000"))])
    served = serve_card(lambda: next(cards))
    command = bytes.fromhex("00 A4 04 0C 02 3F 00")

    with pcsc.PcscTransport(served.reader) as connection:
        assert connection.transmit(command) == bytes.fromhex("9000")
        with pytest.raises(CardRemovedError):
            connection.transmit(command)

    assert pcsc.wait_for_card(served.reader, 10) == served.reader
    with pcsc.PcscTransport(served.reader) as connection:
        assert connection.transmit(command) == bytes.fromhex("9000")
    assert served.bridge.insertions == 2


def test_connecting_to_an_empty_reader_raises_no_card(vpcd_readers: tuple[str, str]) -> None:
    with pytest.raises(NoCardError) as caught:
        pcsc.PcscTransport(vpcd_readers[1])
    assert isinstance(caught.value.__cause__, pcsc.PcscFailure)


def test_connecting_to_an_unknown_reader_raises_reader_removed(pcscd: None) -> None:
    with pytest.raises(ReaderRemovedError):
        pcsc.PcscTransport("No Such Reader 99 00")


def test_unknown_protocol_is_rejected_before_connecting(vpcd_readers: tuple[str, str]) -> None:
    with pytest.raises(ValueError, match="protocol"):
        pcsc.PcscTransport(vpcd_readers[0], protocol="T2")  # type: ignore[arg-type]


def test_wait_for_card_returns_when_a_card_arrives(
    serve_card: ServeCard, vpcd_readers: tuple[str, str]
) -> None:
    started = time.monotonic()
    served = serve_card(ScriptedCard, slot=1)
    assert pcsc.wait_for_card(None, 5) == served.reader == vpcd_readers[1]
    assert time.monotonic() - started < 5


def test_wait_for_card_times_out_with_no_card(vpcd_readers: tuple[str, str]) -> None:
    started = time.monotonic()
    with pytest.raises(NoCardError, match="within"):
        pcsc.wait_for_card(vpcd_readers[1], 0.6)
    assert 0.5 <= time.monotonic() - started < 3


def test_protocol_choice_is_honoured(serve_card: ServeCard) -> None:
    t0_only_atr = bytes.fromhex("3B 9B 13 00 00 4D 59 4E 41 53 49 4D 00 90 00")
    served = serve_card(lambda: ScriptedCard(atr=t0_only_atr))
    choices: list[pcsc.ProtocolChoice] = ["any", "T0"]
    for choice in choices:
        with pcsc.PcscTransport(served.reader, protocol=choice) as connection:
            assert connection.protocol_name == "T0"
            assert connection.atr == t0_only_atr
    with pytest.raises(ProtocolError, match="protocol"):
        pcsc.PcscTransport(served.reader, protocol="T1")

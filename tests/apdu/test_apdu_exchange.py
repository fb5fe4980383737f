"""exchange(): GET RESPONSE chains and 6Cxx resends, against a scripted card."""

from __future__ import annotations

import pytest

from apdu import CommandAPDU, CountingTransport, exchange
from apdu.errors import ProtocolError
from apdu.transport import TransportBase

H = bytes.fromhex


class ScriptedCard(TransportBase):
    """A card double: answers each command from a fixed script, in order."""

    def __init__(self, answers: list[bytes]) -> None:
        self.answers = list(answers)
        self.received: list[bytes] = []
        self.closed = False

    def transmit(self, apdu: bytes) -> bytes:
        self.received.append(apdu)
        return self.answers.pop(0)

    def close(self) -> None:
        self.closed = True


READ = CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=256)


def test_plain_answer_is_one_exchange() -> None:
    card = ScriptedCard([H("0102 9000")])
    response = exchange(card, READ)
    assert response.data == H("0102") and response.sw.ok
    assert card.received == [H("00B0000000")]


def test_61xx_chain_is_collected_with_get_response() -> None:
    card = ScriptedCard([H("01 6103"), H("020304 6100"), bytes(256) + H("9000")])
    response = exchange(card, READ)
    assert response.data == H("01020304") + bytes(256)
    assert response.sw.ok
    assert card.received == [H("00B0000000"), H("00C0000003"), H("00C0000000")]


def test_get_response_keeps_the_logical_channel_bits() -> None:
    card = ScriptedCard([H("6102"), H("AABB 9000")])
    exchange(card, CommandAPDU(0x83, 0xB0, 0x00, 0x00, le=256))
    assert card.received[1] == H("03C0000002")


def test_6cxx_resends_once_with_the_right_le() -> None:
    card = ScriptedCard([H("6C05"), H("0102030405 9000")])
    response = exchange(card, READ)
    assert response.data == H("0102030405")
    assert card.received == [H("00B0000000"), H("00B0000005")]


def test_6cxx_then_61xx() -> None:
    card = ScriptedCard([H("6C10"), H("6102"), H("0A0B 9000")])
    assert exchange(card, READ).data == H("0A0B")
    assert card.received == [H("00B0000000"), H("00B0000010"), H("00C0000002")]


def test_a_second_6cxx_is_returned_not_chased() -> None:
    card = ScriptedCard([H("6C05"), H("6C04")])
    response = exchange(card, READ)
    assert response.sw.correct_le == 4
    assert len(card.received) == 2


def test_error_words_come_back_as_they_are() -> None:
    card = ScriptedCard([H("6A82")])
    assert exchange(card, READ).sw.not_found


def test_endless_61xx_is_a_protocol_error() -> None:
    card = ScriptedCard([H("01 6101")] * 100)
    with pytest.raises(ProtocolError):
        exchange(card, READ)
    assert len(card.received) < 100


def test_counting_transport_counts_every_physical_exchange() -> None:
    card = ScriptedCard([H("01 6103"), H("020304 9000")])
    with CountingTransport(card) as counting:
        exchange(counting, READ)
        assert counting.stats.exchanges == 2
        assert counting.stats.bytes_sent == 10
        assert counting.stats.bytes_received == 3 + 5
    assert card.closed


def test_get_response_answered_transiently_is_asked_once_more() -> None:
    card = ScriptedCard([H("6102"), H("6F00"), H("AABB 9000")])
    response = exchange(card, READ)
    assert response.data == H("AABB") and response.sw.ok
    assert card.received[1:] == [H("00C0000002"), H("00C0000002")]


def test_61xx_far_past_le_is_the_chips_doing() -> None:
    from apdu.errors import OverlongResponseError

    card = ScriptedCard([H("6100")] + [bytes(256) + H("6100")] * 70)
    with pytest.raises(OverlongResponseError):
        exchange(card, READ)


def test_counting_transport_passes_protocol_atr_and_power_cycle_through() -> None:
    class Card(ScriptedCard):
        protocol_name = "T0"
        atr = H("3B 88")
        cycles = 0

        def power_cycle(self) -> None:
            self.cycles += 1

    card = Card([])
    link = CountingTransport(card)
    assert (link.protocol_name, link.atr) == ("T0", H("3B88"))
    link.power_cycle()
    assert card.cycles == 1
    bare = CountingTransport(ScriptedCard([]))
    assert (bare.protocol_name, bare.atr) == ("", b"")
    with pytest.raises(NotImplementedError):
        bare.power_cycle()
    with pytest.raises(NotImplementedError):
        TransportBase().power_cycle()

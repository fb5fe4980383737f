"""VpcdBridge against a stand-in for vpcd's side of the socket (no pcscd needed)."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator

import pytest
from vpcd_cards import TEST_ATR, ScriptedCard

from apdu.errors import CardTimeoutError
from testcards.vpcd import VpcdBridge, read_exactly, send_message

ACCEPT_S = 5.0


class FakeVpcd:
    """The server end vpcd plays inside pcscd: sends commands, reads answers."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(1)
        self.server.settimeout(ACCEPT_S)
        self.port: int = self.server.getsockname()[1]
        self.conn: socket.socket | None = None

    def accept(self) -> socket.socket:
        conn, _ = self.server.accept()
        conn.settimeout(ACCEPT_S)
        self.conn = conn
        return conn

    def ask(self, payload: bytes) -> bytes | None:
        assert self.conn is not None
        send_message(self.conn, payload)
        header = read_exactly(self.conn, 2)
        if header is None:
            return None
        return read_exactly(self.conn, int.from_bytes(header, "big"))

    def tell(self, control: int) -> None:
        assert self.conn is not None
        send_message(self.conn, bytes((control,)))

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.server.close()


@pytest.fixture
def vpcd() -> Iterator[FakeVpcd]:
    fake = FakeVpcd()
    yield fake
    fake.close()


def test_bridge_answers_atr_and_commands_and_power_cycles(vpcd: FakeVpcd) -> None:
    card = ScriptedCard(answer=bytes.fromhex("0102 9000"))
    with VpcdBridge(lambda: card, port=vpcd.port):
        vpcd.accept()
        assert vpcd.ask(b"\x04") == TEST_ATR
        vpcd.tell(1)  # power on: a cold start of the card
        vpcd.tell(0)  # power off: no answer expected
        vpcd.tell(1)
        vpcd.tell(2)  # reset: a warm start
        vpcd.tell(9)  # unknown control: ignored
        assert vpcd.ask(bytes.fromhex("00 A4 04 0C 02 3F 00")) == bytes.fromhex("0102 9000")
        assert card.events == ["power_up", "power_down", "power_up", "warm_reset"]
        assert card.received == [bytes.fromhex("00 A4 04 0C 02 3F 00")]


def test_bridge_reads_messages_that_arrive_byte_by_byte(vpcd: FakeVpcd) -> None:
    card = ScriptedCard()
    with VpcdBridge(lambda: card, port=vpcd.port):
        conn = vpcd.accept()
        command = bytes.fromhex("00 B0 00 00 00 00 00")
        for byte in len(command).to_bytes(2, "big") + command:
            conn.sendall(bytes((byte,)))
            time.sleep(0.005)
        assert read_exactly(conn, 4) == bytes.fromhex("0002 9000")
        assert card.received == [command]


def test_torn_card_hangs_up_and_a_fresh_card_comes_back(vpcd: FakeVpcd) -> None:
    cards = [ScriptedCard(tear_at=1), ScriptedCard()]
    made: list[ScriptedCard] = []

    def factory() -> ScriptedCard:
        made.append(cards[len(made)])
        return made[-1]

    with VpcdBridge(factory, port=vpcd.port, removal_gap_s=0.2) as bridge:
        vpcd.accept()
        assert vpcd.ask(bytes.fromhex("00 A4 04 0C 02 3F 00")) is None  # connection closed
        started = time.monotonic()
        vpcd.accept()
        assert time.monotonic() - started >= 0.15  # stayed away for the removal gap
        assert vpcd.ask(bytes.fromhex("00 A4 04 0C 02 3F 00")) == bytes.fromhex("9000")
        assert bridge.insertions == 2
        assert made == cards


def test_bridge_waits_for_vpcd_to_come_up(vpcd: FakeVpcd) -> None:
    port = vpcd.port
    vpcd.server.close()  # nobody listens yet: connections are refused
    with VpcdBridge(ScriptedCard, port=port) as bridge:
        time.sleep(0.3)
        assert not bridge.connected
        late = socket.socket()
        late.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        late.bind(("127.0.0.1", port))
        late.listen(1)
        late.settimeout(ACCEPT_S)
        conn, _ = late.accept()
        with conn:
            assert bridge.wait_connected(ACCEPT_S)
            send_message(conn, b"\x04")
            assert read_exactly(conn, 2 + len(TEST_ATR)) == bytes((0, len(TEST_ATR))) + TEST_ATR
        late.close()


def test_stop_returns_promptly_while_waiting_for_vpcd(vpcd: FakeVpcd) -> None:
    bridge = VpcdBridge(ScriptedCard, port=vpcd.port)
    bridge.serve_in_thread()
    conn = vpcd.accept()
    assert bridge.wait_connected(ACCEPT_S)
    started = time.monotonic()
    bridge.stop()
    assert time.monotonic() - started < 1.0
    assert read_exactly(conn, 1) is None  # the card left: vpcd sees the connection end
    assert not bridge.connected


def test_verify_data_never_reaches_the_log(
    vpcd: FakeVpcd, caplog: pytest.LogCaptureFixture
) -> None:
    code_b = b"55021720352285"
    verify = bytes.fromhex("00 20 00 80 0E") + code_b
    caplog.set_level(logging.DEBUG, logger="testcards.vpcd")
    with VpcdBridge(ScriptedCard, port=vpcd.port):
        vpcd.accept()
        assert vpcd.ask(verify) == bytes.fromhex("9000")
    assert "00 20 00 80" in caplog.text
    assert code_b.decode() not in caplog.text
    assert code_b.hex() not in caplog.text
    assert code_b.hex(" ") not in caplog.text


def test_oversized_message_is_refused() -> None:
    a, b = socket.socketpair()
    with a, b, pytest.raises(ValueError, match="65535"):
        send_message(a, bytes(0x10000))


def test_response_too_long_for_vpcd_becomes_wrong_length(vpcd: FakeVpcd) -> None:
    card = ScriptedCard(answer=bytes(65534) + bytes.fromhex("9000"))
    with VpcdBridge(lambda: card, port=vpcd.port):
        vpcd.accept()
        assert vpcd.ask(bytes.fromhex("00 B0 00 00 00 00 00")) == bytes.fromhex("6700")


class FailingCard(ScriptedCard):
    def transmit(self, apdu: bytes) -> bytes:
        raise CardTimeoutError("stuck")


def test_card_failure_other_than_removal_answers_6f00(vpcd: FakeVpcd) -> None:
    with VpcdBridge(FailingCard, port=vpcd.port) as bridge:
        vpcd.accept()
        assert vpcd.ask(bytes.fromhex("00 A4 04 0C 02 3F 00")) == bytes.fromhex("6F00")
        assert bridge.insertions == 1


def test_eject_takes_the_card_away_and_brings_a_fresh_one(vpcd: FakeVpcd) -> None:
    made: list[ScriptedCard] = []

    def factory() -> ScriptedCard:
        made.append(ScriptedCard())
        return made[-1]

    with VpcdBridge(factory, port=vpcd.port, removal_gap_s=0.2) as bridge:
        first = vpcd.accept()
        assert bridge.wait_connected(ACCEPT_S)
        bridge.eject()
        assert read_exactly(first, 1) is None
        vpcd.accept()
        assert vpcd.ask(b"\x04") == TEST_ATR
        assert bridge.insertions == 2
        assert len(made) == 2 and made[0] is not made[1]
        with pytest.raises(RuntimeError, match="already serving"):
            bridge.serve_in_thread()

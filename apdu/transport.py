"""What carries APDUs, and the one exchange helper every caller goes through."""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from apdu.command import CommandAPDU
from apdu.errors import OverlongResponseError, ProtocolError
from apdu.response import ResponseAPDU

GET_RESPONSE_INS = 0xC0
MAX_GET_RESPONSE = 64  # a card that keeps saying 61xx forever is broken, not large


@runtime_checkable
class Transport(Protocol):
    """Sends one command APDU (bytes) and returns the response (data + SW1 SW2)."""

    def transmit(self, apdu: bytes) -> bytes: ...

    def close(self) -> None: ...


class TransportBase:
    """Context-manager plumbing for concrete transports."""

    def transmit(self, apdu: bytes) -> bytes:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def power_cycle(self) -> None:
        """Power the card down and up again: every key it opened is closed (a warm reset does
        not close them on real cards). Transports that cannot do it raise NotImplementedError."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


@dataclass
class ExchangeStats:
    exchanges: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0


class CountingTransport(TransportBase):
    """Wraps a transport and counts every physical exchange and its bytes."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner
        self.stats = ExchangeStats()

    def transmit(self, apdu: bytes) -> bytes:
        self.stats.exchanges += 1
        self.stats.bytes_sent += len(apdu)
        answer = self.inner.transmit(apdu)
        self.stats.bytes_received += len(answer)
        return answer

    def close(self) -> None:
        self.inner.close()

    @property
    def protocol_name(self) -> str:
        """The inner transport's protocol ("T0" / "T1"), "" where it has none to report."""
        return str(getattr(self.inner, "protocol_name", ""))

    @property
    def atr(self) -> bytes:
        return bytes(getattr(self.inner, "atr", b""))

    def power_cycle(self) -> None:
        power_cycle(self.inner)


def power_cycle(transport: Transport) -> None:
    """Power the card behind `transport` down and up, through any wrapper that has the method;
    NotImplementedError where the transport cannot."""
    method = getattr(transport, "power_cycle", None)
    if method is None:
        raise NotImplementedError
    method()


def exchange(transport: Transport, command: CommandAPDU) -> ResponseAPDU:
    """Send `command`; fetch the rest on 61xx and resend once with the right Le on 6Cxx."""
    response = ResponseAPDU.from_bytes(transport.transmit(command.to_bytes()))
    wanted = response.sw.correct_le
    # Only a command that asked for data is resent: a VERIFY (no Le) sent twice could spend
    # two of a customer's tries.
    if wanted is not None and command.le is not None:
        response = ResponseAPDU.from_bytes(transport.transmit(command.with_le(wanted).to_bytes()))
    data = response.data
    for _ in range(MAX_GET_RESPONSE):
        more = response.sw.more_data
        if more is None:
            return ResponseAPDU(data, response.sw)
        get = CommandAPDU(command.cla & 0x03, GET_RESPONSE_INS, 0, 0, le=more)
        response = ResponseAPDU.from_bytes(transport.transmit(get.to_bytes()))
        if response.sw.transient and not response.data:
            # GET RESPONSE only fetches what is waiting: asking once more is harmless.
            response = ResponseAPDU.from_bytes(transport.transmit(get.to_bytes()))
        data += response.data
    if command.le is not None and len(data) > command.le:
        # still more to come after far more than was asked: the chip's doing, not the link's
        raise OverlongResponseError(f"the card kept answering 61xx: {len(data)} bytes for "
                                    f"Le {command.le}")
    raise ProtocolError("the card kept answering 61xx")

"""Serve a simulated card to pcscd through vsmartcard's virtual reader driver (vpcd).

vpcd, loaded inside pcscd, listens on TCP (35963 for reader `Virtual PCD 00 00`, 35964 for
`Virtual PCD 00 01`); the bridge connects to it as the card. vpcd binds every interface, so
scripts/pcscd.sh runs the test pcscd in its own network namespace (`VPCD_NETNS`) that has the
loopback interface only: nothing is reachable from the network, and the bridge makes its
socket inside that namespace (`netns=`) to reach the port. Every message in both
directions is a 2-byte big-endian length and a payload. A 1-byte payload from vpcd is a
control message (power off, power on, reset, get ATR; only the ATR gets an answer); a longer
one is a command APDU, answered with the response APDU.

The control messages are pcscd's IFDHPowerICC actions, passed on by vpcd: IFD_POWER_DOWN is
POWER_OFF (SCardDisconnect/SCardReconnect with SCARD_UNPOWER_CARD, and pcscd's own power-down
of a card nobody has used for a moment), IFD_POWER_UP is POWER_ON (a connect to an unpowered
card, a card put on the reader), IFD_RESET is RESET (SCARD_RESET_CARD). They map to the card's
`power_down`, `power_up` and `warm_reset`, so a key verified before a RESET stays open, as on
the real card.

vpcd reports a card present while the connection is up and the ATR request is answered, so
closing the connection is how the card leaves the reader, and each new connection is a card
put on it: `card_factory` is called once per connection.

No process control here: signal handling belongs to the command line that runs the bridge.
"""

from __future__ import annotations

import contextlib
import ctypes
import enum
import logging
import os
import socket
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from apdu.errors import CardError, CardRemovedError

log = logging.getLogger(__name__)

VPCD_PORT = 35963
# The network namespace scripts/pcscd.sh runs the test pcscd in (`ip netns` names it).
VPCD_NETNS = "/run/netns/mynacheck-vpcd"
CLONE_NEWNET = 0x40000000
LENGTH_BYTES = 2
CONTROL_POWER_OFF = 0
CONTROL_POWER_ON = 1
CONTROL_RESET = 2
CONTROL_ATR = 4

# pcscd asks vpcd for card presence every 400 ms; staying away longer than that makes sure
# pcscd sees the card leave before the next one arrives.
REMOVAL_GAP_S = 1.0
RETRY_FIRST_S = 0.1
RETRY_MAX_S = 2.0
# What a card that fails without a status word of its own answers: "no precise diagnosis".
NO_DIAGNOSIS = bytes((0x6F, 0x00))
WRONG_LENGTH = bytes((0x67, 0x00))
MAX_MESSAGE = 0xFFFF


class VirtualCard(Protocol):
    """What the bridge needs of a card; testcards.SimulatedCard is one."""

    @property
    def atr(self) -> bytes: ...

    def transmit(self, apdu: bytes) -> bytes: ...

    def power_up(self) -> None: ...

    def power_down(self) -> None: ...

    def warm_reset(self) -> None: ...


class _Ending(enum.Enum):
    STOPPED = "stopped"
    TORN = "torn"
    EJECTED = "ejected"
    HUNG_UP = "hung up"


class VpcdBridge:
    """Puts cards from `card_factory` on one vpcd reader until `stop()`.

    `run()` blocks (use it from a command line); `serve_in_thread()` or the context manager
    runs it on a background thread (use it in tests). If pcscd is not up yet or restarts,
    the bridge reconnects with backoff, and the reconnection is a new card.
    """

    def __init__(
        self,
        card_factory: Callable[[], VirtualCard],
        *,
        host: str = "127.0.0.1",
        port: int = VPCD_PORT,
        removal_gap_s: float = REMOVAL_GAP_S,
        netns: str | None = None,
    ) -> None:
        self.card_factory = card_factory
        self.netns = netns
        self.host = host
        self.port = port
        self.removal_gap_s = removal_gap_s
        self.insertions = 0
        self.card: VirtualCard | None = None
        self._stop = threading.Event()
        self._eject = threading.Event()
        self._inserted = threading.Event()
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None

    # -- control from other threads

    def stop(self) -> None:
        """End serving: the card leaves the reader. Returns once the serving thread ended."""
        self._stop.set()
        self._hang_up()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)

    def eject(self) -> None:
        """Take the current card off the reader; a fresh one follows after the removal gap."""
        self._eject.set()
        self._hang_up()

    def wait_connected(self, timeout_s: float) -> bool:
        """Whether a card is connected to vpcd (pcscd may take up to 400 ms more to see it)."""
        return self._inserted.wait(timeout_s)

    @property
    def connected(self) -> bool:
        return self._inserted.is_set()

    def serve_in_thread(self) -> threading.Thread:
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError("this bridge is already serving")
        thread = threading.Thread(target=self.run, name=f"vpcd-bridge-{self.port}", daemon=True)
        self._thread = thread
        thread.start()
        return thread

    def __enter__(self) -> Self:
        self.serve_in_thread()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _hang_up(self) -> None:
        with self._lock:
            if self._socket is not None:
                # shutdown, unlike close, wakes the thread blocked in recv at once.
                with contextlib.suppress(OSError):
                    self._socket.shutdown(socket.SHUT_RDWR)

    # -- the serving loop

    def run(self) -> None:
        retry_s = RETRY_FIRST_S
        while not self._stop.is_set():
            sock = self._connect()
            if sock is None:
                self._stop.wait(retry_s)
                retry_s = min(retry_s * 2, RETRY_MAX_S)
                continue
            retry_s = RETRY_FIRST_S
            ending = self._serve_card(sock)
            log.info("card left reader on vpcd port %d (%s)", self.port, ending.value)
            # Whatever ended it (a tear, an eject, pcscd hanging up), the next card comes
            # only after pcscd has had time to see this one gone.
            self._stop.wait(self.removal_gap_s)

    def _connect(self) -> socket.socket | None:
        try:
            sock = socket_in_netns(self.netns)
            sock.settimeout(5)
            try:
                sock.connect((self.host, self.port))
            except OSError:
                sock.close()
                raise
        except OSError as e:
            log.debug("vpcd at %s:%d not reachable: %s", self.host, self.port, e)
            return None
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            if self._stop.is_set():
                sock.close()
                return None
            self._socket = sock
        return sock

    def _serve_card(self, sock: socket.socket) -> _Ending:
        try:
            card = self.card_factory()
            self.card = card
            self.insertions += 1
            self._eject.clear()
            self._inserted.set()
            log.info("card put on reader on vpcd port %d (insertion %d)", self.port,
                     self.insertions)
            return self._serve(sock, card)
        finally:
            self._inserted.clear()
            with self._lock:
                self._socket = None
            sock.close()

    def _ending(self) -> _Ending:
        if self._stop.is_set():
            return _Ending.STOPPED
        if self._eject.is_set():
            return _Ending.EJECTED
        return _Ending.HUNG_UP

    def _serve(self, sock: socket.socket, card: VirtualCard) -> _Ending:
        while True:
            header = read_exactly(sock, LENGTH_BYTES)
            if header is None:
                return self._ending()
            payload = read_exactly(sock, int.from_bytes(header, "big"))
            if payload is None:
                return self._ending()
            if len(payload) == 1:
                answer = self._control(card, payload[0])
            elif payload:
                try:
                    answer = self._command(card, payload)
                except CardRemovedError:
                    log.info("simulated card torn; it leaves the reader")
                    return _Ending.TORN
            else:
                answer = None
            if answer is not None and not send_message(sock, answer):
                return self._ending()

    @staticmethod
    def _control(card: VirtualCard, code: int) -> bytes | None:
        if code == CONTROL_ATR:
            return card.atr
        if code == CONTROL_POWER_ON:
            log.debug("vpcd control: power on")
            card.power_up()
        elif code == CONTROL_POWER_OFF:
            log.debug("vpcd control: power off")
            card.power_down()
        elif code == CONTROL_RESET:
            log.debug("vpcd control: warm reset")
            card.warm_reset()
        else:
            log.warning("unknown vpcd control message %d ignored", code)
        return None

    @staticmethod
    def _command(card: VirtualCard, apdu: bytes) -> bytes:
        # Headers only: the data of a VERIFY is a credential.
        log.debug("C-APDU %s (%d bytes)", apdu[:4].hex(" "), len(apdu))
        try:
            response = card.transmit(apdu)
        except CardRemovedError:
            raise
        except CardError as e:
            log.warning("simulated card failed on %s: %s", apdu[:4].hex(" "), e)
            response = NO_DIAGNOSIS
        if len(response) > MAX_MESSAGE:
            # vpcd's 2-byte length cannot carry it; a reader with a small buffer says 6700.
            log.warning("a %d-byte response does not fit a vpcd message; answering 6700",
                        len(response))
            response = WRONG_LENGTH
        log.debug("R-APDU SW %s (%d bytes)", response[-2:].hex(), len(response))
        return response


def pcscd_netns() -> str | None:
    """The test pcscd's network namespace when scripts/pcscd.sh made one, else None."""
    return VPCD_NETNS if os.path.exists(VPCD_NETNS) else None


def socket_in_netns(netns: str | None) -> socket.socket:
    """A TCP socket in network namespace `netns` (a path such as VPCD_NETNS), or in this
    process's one for None. A socket stays in the namespace it was made in, so a short-lived
    thread enters the namespace (setns changes the calling thread only) and makes it there."""
    if netns is None:
        return socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    made: list[socket.socket] = []
    failed: list[OSError] = []

    def make() -> None:
        try:
            fd = os.open(netns, os.O_RDONLY)
        except OSError as e:
            failed.append(e)
            return
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.setns(fd, CLONE_NEWNET) != 0:
                err = ctypes.get_errno()
                failed.append(OSError(err, f"cannot enter {netns}: {os.strerror(err)}"))
                return
            made.append(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
        finally:
            os.close(fd)

    thread = threading.Thread(target=make, name="vpcd-netns")
    thread.start()
    thread.join()
    if failed:
        raise failed[0]
    return made[0]


def _ack_at_once(sock: socket.socket) -> None:
    """Acknowledge at once: vpcd writes a command's length and its body separately, and with
    Nagle on its side and delayed ACKs on ours every exchange would wait ~40 ms. Linux resets
    the flag after each read, hence per read; elsewhere the option does not exist."""
    quickack = getattr(socket, "TCP_QUICKACK", None)
    if quickack is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)


def read_exactly(sock: socket.socket, size: int) -> bytes | None:
    """`size` bytes from `sock`, or None if the connection ends first."""
    buffer = bytearray(size)
    view = memoryview(buffer)
    received = 0
    while received < size:
        try:
            _ack_at_once(sock)
            count = sock.recv_into(view[received:])
        except OSError:
            return None
        if count == 0:
            return None
        received += count
    return bytes(buffer)


def send_message(sock: socket.socket, payload: bytes) -> bool:
    """Send one length-prefixed message; False if the connection is gone."""
    if len(payload) > MAX_MESSAGE:
        raise ValueError(f"a vpcd message holds at most 65535 bytes, got {len(payload)}")
    try:
        sock.sendall(len(payload).to_bytes(LENGTH_BYTES, "big") + payload)
    except OSError:
        return False
    return True

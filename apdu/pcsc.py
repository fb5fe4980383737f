"""The PC/SC backend: reader listing, reader choice and a Transport over pyscard.

This is the only module that imports `smartcard`, and the only place where pyscard's
`list[int]` byte lists exist. Every PC/SC result code is translated here, once, into the
`apdu.errors` family, chained to the pyscard failure it came from.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, Literal

from apdu import errors
from apdu.transport import TransportBase

log = logging.getLogger(__name__)

ProtocolChoice = Literal["any", "T0", "T1"]

# pcsc-lite's pseudo reader whose state changes when a reader is plugged in or out.
PNP_NOTIFICATION = "\\\\?PnP?\\Notification"

# Reader state bits of SCardGetStatusChange, fixed by the PC/SC specification (winscard.h).
STATE_UNAWARE = 0x0000
STATE_CHANGED = 0x0002
STATE_PRESENT = 0x0020
# pcsc-lite counts card insertions and removals in the high 16 bits of the event state.
EVENT_COUNT_MASK = 0xFFFF0000

# After a failed exchange, how long to watch for pcscd noticing that the card is gone
# (pcscd polls card presence every 400 ms on readers without hotplug events).
_REMOVAL_GRACE_MS = 1200


def _scard() -> Any:
    import smartcard.scard

    return smartcard.scard


class PcscFailure(Exception):
    """A non-zero PC/SC result code, kept as the cause of the CardError it maps to."""

    def __init__(self, action: str, hresult: int) -> None:
        self.action = action
        self.hresult = hresult & 0xFFFFFFFF
        try:
            message = str(_scard().SCardGetErrorMessage(hresult))
        except Exception:  # the message is cosmetic; the code is what matters
            message = "PC/SC error"
        self.message = message
        super().__init__(f"{action}: {message} (0x{self.hresult:08X})")


def _code(name: str) -> int:
    return int(getattr(_scard(), name)) & 0xFFFFFFFF


def _is(hresult: int, *names: str) -> bool:
    return hresult & 0xFFFFFFFF in {_code(n) for n in names}


BUSY_MESSAGE = "another program is using the reader"

_SERVICE_CODES = ("SCARD_E_NO_SERVICE", "SCARD_E_SERVICE_STOPPED", "SCARD_F_COMM_ERROR")
#: What a connect to a card that is present but answers no usable reset gets: mute, or (when
#: any protocol would do) an answer no protocol can use.
_MUTE_CODES = ("SCARD_W_UNRESPONSIVE_CARD", "SCARD_W_UNPOWERED_CARD")
_NO_PROTOCOL_CODES = ("SCARD_E_PROTO_MISMATCH", "SCARD_W_UNSUPPORTED_CARD")


def map_failure(failure: PcscFailure, *, in_session: bool) -> errors.CardError:
    """The CardError for a PC/SC result code.

    `in_session`: a card was connected, so "no card" now means it was pulled out.
    """
    hr = failure.hresult
    detail = str(failure)
    if _is(hr, "SCARD_W_REMOVED_CARD"):
        return errors.CardRemovedError(f"the card was removed ({detail})")
    if _is(hr, "SCARD_E_NO_SMARTCARD"):
        if in_session:
            return errors.CardRemovedError(f"the card was removed ({detail})")
        return errors.NoCardError(f"no card in the reader ({detail})")
    if _is(hr, "SCARD_E_NO_READERS_AVAILABLE"):
        return errors.NoReaderError(f"no smart-card reader is connected ({detail})")
    if _is(hr, "SCARD_E_READER_UNAVAILABLE", "SCARD_E_UNKNOWN_READER"):
        return errors.ReaderRemovedError(f"the reader is not available ({detail})")
    if _is(hr, "SCARD_E_SHARING_VIOLATION"):
        return errors.SharingViolationError(f"{BUSY_MESSAGE} ({detail})")
    if _is(hr, *_SERVICE_CODES):
        return errors.ServiceNotRunningError(
            f"the PC/SC service (pcscd) is not running or stopped ({detail})"
        )
    if _is(hr, "SCARD_W_UNRESPONSIVE_CARD", "SCARD_W_UNPOWERED_CARD"):
        return errors.UnresponsiveCardError(f"the card does not answer ({detail})")
    if _is(hr, "SCARD_E_TIMEOUT"):
        return errors.CardTimeoutError(f"the card stopped answering ({detail})")
    if _is(hr, "SCARD_W_RESET_CARD"):
        return errors.CardResetError(f"the card was reset by another program ({detail})")
    if _is(hr, "SCARD_E_PROTO_MISMATCH", "SCARD_W_UNSUPPORTED_CARD"):
        return errors.ProtocolError(f"the card does not speak the requested protocol ({detail})")
    return errors.CardError(detail)


def _check(action: str, hresult: int, *, in_session: bool = False) -> None:
    if hresult != 0:
        failure = PcscFailure(action, hresult)
        raise map_failure(failure, in_session=in_session) from failure


class PcscContext:
    """One SCARDCONTEXT; released on close. Contexts are never shared between objects."""

    def __init__(self) -> None:
        sc = _scard()
        try:
            hresult, handle = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
        except Exception as e:  # pyscard raises when libpcsclite itself cannot be used
            raise errors.ServiceNotRunningError(
                f"the PC/SC service cannot be reached: {e}"
            ) from e
        if hresult != 0:
            failure = PcscFailure("SCardEstablishContext", hresult)
            raise errors.ServiceNotRunningError(
                f"the PC/SC service (pcscd) is not running ({failure})"
            ) from failure
        self.handle: Any = handle

    def readers(self) -> list[str]:
        sc = _scard()
        hresult, names = sc.SCardListReaders(self.handle, [])
        if _is(hresult, "SCARD_E_NO_READERS_AVAILABLE"):
            return []
        _check("SCardListReaders", hresult)
        return [str(n) for n in names]

    def states(
        self, readers: list[tuple[str, int]], timeout_ms: int
    ) -> list[tuple[str, int, bytes]]:
        """SCardGetStatusChange: (name, event state, ATR); empty list on timeout."""
        sc = _scard()
        hresult, states = sc.SCardGetStatusChange(self.handle, timeout_ms, readers)
        if _is(hresult, "SCARD_E_TIMEOUT"):
            return []
        _check("SCardGetStatusChange", hresult)
        return [(str(name), int(event), bytes(atr)) for name, event, atr in states]

    def cancel(self) -> None:
        _scard().SCardCancel(self.handle)

    def close(self) -> None:
        if self.handle is not None:
            _scard().SCardReleaseContext(self.handle)
            self.handle = None


def card_present(event_state: int) -> bool:
    return bool(event_state & STATE_PRESENT)


@dataclass(frozen=True)
class ReaderInfo:
    name: str
    card_present: bool
    atr: bytes | None


def list_readers() -> list[ReaderInfo]:
    """Every reader pcscd knows, with whether it holds a card and that card's ATR."""
    context = PcscContext()
    try:
        names = context.readers()
        if not names:
            return []
        states = context.states([(n, STATE_UNAWARE) for n in names], 0)
        by_name = {name: (event, atr) for name, event, atr in states}
        infos = []
        for name in names:
            event, atr = by_name.get(name, (0, b""))
            present = card_present(event)
            infos.append(ReaderInfo(name, present, atr if present and atr else None))
        return infos
    finally:
        context.close()


def _names_text(names: list[str]) -> str:
    return ", ".join(repr(n) for n in names) if names else "none"


def choose_reader(names: list[str], holding_card: list[str], name_or_index: str | None) -> str:
    """The pure part of `resolve_reader`, over a snapshot of the reader list."""
    if not names:
        raise errors.NoReaderError("no smart-card reader is connected")
    if name_or_index is None:
        if len(holding_card) == 1:
            return holding_card[0]
        if not holding_card:
            raise errors.NoCardError(f"no card in any reader (readers: {_names_text(names)})")
        raise errors.AmbiguousReaderError(
            f"cards in several readers ({_names_text(holding_card)}); choose one with --reader"
        )
    wanted = name_or_index.strip()
    if wanted.isdigit():
        index = int(wanted)
        if index < len(names):
            return names[index]
        raise errors.NoReaderError(
            f"no reader number {index}; readers are numbered from 0: "
            + ", ".join(f"{i}={n!r}" for i, n in enumerate(names))
        )
    if wanted in names:
        return wanted
    matches = [n for n in names if wanted.casefold() in n.casefold()]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise errors.NoReaderError(
            f"no reader matches {wanted!r} (readers: {_names_text(names)})"
        )
    raise errors.AmbiguousReaderError(
        f"{wanted!r} matches several readers ({_names_text(matches)}); be more precise"
    )


def resolve_reader(name_or_index: str | None) -> str:
    """A reader name from an index, an exact name or a unique substring.

    None means the one reader that holds a card.
    """
    infos = list_readers()
    return choose_reader(
        [r.name for r in infos], [r.name for r in infos if r.card_present], name_or_index
    )


def wait_for_card(reader: str | None, timeout_s: float) -> str:
    """Block until a card is in `reader` (or in any reader when None); return the reader.

    With None, the first reader to get a card wins; cards already in several readers at the
    start are ambiguous (AmbiguousReaderError), as for `resolve_reader`.

    Sleeps in SCardGetStatusChange (woken by card and reader events), so nothing is
    polled. Raises NoCardError when no card came within `timeout_s`.
    """
    deadline = time.monotonic() + timeout_s
    context = PcscContext()
    try:
        names: list[str] = []
        known: dict[str, int] = {}
        first = True
        while True:
            fresh = context.readers()
            if fresh != names or first:
                names = fresh
                known = {k: v for k, v in known.items() if k in names}
            if reader is None:
                watched = names
            else:
                watched = [choose_reader(names, [], reader)] if names else []
            query = [(n, known.get(n, STATE_UNAWARE)) for n in watched]
            query.append((PNP_NOTIFICATION, 0))
            remaining_ms = max(int((deadline - time.monotonic()) * 1000), 0)
            states = context.states(query, 0 if first else remaining_ms)
            holding = [n for n, event, _ in states if n != PNP_NOTIFICATION and
                       card_present(event)]
            if first and len(holding) > 1:
                choose_reader(names, holding, None)  # raises: which card is meant?
            if holding:
                return holding[0]
            for name, event, _ in states:
                if name != PNP_NOTIFICATION:
                    known[name] = event & ~STATE_CHANGED
            if not first and time.monotonic() >= deadline:
                where = repr(reader) if reader is not None else "any reader"
                raise errors.NoCardError(f"no card was put on {where} within {timeout_s:g} s")
            first = False
    finally:
        context.close()


def wait_for_card_removal(reader: str, timeout_s: float) -> bool:
    """Block until `reader` holds no card (or is gone); False if a card is still there."""
    deadline = time.monotonic() + timeout_s
    context = PcscContext()
    try:
        state = STATE_UNAWARE
        while True:
            if reader not in context.readers():
                return True
            remaining_ms = max(int((deadline - time.monotonic()) * 1000), 0)
            try:
                states = context.states(
                    [(reader, state)], 0 if state == STATE_UNAWARE else remaining_ms
                )
            except (errors.ReaderRemovedError, errors.NoReaderError):
                return True
            for _, event, _ in states:
                if not card_present(event):
                    return True
                state = event & ~STATE_CHANGED
            if time.monotonic() >= deadline:
                return False
    finally:
        context.close()


_PROTOCOLS = {"any": ("SCARD_PROTOCOL_T0", "SCARD_PROTOCOL_T1"),
              "T0": ("SCARD_PROTOCOL_T0",), "T1": ("SCARD_PROTOCOL_T1",)}


#: Longer than any real exchange (a reader's own block waiting time is a few seconds at most).
DEFAULT_TRANSMIT_TIMEOUT_S = 15.0
#: How long a connect waits for another program to let go of the card. Windows' plug-and-play
#: probe and a JPKI client's status poll hold a card for milliseconds; a program that holds it
#: longer is using it, and the clerk is told so (SharingViolationError) instead of waiting.
DEFAULT_BUSY_WAIT_S = 1.5
#: pcscd answers a refused connect at once (measured: under 0.5 ms, docs/threat-model.md 2.13), so
#: asking again every 50 ms costs nothing and adds at most 50 ms after the card is free.
BUSY_RETRY_S = 0.05


class PcscTransport(TransportBase):
    """One connection to the card in `reader_name`, held exclusively for the whole visit.

    Rule 9, the card is ours while we read it: SCARD_SHARE_EXCLUSIVE from connect to close, so
    no other program's command lands between ours (another program that selects an EF between
    our short-EF-id READs would have us read its file). pcscd refuses any other connect while we
    hold the card, and refuses ours while anyone else has it connected: that is retried for
    `busy_wait_s`, then raised as SharingViolationError. A transaction (SCardBeginTransaction)
    is not used: pcsc-lite makes the other program's SCardConnect and SCardTransmit, and our own
    BeginTransaction, wait without limit inside the library, and Windows resets a card whose
    transaction is idle for 5 s (the GUI holds the card while the clerk types).

    Connects on construction. `close()` disconnects with SCARD_UNPOWER_CARD: only a power-down
    closes the keys this session opened. A warm reset (SCARD_RESET_CARD) leaves 照合番号B open
    on the real card, so any program on the PC could read the face without the code, and the
    next verification's code check would prove nothing (card-spec 7). Powering down touches no
    retry counter and no data; the next connection powers the card up again.
    """

    def __init__(self, reader_name: str, *, protocol: ProtocolChoice = "any",
                 timeout_s: float | None = DEFAULT_TRANSMIT_TIMEOUT_S,
                 busy_wait_s: float = DEFAULT_BUSY_WAIT_S) -> None:
        if protocol not in _PROTOCOLS:
            raise ValueError(f"protocol must be one of {sorted(_PROTOCOLS)}, got {protocol!r}")
        sc = _scard()
        self.reader_name = reader_name
        self.timeout_s = timeout_s
        # SCardTransmit cannot be cancelled, and some readers (and vpcd) never give up on a
        # mute card: the call runs on this connection's own thread and is abandoned on timeout.
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pcsc-transmit")
        self._hung = False
        self._context: PcscContext | None = PcscContext()
        self._card: Any = None
        wanted = 0
        for name in _PROTOCOLS[protocol]:
            wanted |= int(getattr(sc, name))
        try:
            card, active = self._connect_exclusive(wanted, busy_wait_s,
                                                   any_protocol=protocol == "any")
            self._card = card
            self._protocol = active
            hresult, _, _, _, atr = sc.SCardStatus(card)
            _check("SCardStatus", hresult, in_session=True)
            self.atr = bytes(atr)
        except BaseException:
            self.close()
            raise
        log.debug("connected to %r exclusively, protocol %s", reader_name, self.protocol_name)

    def _connect_exclusive(self, protocols: int, busy_wait_s: float, *,
                           any_protocol: bool) -> tuple[Any, int]:
        assert self._context is not None
        sc = _scard()
        action = f"SCardConnect({self.reader_name!r}, exclusive)"
        deadline = time.monotonic() + busy_wait_s
        while True:
            hresult, card, active = sc.SCardConnect(
                self._context.handle, self.reader_name, sc.SCARD_SHARE_EXCLUSIVE, protocols
            )
            mute = _is(hresult, *_MUTE_CODES) or (
                any_protocol and _is(hresult, *_NO_PROTOCOL_CODES))
            if mute:
                # A card is there (pcscd saw it) but its chip answers no reset in a form any
                # protocol takes: mute, or no chip behind a printed face.
                failure = PcscFailure(action, hresult)
                raise errors.NoChipAnswerError(f"the chip gives no usable answer ({failure})") \
                    from failure
            if not _is(hresult, "SCARD_E_SHARING_VIOLATION"):
                _check(action, hresult)
                return card, int(active)
            if time.monotonic() + BUSY_RETRY_S > deadline:
                failure = PcscFailure(action, hresult)
                log.debug("%s; gave up after %g s", failure, busy_wait_s)
                raise errors.SharingViolationError(BUSY_MESSAGE) from failure
            time.sleep(BUSY_RETRY_S)

    def power_cycle(self) -> None:
        """SCardReconnect with SCARD_UNPOWER_CARD: the card restarts with every key closed.
        Still exclusive: a reconnect that asked for a shared card would let another program in
        between the power-up and our next command (and pcscd 1.9.9 then makes every other
        program's connect hang until we disconnect)."""
        if self._card is None:
            raise errors.CardError("the connection to the card is closed")
        sc = _scard()
        hresult, active = sc.SCardReconnect(self._card, sc.SCARD_SHARE_EXCLUSIVE,
                                            self._protocol, sc.SCARD_UNPOWER_CARD)
        _check("SCardReconnect", hresult, in_session=True)
        self._protocol = int(active)

    @property
    def protocol_name(self) -> str:
        sc = _scard()
        return "T1" if self._protocol == sc.SCARD_PROTOCOL_T1 else "T0"

    def transmit(self, apdu: bytes) -> bytes:
        if self._card is None:
            raise errors.CardError("the connection to the card is closed")
        if self._hung:
            raise errors.CardTimeoutError("the card stopped answering")
        sc = _scard()
        pending = self._worker.submit(sc.SCardTransmit, self._card, self._protocol, list(apdu))
        try:
            hresult, response = pending.result(timeout=self.timeout_s)
        except FutureTimeout:
            self._hung = True
            raise errors.CardTimeoutError(
                f"the card stopped answering (no answer in {self.timeout_s:g} s)") from None
        if hresult != 0:
            failure = PcscFailure("SCardTransmit", hresult)
            error = map_failure(failure, in_session=True)
            if type(error) is errors.CardError and self._card_went_away():
                error = errors.CardRemovedError(f"the card was removed ({failure})")
            raise error from failure
        if len(response) < 2:
            # Some drivers (vpcd among them) report a card that vanished mid-exchange as
            # an empty answer rather than an error.
            if self._card_went_away():
                raise errors.CardRemovedError("the card was removed during the exchange")
            raise errors.ProtocolError(f"the card answered {len(response)} bytes, no status word")
        return bytes(response)

    def _card_went_away(self) -> bool:
        """After an exchange failed for no stated reason: did the card leave the reader?"""
        if self._context is None:
            return False
        try:
            now = self._context.states([(self.reader_name, STATE_UNAWARE)], 0)
            if not now or not card_present(now[0][1]):
                return True
            later = self._context.states(
                [(self.reader_name, now[0][1] & ~STATE_CHANGED)], _REMOVAL_GRACE_MS
            )
        except errors.CardError:
            return True
        before = now[0][1] & EVENT_COUNT_MASK
        return any(not card_present(event) or event & EVENT_COUNT_MASK != before
                   for _, event, _ in later)

    def close(self) -> None:
        card, self._card = self._card, None
        context, self._context = self._context, None
        if self._hung:
            # The abandoned transmit still holds the handle: release it once that call ends,
            # on the same thread, without making the caller wait for a mute card.
            self._worker.submit(_release, card, context)
        else:
            _release(card, context)
        self._worker.shutdown(wait=False)


def _release(card: Any, context: PcscContext | None) -> None:
    sc = _scard()
    if card is not None:
        hresult = sc.SCardDisconnect(card, sc.SCARD_UNPOWER_CARD)
        if hresult != 0:
            # The card or pcscd is already gone; nothing is left to release.
            log.debug("%s", PcscFailure("SCardDisconnect", hresult))
    if context is not None:
        context.close()

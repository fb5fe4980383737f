"""Card inserted / removed and reader plugged / unplugged events, as plain callbacks.

One background thread sleeps in SCardGetStatusChange (woken by pcscd on every change, and
every `wake_s` to notice `stop()` and a pcscd restart); nothing runs on the caller's thread.
The callbacks run on that background thread: a GUI must hand them over to its own thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from apdu import pcsc
from apdu.errors import CardError, ServiceNotRunningError

log = logging.getLogger(__name__)

WAKE_S = 0.5
RECONNECT_S = 1.0


@dataclass
class _Slot:
    state: int
    present: bool
    atr: bytes


class CardMonitor:
    """Reports cards and readers coming and going until `stop()`.

    At `start()` every card already in a reader is reported as inserted, and the reader
    list (even if empty) through `on_readers_changed`. When pcscd stops, every card is
    reported removed and the reader list as empty; the monitor reconnects by itself.
    """

    def __init__(
        self,
        on_inserted: Callable[[str, bytes], None],
        on_removed: Callable[[str], None],
        on_readers_changed: Callable[[list[str]], None] | None = None,
        *,
        wake_s: float = WAKE_S,
    ) -> None:
        self._on_inserted = on_inserted
        self._on_removed = on_removed
        self._on_readers_changed = on_readers_changed
        self._wake_ms = max(int(wake_s * 1000), 1)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._context: pcsc.PcscContext | None = None

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the monitor is already running")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="card-monitor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop watching; returns within about `wake_s` (the wait is also cancelled)."""
        self._stop.set()
        with self._lock:
            if self._context is not None:
                try:
                    self._context.cancel()
                except Exception:  # the wait ends at its timeout anyway
                    log.debug("SCardCancel failed", exc_info=True)
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- background thread

    def _run(self) -> None:
        readers: list[str] | None = None
        slots: dict[str, _Slot] = {}
        while not self._stop.is_set():
            try:
                context = pcsc.PcscContext()
            except ServiceNotRunningError as e:
                log.debug("monitor: %s", e)
                readers = self._lose_all(readers, slots)
                self._stop.wait(RECONNECT_S)
                continue
            with self._lock:
                self._context = context
            try:
                readers = self._watch(context, readers, slots)
            except CardError as e:
                log.info("monitor: lost pcscd (%s); reconnecting", e)
                readers = self._lose_all(readers, slots)
                self._stop.wait(RECONNECT_S)
            finally:
                with self._lock:
                    self._context = None
                context.close()

    def _watch(
        self, context: pcsc.PcscContext, readers: list[str] | None, slots: dict[str, _Slot]
    ) -> list[str]:
        while not self._stop.is_set():
            names = context.readers()
            if names != readers:
                for gone in [n for n in slots if n not in names]:
                    if slots.pop(gone).present:
                        self._emit(self._on_removed, gone)
                readers = names
                if self._on_readers_changed is not None:
                    self._emit(self._on_readers_changed, list(names))
            query = [(n, slots[n].state if n in slots else 0) for n in names]
            query.append((pcsc.PNP_NOTIFICATION, 0))
            try:
                states = context.states(query, self._wake_ms)
            except CardError as e:
                if self._stop.is_set():
                    break
                if isinstance(e, ServiceNotRunningError):
                    raise
                # A reader vanished between listing and waiting: list again, unhurried.
                log.debug("monitor: %s", e)
                self._stop.wait(0.1)
                continue
            for name, event, atr in states:
                if name in names:
                    self._update(name, event, atr, slots)
        return readers if readers is not None else []

    def _update(self, name: str, event: int, atr: bytes, slots: dict[str, _Slot]) -> None:
        present = pcsc.card_present(event)
        state = event & ~pcsc.STATE_CHANGED
        before = slots.get(name)
        slots[name] = _Slot(state, present, atr if present else b"")
        if before is None:
            if present:
                self._emit(self._on_inserted, name, atr)
            return
        # Same presence but a new event count: a card left and another came in between.
        swapped = (
            present
            and before.present
            and (before.state & pcsc.EVENT_COUNT_MASK) != (state & pcsc.EVENT_COUNT_MASK)
        )
        if before.present and (not present or swapped):
            self._emit(self._on_removed, name)
        if present and (not before.present or swapped):
            self._emit(self._on_inserted, name, atr)

    def _lose_all(self, readers: list[str] | None, slots: dict[str, _Slot]) -> list[str]:
        for name, slot in list(slots.items()):
            if slot.present:
                self._emit(self._on_removed, name)
        slots.clear()
        if readers != [] and self._on_readers_changed is not None:
            # None: the first contact failed; tell the listener there is nothing, once.
            self._emit(self._on_readers_changed, [])
        return []

    def _emit(self, callback: Callable[..., None], *args: object) -> None:
        if self._stop.is_set():
            return
        try:
            callback(*args)
        except Exception:
            # A failing listener must not end the monitoring of everyone else's events.
            log.exception("card monitor callback %s failed", getattr(callback, "__name__", "?"))

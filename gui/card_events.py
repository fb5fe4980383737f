"""Where cards come from: PC/SC readers, watched by apdu.monitor, turned into Qt signals.

apdu.monitor calls back from its own thread; emitting a Qt signal from there queues the call
into the GUI thread (AutoConnection), so the window never polls and never blocks on a reader.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from verifier.counter import readers
from verifier.counter.readers import OpenedTransport


class CardEvents(QObject):
    """Card and reader events, and a transport to the card in a named reader."""

    inserted = Signal(str)  # reader name
    removed = Signal(str)  # reader name
    readers_changed = Signal(list)  # list[str]
    #: False when the PC/SC service itself is not running (not merely no reader plugged in);
    #: sent before the readers_changed that follows.
    service_changed = Signal(bool)

    simulated = False

    def start(self) -> None:
        """Begin watching; emits readers_changed and inserted for cards already present."""

    def stop(self) -> None:
        """Stop watching; no signal is emitted afterwards."""

    def open_transport(self, reader: str) -> OpenedTransport:
        """A new connection to the card now in `reader` (called on the worker thread)."""
        raise NotImplementedError


class PcscCardEvents(CardEvents):
    """Real readers through pcscd; imports pyscard only when used."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._monitor = readers.watch(self._on_inserted, self._on_removed,
                                      self._on_readers_changed)
        self._running = False

    # These three run on the monitor's thread: emit only, touch nothing else.
    def _on_inserted(self, reader: str, atr: bytes) -> None:
        del atr  # the engine reads the ATR itself through the transport
        if self._running:
            self.inserted.emit(reader)

    def _on_removed(self, reader: str) -> None:
        if self._running:
            self.removed.emit(reader)

    def _on_readers_changed(self, names: list[str]) -> None:
        if self._running:
            self.service_changed.emit(bool(names) or readers.service_running())
            self.readers_changed.emit(list(names))

    def start(self) -> None:
        # the monitor reports the reader list and every card already present at start
        self._running = True
        self._monitor.start()

    def stop(self) -> None:
        self._running = False
        self._monitor.stop()

    def open_transport(self, reader: str) -> OpenedTransport:
        return readers.open_reader(reader)

"""The PC/SC readers as the front ends see them: listed, chosen, watched and opened here only.

pyscard is imported when one of these is first called, never at start-up. Which reader a name
or number means is decided once (`choose`), for the CLI's `--reader`, a batch line's `reader`
and the counter app's `--reader` alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from apdu.errors import CardError, ServiceNotRunningError
from apdu.transport import Transport
from verifier.errors import ConfigError

if TYPE_CHECKING:
    from apdu.pcsc import ReaderInfo


#: A connection to a card, handed to `Counter.attach`.
OpenedTransport = Transport


class ReaderWatch(Protocol):
    """Card and reader events from a background thread (apdu.monitor.CardMonitor)."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


def list_readers() -> list[ReaderInfo]:
    """Every reader with whether it holds a card. Raises ConfigError saying what to do when
    the PC/SC service cannot be asked (the operator's to fix, not a card's result)."""
    from apdu.pcsc import list_readers as listed

    try:
        return listed()
    except ServiceNotRunningError as error:
        raise ConfigError(f"cannot list readers: {service_advice()} ({error})") from error
    except CardError as error:
        raise ConfigError(f"cannot list readers: {error}") from error


def choose(wanted: str) -> str:
    """The connected reader `wanted` names (a number, a name, a unique part of one); a
    ConfigError listing the readers when it names none or several."""
    from apdu.pcsc import choose_reader

    readers = list_readers()
    try:
        return choose_reader([r.name for r in readers],
                             [r.name for r in readers if r.card_present], wanted)
    except CardError as error:  # none or several match
        raise ConfigError(f"{error}; see `mynacheck readers`") from error


def open_reader(reader: str) -> Transport:
    """An exclusive connection to the card in `reader` (raises apdu.errors.CardError)."""
    from apdu.pcsc import PcscTransport

    return PcscTransport(reader)


def service_advice() -> str:
    """What to do when the PC/SC service is not running, in the words every front end uses."""
    from verifier.engine.messages import FAILED
    from verifier.engine.verdict import Reason

    return FAILED[Reason.SERVICE_NOT_RUNNING].en


def service_running() -> bool:
    """Whether the PC/SC service answers: no reader and no service need different advice."""
    from apdu.pcsc import PcscContext

    try:
        PcscContext().close()
    except ServiceNotRunningError:
        return False
    return True


def watch(on_inserted: Callable[[str, bytes], None], on_removed: Callable[[str], None],
          on_readers_changed: Callable[[list[str]], None]) -> ReaderWatch:
    """Calls back from a background thread: at start the reader list and every card already
    present, then each change (apdu.monitor)."""
    from apdu.monitor import CardMonitor

    return CardMonitor(on_inserted, on_removed, on_readers_changed)

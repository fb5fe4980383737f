"""Minimal cards for the PC/SC tests: test doubles of a chip, not of the code under test; and
the names the tests share with conftest.py (imported from here: `from conftest import` would
find tests/gui/conftest.py when that one was imported last)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from apdu.errors import CardRemovedError
from testcards.vpcd import VpcdBridge

TEST_ATR = bytes.fromhex("3B 88 80 01 4D 59 4E 41 43 48 4B 00 51")
VPCD_PORTS = (35963, 35964)  # reader slot 0 and slot 1 of the vpcd driver
CARD_WAIT_S = 10.0


@dataclass
class ScriptedCard:
    """A minimal card: answers every command with `answer` and records what it got.

    `tear_at`: the exchange (1-based) on which it is pulled out mid-command.
    """

    answer: bytes = bytes.fromhex("9000")
    atr: bytes = TEST_ATR
    tear_at: int | None = None
    received: list[bytes] = field(default_factory=list)
    #: What the reader did to it: "power_up", "power_down", "warm_reset", in order.
    events: list[str] = field(default_factory=list)

    def transmit(self, apdu: bytes) -> bytes:
        self.received.append(apdu)
        if self.tear_at is not None and len(self.received) >= self.tear_at:
            raise CardRemovedError("torn")
        return self.answer

    def power_up(self) -> None:
        self.events.append("power_up")

    def power_down(self) -> None:
        self.events.append("power_down")

    def warm_reset(self) -> None:
        self.events.append("warm_reset")


@dataclass
class ServedCard:
    bridge: VpcdBridge
    reader: str


ServeCard = Callable[..., ServedCard]

#: `scripts/pcscd.sh COMMAND`, as the restartable_pcscd fixture gives it.
PcscdScript = Callable[[str], "subprocess.CompletedProcess[str]"]


def wait_until(condition: Callable[[], bool], timeout_s: float = 5.0) -> bool:
    """Polls `condition` until it holds (True) or `timeout_s` passes (False)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True

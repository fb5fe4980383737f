"""Where a card comes from: a PC/SC reader, or a card-source plug-in found by name.

The simulated cards live in the `testcards` package, which the application layer never
imports: it finds them through the `mynacheck.card_sources` entry point, so a counter install
without them simply has no simulated source.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.metadata import entry_points
from typing import Protocol

from apdu.errors import (
    AmbiguousReaderError,
    CardError,
    NoReaderError,
    ReaderRemovedError,
    ServiceNotRunningError,
)
from apdu.transport import Transport
from verifier.documents.my_number.code_b import CodeB
from verifier.documents.residence.card_number import CardNumber
from verifier.errors import ConfigError

SERVICE_RETRY_S = 0.25
PLUGIN_GROUP = "mynacheck.card_sources"
SIMULATED_PLUGIN = "simulated"


@dataclass(frozen=True, repr=False)
class PrintedCard:
    """What a simulated card's face prints (a trainee types code B from it): the birth date,
    whether it is printed in the Gregorian calendar, the expiry date and the security code."""

    birth: date
    gregorian: bool
    expiry: date
    security_code: str

    def __repr__(self) -> str:
        return "PrintedCard(<invented data>)"


@dataclass(frozen=True, repr=False)
class PrintedNumber:
    """What a simulated residence card's face prints that opens it (a trainee types it)."""

    card_number: str
    document: str  # "residence_card" or "special_permanent_resident_certificate"
    generation: int

    def __repr__(self) -> str:
        return "PrintedNumber(<invented data>)"


class SimulatedCards(Protocol):
    """What the simulated-card plug-in offers the application layer."""

    @property
    def profiles(self) -> Sequence[str]: ...

    @property
    def persona_count(self) -> int: ...

    def persona_count_of(self, profile: str) -> int:
        """How many personas `profile`'s family of card has."""

    def check(self, profile: str, *, persona: int, quirks: str) -> None:
        """Raises ValueError, with a message for the operator, for anything unusable."""

    def open(self, profile: str, *, persona: int, quirks: str
             ) -> tuple[Transport, CodeB | CardNumber]:
        """A freshly issued card (own counters) and the key printed on its face: the code B
        of a My Number Card, the card number of a residence card."""

    def describe(self, profile: str) -> str:
        """One line on what the profile is (the training panel's tooltip)."""

    def persona_key(self, persona: int, profile: str | None = None) -> str:
        """A short stable name of the persona (showa, heisei, foreign, …)."""

    def printed(self, profile: str, *, persona: int) -> PrintedCard | PrintedNumber:
        """What that card's face prints that opens it."""


@cache
def simulated_cards() -> SimulatedCards:
    """The simulated-card plug-in; ConfigError when this install has none."""
    found = entry_points(group=PLUGIN_GROUP, name=SIMULATED_PLUGIN)
    for entry in found:
        plugin: SimulatedCards = entry.load()
        return plugin
    raise ConfigError("simulated cards are not installed (the testcards package)")


@dataclass(frozen=True)
class SourceSpec:
    """Which card to verify: a reader (name, index, unique substring, or None for the one
    holding a card) or a simulated profile."""

    reader: str | None = None
    simulated: str | None = None  # a simulated-card profile name
    persona: int = 0
    quirks: str = ""
    wait_s: float = 0.0

    @property
    def label(self) -> str:
        if self.simulated is not None:
            return f"simulated:{self.simulated}"
        return self.reader or "auto"

    def reader_key(self, readers: Sequence[str]) -> str:
        """The reader this spec reads, over `readers` (the connected readers' names): the
        PC/SC name its index, name or unique part of a name resolves to, so that two ways of
        writing one reader give one key. The label as written for a simulated card, for "the
        one reader holding a card", and for a reader that names none of `readers` (one not
        connected yet, for a spec that waits)."""
        if self.simulated is not None or self.reader is None or not readers:
            return self.label
        from apdu.pcsc import choose_reader

        try:
            return choose_reader(list(readers), list(readers), self.reader)
        except CardError:
            return self.label

    def validate(self) -> None:
        """Raises ConfigError for a spec that cannot be opened as given."""
        if self.simulated is not None and self.reader is not None:
            raise ConfigError("give either a simulated profile or a reader")
        if self.simulated is None and (self.quirks or self.persona):
            raise ConfigError("persona and quirks go with a simulated card")
        if self.simulated is not None:
            try:
                simulated_cards().check(self.simulated, persona=self.persona,
                                        quirks=self.quirks)
            except ValueError as error:
                raise ConfigError(str(error)) from error

    def check_reader(self) -> None:
        """Raises ConfigError when `reader` names no connected reader (or several), listing
        the readers: a mistyped name is the operator's to fix, not a card's result. A PC/SC
        service that is down or no reader at all is left to the card's own result, which
        says what to do; so is a name not yet connected when the spec waits for a card."""
        if self.simulated is not None or self.reader is None:
            return
        from apdu.pcsc import choose_reader, list_readers

        try:
            names = [r.name for r in list_readers()]
        except CardError:
            return
        if not names or self.wait_s > 0:
            return
        try:
            choose_reader(names, names, self.reader)
        except (NoReaderError, AmbiguousReaderError) as error:
            raise ConfigError(f"{error}; see `mynacheck readers`") from error


def connected_readers() -> list[str]:
    """The names of the readers PC/SC lists now; none when the service cannot be reached (each
    card's own result then says so)."""
    from apdu.pcsc import list_readers

    try:
        return [r.name for r in list_readers()]
    except CardError:
        return []


@dataclass(frozen=True)
class OpenedCard:
    transport: Transport
    reader: str  # the resolved reader name, or the simulated label
    in_process: bool  # a plug-in's simulated card, not a reader's
    #: a simulated card's printed code B or card number, used when none was given
    printed_key: CodeB | CardNumber | None


def open_card(spec: SourceSpec) -> OpenedCard:
    """Connect; raises apdu.errors.CardError when no card can be reached."""
    if spec.simulated is not None:
        transport, printed = simulated_cards().open(spec.simulated, persona=spec.persona,
                                                    quirks=spec.quirks)
        return OpenedCard(transport, spec.label, True, printed)
    from apdu.pcsc import resolve_reader
    from verifier.counter.readers import open_reader

    name = (_wait_for_card(spec.reader, spec.wait_s) if spec.wait_s > 0
            else resolve_reader(spec.reader))
    return OpenedCard(open_reader(name), name, False, None)


def _wait_for_card(reader: str | None, wait_s: float) -> str:
    """Wait for a card; a PC/SC service or reader that is gone for a moment (pcscd restarting,
    a USB reader re-plugged) is waited for too, within the same deadline."""
    from apdu.pcsc import wait_for_card

    deadline = time.monotonic() + wait_s
    while True:
        try:
            return wait_for_card(reader, max(0.0, deadline - time.monotonic()))
        except (ServiceNotRunningError, ReaderRemovedError, NoReaderError):
            if time.monotonic() + SERVICE_RETRY_S >= deadline:
                raise
            time.sleep(SERVICE_RETRY_S)

"""Where a card comes from: a PC/SC reader, or an in-process simulated card."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace

from apdu.errors import CardError, NoReaderError, ReaderRemovedError, ServiceNotRunningError
from apdu.transport import Transport
from verifier.checks import Verification, VerifyOptions
from verifier.code_b import CodeB
from verifier.errors import VerifierError
from verifier.verdict import Result

SERVICE_RETRY_S = 0.25


class CardSourceError(VerifierError):
    """The card source is not usable as given."""


@dataclass(frozen=True)
class CardSource:
    reader: str | None = None  # name, index or unique substring; None: the one holding a card
    simulated: str | None = None  # a testcards profile name
    persona: int = 0
    quirks: str = ""
    wait_s: float = 0.0

    @property
    def label(self) -> str:
        if self.simulated is not None:
            return f"simulated:{self.simulated}"
        return self.reader or "auto"

    def validate(self) -> None:
        if self.simulated is not None and self.reader is not None:
            raise CardSourceError("give either a simulated profile or a reader")
        if self.simulated is None and (self.quirks or self.persona):
            raise CardSourceError("persona and quirks go with a simulated card")
        if self.simulated is not None:
            import testcards

            if self.simulated not in testcards.PROFILES:
                raise CardSourceError(f"unknown profile {self.simulated!r}; choose from "
                                      f"{', '.join(testcards.PROFILES)}")
            if not 0 <= self.persona < len(testcards.PERSONAS):
                raise CardSourceError(f"persona must be 0..{len(testcards.PERSONAS) - 1}")
            try:
                testcards.parse_quirks(self.quirks)
            except ValueError as error:
                raise CardSourceError(str(error)) from error


@dataclass(frozen=True)
class OpenedCard:
    transport: Transport
    reader: str  # the resolved reader name, or the simulated label
    own_code: CodeB | None  # a simulated persona's code, used when none was typed


def open_card(source: CardSource) -> OpenedCard:
    """Connect; raises apdu.errors.CardError when no card can be reached."""
    if source.simulated is not None:
        import testcards

        card = testcards.build_card(source.simulated, persona=source.persona,
                                    quirks=testcards.parse_quirks(source.quirks))
        printed = testcards.printed_persona(source.simulated, testcards.PERSONAS[source.persona])
        return OpenedCard(card, source.label, printed.code_b)
    from apdu.pcsc import PcscTransport, resolve_reader

    name = (_wait_for_card(source.reader, source.wait_s) if source.wait_s > 0
            else resolve_reader(source.reader))
    return OpenedCard(PcscTransport(name), name, None)


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


@contextlib.contextmanager
def _released(transport: Transport) -> Iterator[Transport]:
    try:
        yield transport
    finally:
        with contextlib.suppress(CardError):  # the card is gone already: nothing to release
            transport.close()


def verify_source(source: CardSource, options: VerifyOptions,
                  code_b: CodeB | None) -> tuple[Result, str]:
    """One card, one session, one verification; (result, reader name)."""
    from verifier.card_errors import result_for_connect_error

    try:
        opened = open_card(source)
    except CardError as error:
        return result_for_connect_error(error, simulated=source.simulated is not None), \
            source.label
    with _released(opened.transport) as transport:
        result = Verification(transport, options_for_reader(options, opened.reader)).verify(
            code_b or opened.own_code)
    return result, opened.reader


def options_for_reader(options: VerifyOptions, reader: str) -> VerifyOptions:
    """A virtual reader's card is a simulated card (so the simulated CA may be trusted when
    the operator named it); a physical reader's never is."""
    from apdu.pcsc import is_virtual_reader

    if options.simulated or not is_virtual_reader(reader):
        return options
    return replace(options, simulated=True)

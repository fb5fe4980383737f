"""What one run costs (exchanges, bytes, milliseconds), the median of many, and the counter
every section measures, shared by the bench's sections."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

from apdu.transport import CountingTransport, ExchangeStats
from testcards.vpcd import VirtualCard
from verifier.counter.policy import CounterPolicy
from verifier.counter.visit import Counter
from verifier.documents.my_number.trust import SIMULATED

#: Per-answer latency and link speed of a contactless reader (quirks of the simulated card),
#: so that times are what a counter would see.
READER_MODEL = "slow=10,kbps=212"


@dataclass(frozen=True)
class Sample:
    exchanges: int
    bytes: int
    ms: float


def median(samples: list[Sample]) -> Sample:
    return Sample(int(statistics.median(s.exchanges for s in samples)),
                  int(statistics.median(s.bytes for s in samples)),
                  statistics.median(s.ms for s in samples))


def counter(*, text_ap: bool = False) -> Counter:
    """The application layer as the counter app runs it (photo decoded), trusting the
    simulated CA for the cards on the virtual readers."""
    return Counter(CounterPolicy(hierarchies=(SIMULATED,), text_ap=text_ap, training=True),
                   decode_photo=True)


def with_model(quirks: str, model: str) -> str:
    return ",".join(part for part in (quirks, model) if part)


class Card(VirtualCard, Protocol):
    """A simulated card as both a reader (the bridge) and a transport (in-process) use it."""

    def close(self) -> None: ...


class TalliedCard(CountingTransport):
    """A simulated card that counts what crosses its contacts. Counted at the card, a run is
    measured the same way whoever opens the reader: the counter (which connects by itself) and
    the naive reader alike, in-process or through pcscd."""

    def __init__(self, card: Card) -> None:
        super().__init__(card)
        self.card = card

    def power_up(self) -> None:
        self.card.power_up()

    def power_down(self) -> None:
        self.card.power_down()

    def warm_reset(self) -> None:
        self.card.warm_reset()


class CardMaker:
    """A card factory for a reader that keeps the card it made last: pcscd may reconnect, and
    the new card is the one being counted."""

    def __init__(self, build: Callable[[], Card]) -> None:
        self._build = build
        self.latest: TalliedCard | None = None

    def __call__(self) -> TalliedCard:
        self.latest = TalliedCard(self._build())
        return self.latest

    def stats(self) -> ExchangeStats:
        if self.latest is None:
            raise RuntimeError("no card was put on the reader")
        return replace(self.latest.stats)


def tallied(maker: CardMaker, run: Callable[[], object]) -> Sample:
    """`run` timed, and what the card saw of it."""
    before = maker.stats()
    started = time.perf_counter()
    run()
    elapsed = (time.perf_counter() - started) * 1000
    after = maker.stats()
    moved = (after.bytes_sent + after.bytes_received) - (before.bytes_sent + before.bytes_received)
    return Sample(after.exchanges - before.exchanges, moved, elapsed)

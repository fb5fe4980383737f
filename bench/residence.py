"""Residence cards in `make bench` (issue 17): exchanges, bytes and time of the counter against
the naive residence reader, per generation, in-process and through pcscd.

`python -m bench` prints these sections among the others; `python -m bench.residence [--runs N]`
prints only them. Both sides are counted at the card (`samples.TalliedCard`), because the
counter opens the reader itself.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from functools import partial

from apdu import pcsc
from apdu.transport import Transport
from bench.naive_residence import naive_residence
from bench.rig import card_on_reader, pcscd_running
from bench.samples import (
    READER_MODEL,
    Card,
    CardMaker,
    Sample,
    TalliedCard,
    counter,
    median,
    tallied,
    with_model,
)
from testcards.quirks import parse_quirks
from testcards.residence.authority import simulated_trust
from testcards.residence.builder import build_residence_card
from verifier.counter.sources import SourceSpec
from verifier.counter.visit import Counter
from verifier.documents.residence.card_number import CardNumber
from verifier.documents.residence.trust import ResidenceTrust
from verifier.engine.verdict import Result, Verdict

GENERATIONS = (("first", "residence-genuine-1"), ("second", "residence-genuine-2"))
#: The reader forms measured: the contactless reader a counter has, one that also refuses
#: extended lengths, and a contact reader speaking T=0 (no contactless link does).
FORMS = (("contactless", "contactless"), ("contactless, no extended lengths",
                                          "contactless,no-extended"), ("contact T=0", "t0"))


def printed_number(profile: str) -> CardNumber:
    """The number the card prints: what the clerk types."""
    return build_residence_card(profile).card_number


def card_factory(profile: str, quirks: str) -> Callable[[], Card]:
    parsed = parse_quirks(quirks)
    return lambda: build_residence_card(profile, quirks=parsed)


def cases(model: str) -> Iterator[tuple[str, str, CardNumber, CardMaker]]:
    """A table's rows: generation, reader form, the number the card prints (what the clerk
    types) and a maker of its cards, with the reader `model` on top of the form's quirks."""
    for generation, profile in GENERATIONS:
        number = printed_number(profile)
        for label, quirks in FORMS:
            yield generation, label, number, CardMaker(card_factory(profile,
                                                                    with_model(quirks, model)))


def expect_genuine(result: Result, who: str) -> None:
    if result.verdict is not Verdict.GENUINE:
        raise SystemExit(f"bench: {who} got {result.verdict} on a genuine residence card: "
                         f"{result.failing_check}")


def expect_naive_genuine(transport: Transport, number: CardNumber,
                         trust: ResidenceTrust) -> None:
    outcome = naive_residence(transport, number, trust)
    if not outcome.genuine:
        raise SystemExit(f"bench: the naive reader judged a genuine residence card "
                         f"{outcome.chain.status.value} / {outcome.signature}")


HEADER = ("| generation | reader | ours exchanges | ours bytes | ours ms | naive exchanges "
          "| naive bytes | naive ms | exchanges vs naive | time vs naive |\n"
          "|---|---|---|---|---|---|---|---|---|---|")


def row(generation: str, label: str, mine: Sample, base: Sample, first: int | None = None) -> str:
    exchanges = f"{first} / {mine.exchanges}" if first is not None else f"{mine.exchanges}"
    return (f"| {generation} | {label} | {exchanges} | {mine.bytes} | {mine.ms:.1f} | "
            f"{base.exchanges} | {base.bytes} | {base.ms:.1f} | "
            f"{mine.exchanges / base.exchanges:.2f} | {mine.ms / base.ms:.2f} |")


# --- in-process ---------------------------------------------------------------------------------
def in_process(runs: int) -> None:
    """Each run a fresh counter and card (one `mynacheck verify`); no pcscd needed."""
    trust = simulated_trust()
    print(f"\n## Residence cards in-process (no reader), median of {runs} runs\n")
    print("Ours: the counter (`Counter`, photo decoded): the document recognised, the chip "
          "opened with the card number, chain and signature. Naive: `bench/naive_residence.py`, "
          "SELECT EF and chunks of 224 (SM) / 256 (plain) bytes, the same chain and signature "
          "check, no photo decoded. Each run a new counter, so ours pays for every form the "
          "card refuses. With no link, the times are processing only (ours also decodes the "
          "JPEG 2000 photo): the pcscd table below says what a counter waits.\n")
    print(HEADER)
    for generation, label, number, maker in cases(""):
        mine = median([on_fresh_card(maker, partial(ours_attached, number))
                       for _ in range(runs)])
        base = median([on_fresh_card(maker, partial(naive_attached, number, trust))
                       for _ in range(runs)])
        print(row(generation, label, mine, base))


def on_fresh_card(maker: CardMaker, run: Callable[[TalliedCard], None]) -> Sample:
    """`run` on a card made for it before the clock starts (a card is on the reader before
    the clerk confirms)."""
    card = maker()
    return tallied(maker, partial(run, card))


def ours_attached(number: CardNumber, card: TalliedCard) -> None:
    # `Counter.check` without the connect: in-process there is no reader to open.
    with contextlib.closing(counter().attach(card, reader="in-process",
                                             in_process=True)) as visit:
        expect_genuine(visit.verify(number).result, "the counter")


def naive_attached(number: CardNumber, trust: ResidenceTrust, card: TalliedCard) -> None:
    expect_naive_genuine(card, number, trust)


# --- through pcscd ------------------------------------------------------------------------------
def through_pcscd(runs: int, readers: list[str], model: str) -> None:
    """One counter per row, as a counter app reads card after card on one reader: the first
    card pays for the forms the reader refuses (`first / later`)."""
    reader = readers[0]
    trust = simulated_trust()
    print(f"\n## Residence cards through pcscd + vpcd + pyscard ({reader}), median of {runs} "
          "runs\n")
    print(f"Every card also has the reader model `{model}`. Ours: `Counter.check(SourceSpec("
          "reader=…), card number)` as the CLI and batch run it (connect, recognise, open, "
          "read, judge, photo decoded, release). Naive: `bench/naive_residence.py` on its own "
          "connection, no photo decoded. Ours' exchanges: first card / later cards of one "
          "counter (its bytes and ms: the later cards').\n")
    print(HEADER)
    for generation, label, number, maker in cases(model):
        with card_on_reader(maker, reader, 0):
            desk = counter()
            samples = [tallied(maker, partial(ours_on, desk, reader, number))
                       for _ in range(runs)]
            base = median([tallied(maker, partial(naive_on, reader, number, trust))
                           for _ in range(runs)])
        print(row(generation, label, median(samples[1:] or samples), base,
                  first=samples[0].exchanges))


def ours_on(desk: Counter, reader: str, number: CardNumber) -> None:
    expect_genuine(desk.check(SourceSpec(reader=reader), number).result, "the counter")


def naive_on(reader: str, number: CardNumber, trust: ResidenceTrust) -> None:
    with pcsc.PcscTransport(reader) as transport:
        expect_naive_genuine(transport, number, trust)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.residence")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reader-model", default=READER_MODEL,
                        help="quirks that make a simulated card as slow as a real reader")
    args = parser.parse_args()
    print("# mynacheck bench: residence cards")
    in_process(args.runs)
    with pcscd_running() as readers:
        through_pcscd(args.runs, readers, args.reader_model)
    return 0


if __name__ == "__main__":
    sys.exit(main())

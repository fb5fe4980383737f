"""The bench's naive residence reader (bench/naive_residence.py) is a fair yardstick: it really
judges a genuine card genuine (and a tampered one not), and the counter asks the chip fewer
times than it does. Counts only: times belong to `make bench`, never to a test."""

from __future__ import annotations

from functools import partial

import pytest

from bench.naive_residence import naive_residence
from bench.residence import card_factory, naive_attached, on_fresh_card, ours_attached
from bench.samples import CardMaker
from testcards.residence.authority import simulated_trust
from testcards.residence.builder import build_residence_card
from tests.residence.conftest import seeded
from verifier.documents.residence import constants as c
from verifier.documents.residence.signature import ChainStatus

GENUINE = ("residence-genuine-1", "residence-genuine-2", "residence-spr-genuine-1",
           "residence-spr-genuine-2")
GENERATIONS = ("residence-genuine-1", "residence-genuine-2")


@pytest.mark.parametrize("profile", GENUINE)
def test_the_naive_reader_judges_a_genuine_card_genuine(profile: str) -> None:
    card = build_residence_card(profile)
    outcome = naive_residence(card, card.card_number, simulated_trust(), random=seeded())
    assert outcome.chain.status is ChainStatus.TRUSTED
    assert outcome.signature is not None and outcome.signature.valid
    assert outcome.genuine
    assert card.verify_count == 1


@pytest.mark.parametrize("profile", ["residence-tampered-photo-1", "residence-tampered-photo-2"])
def test_the_naive_reader_checks_the_signature_for_real(profile: str) -> None:
    card = build_residence_card(profile)
    outcome = naive_residence(card, card.card_number, simulated_trust(), random=seeded())
    assert outcome.chain.trusted and not outcome.genuine


@pytest.mark.parametrize("profile", GENERATIONS)
def test_the_naive_reader_uses_none_of_the_shortcuts(profile: str) -> None:
    """No short EF id, no extended length, no whole-file SM read: each file by SELECT EF and
    offsets, each SM chunk a short APDU."""
    card = build_residence_card(profile)
    naive_residence(card, card.card_number, simulated_trust(), random=seeded())
    reads = [command for command in card.commands if command[1] == c.INS_READ_BINARY]
    assert reads and not any(command[2] & c.SFI_FLAG for command in reads)
    # a short SM read is header, Lc, 96 02 LL LL, Le: 10 bytes (an extended one is 13)
    assert all(len(command) <= 10 for command in reads)


@pytest.mark.parametrize("profile", GENERATIONS)
@pytest.mark.parametrize("quirks", ["contactless", "contactless,no-extended", "t0"])
def test_the_counter_asks_fewer_times_than_the_naive_reader(profile: str, quirks: str) -> None:
    """The bench's own runs (counted at the card): far fewer on the contactless reader the
    counter has; never more where the reader refuses extended lengths or speaks T=0."""
    number = build_residence_card(profile).card_number
    maker = CardMaker(card_factory(profile, quirks))
    ours = on_fresh_card(maker, partial(ours_attached, number)).exchanges
    naive = on_fresh_card(maker, partial(naive_attached, number, simulated_trust())).exchanges
    if quirks == "contactless":
        assert ours * 4 <= naive
    else:
        assert ours < naive

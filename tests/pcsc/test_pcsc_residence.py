"""Residence cards through pcscd + vsmartcard's vpcd + pyscard: the reader's extended-length
whole-file reads and its fallbacks over a real PC/SC stack, every profile's outcome, and a
wrong number costing one VERIFY at most. (The counter layer wires residence cards in later;
these hold the document's own driver to the real transport.)"""

from __future__ import annotations

import pytest
from vpcd_cards import ServeCard

from apdu import pcsc
from testcards.quirks import parse_quirks
from testcards.residence.authority import simulated_trust
from testcards.residence.builder import build_residence_card
from testcards.residence.profiles import RESIDENCE_PROFILES
from tests.residence.conftest import TODAY, verdict_of
from verifier.documents.residence.card_number import parse_card_number
from verifier.documents.residence.check_ids import ResidenceCheck
from verifier.documents.residence.outcome import ResidenceReason
from verifier.documents.residence.verification import check_residence_card

pytestmark = pytest.mark.pcsc


@pytest.mark.parametrize("name", list(RESIDENCE_PROFILES))
def test_every_residence_profile_through_pcscd(serve_card: ServeCard, name: str) -> None:
    card = build_residence_card(name, quirks=parse_quirks("contactless"))
    served = serve_card(lambda: card)
    with pcsc.PcscTransport(served.reader) as transport:
        result = check_residence_card(transport, card.card_number, simulated_trust(),
                                      today=TODAY)
    assert verdict_of(result) is RESIDENCE_PROFILES[name].expected_when_typed, result
    assert card.verify_count <= 1


@pytest.mark.parametrize("quirks", ["", "no-extended", "t0", "no-sfi"])
@pytest.mark.parametrize("name", ["residence-genuine-1", "residence-genuine-2"])
def test_genuine_cards_in_every_reader_form(serve_card: ServeCard, name: str,
                                            quirks: str) -> None:
    parsed = parse_quirks(quirks)
    card = build_residence_card(name, quirks=parsed)
    served = serve_card(lambda: card)
    with pcsc.PcscTransport(served.reader) as transport:
        result = check_residence_card(transport, card.card_number, simulated_trust(),
                                      today=TODAY, t0=transport.protocol_name == "T0")
    assert result.genuine, result


def test_a_wrong_number_through_pcscd(serve_card: ServeCard) -> None:
    card = build_residence_card("residence-genuine-2")
    served = serve_card(lambda: card)
    with pcsc.PcscTransport(served.reader) as transport:
        result = check_residence_card(transport, parse_card_number("ZZ00000001ZZ"),
                                      simulated_trust(), today=TODAY)
    assert result.step(ResidenceCheck.CARD_NUMBER_VERIFY).reason is \
        ResidenceReason.NUMBER_REJECTED
    assert not result.evidence and card.verify_count == 0

"""Which answers make the session give up the short-EF-id form (`refuses_short_ef`), built on
the status-word classifier and nowhere else."""

from __future__ import annotations

from datetime import date

import pytest

import testcards
from apdu import StatusWord
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.checks import VerifyOptions, verify_card
from verifier.documents.my_number.trust import TrustStore
from verifier.engine.session import refuses_short_ef
from verifier.engine.verdict import Verdict


@pytest.mark.parametrize("value", [0x6700, 0x6A80, 0x6A81, 0x6A86, 0x6A87, 0x6D00, 0x6E00,
                                   0x6A82, 0x6A88, 0x6B00])
def test_a_card_without_short_ef_ids_is_recognised(value: int) -> None:
    assert refuses_short_ef(StatusWord.of(value))


@pytest.mark.parametrize("value", [0x9000, 0x6282, 0x6982, 0x6984, 0x63C2, 0x6300, 0x6F00,
                                   0x6581, 0x6985, 0x6986, 0x6981])
def test_answers_that_are_no_refusal_of_short_ef_ids(value: int) -> None:
    # security, tries, a transient fault: the form was understood; 6282 is a real end of file
    assert not refuses_short_ef(StatusWord.of(value))


class NoShortEfIds:
    """A genuine card behind a card OS that answers `sw` to every short-EF-id READ BINARY and
    VERIFY (the way some card OSes read P1/P2 they do not understand)."""

    def __init__(self, sw: int) -> None:
        self.card = testcards.build_card("genuine")
        self.sw = sw.to_bytes(2, "big")

    def transmit(self, apdu: bytes) -> bytes:
        ins, p1, p2 = apdu[1], apdu[2], apdu[3]
        if (ins == p.INS_READ_BINARY and p1 & p.SFI_FLAG) or (
                ins == p.INS_VERIFY and p2 & p.SFI_FLAG and p2 != p.VERIFY_P2_SELECTED):
            return self.sw
        return self.card.transmit(apdu)

    def close(self) -> None:
        self.card.close()


@pytest.mark.parametrize("value", [0x6700, 0x6A80, 0x6A81, 0x6A82, 0x6A86, 0x6A87, 0x6A88,
                                   0x6B00, 0x6D00, 0x6E00])
def test_a_card_that_refuses_short_ef_ids_is_read_by_select(value: int) -> None:
    card = NoShortEfIds(value)
    options = VerifyOptions(trust=TrustStore.builtin(accepted=("simulated",)),
                            today=date(2026, 11, 23), simulated=True)
    result = verify_card(card, options, testcards.PERSONAS[0].code_b)
    assert result.verdict is Verdict.GENUINE, result.failing_check
    verifies = [c for c in card.card.commands if c[1] == p.INS_VERIFY and len(c) > 4]
    assert len(verifies) == 2  # the digits once to each AP, by SELECT + VERIFY
    assert all(c[3] == p.VERIFY_P2_SELECTED for c in verifies)

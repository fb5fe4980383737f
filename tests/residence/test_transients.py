"""A one-off transient status word at any exchange of a verification is never an accusation: an
idempotent command is sent once more, MUTUAL AUTHENTICATE is redone from a fresh challenge, and
a VERIFY answered with one is not sent again (確認できず, read again)."""

from __future__ import annotations

import pytest

from testcards.quirks import Quirks
from testcards.residence.authority import simulated_trust
from testcards.residence.builder import build_residence_card
from testcards.residence.profiles import RESIDENCE_PROFILES
from tests.residence.conftest import TODAY, seeded, verdict_of
from verifier.documents.residence import constants as c
from verifier.documents.residence.check_ids import ResidenceCheck
from verifier.documents.residence.outcome import ResidenceReason, ResidenceResult
from verifier.documents.residence.verification import check_residence_card
from verifier.engine.verdict import Verdict

TRUST = simulated_trust()
#: Exchanges of a clean verification: gen 1 and 2 (measured in test_exchanges.py).
EXCHANGES = {"residence-genuine-1": 10, "residence-spr-genuine-1": 10,
             "residence-genuine-2": 11, "residence-spr-genuine-2": 11,
             "residence-expired": 11}
SWS = (0x6F00, 0x6581, 0x6400, 0x6800, 0x6A00 + 0x00)  # 6A00: no kind, an unexplained answer


def run(profile: str, at: int, sw: int = 0x6F00) -> tuple[Verdict, ResidenceResult,
                                                           bytes | None]:
    card = build_residence_card(profile, quirks=Quirks(transient_at=at, transient_sw=sw),
                                random=seeded(at))
    result = check_residence_card(card, card.card_number, TRUST, today=TODAY,
                                  random=seeded(at + 100))
    verifies = [cmd for cmd in card.commands if cmd[1] == c.INS_VERIFY]
    assert len(verifies) <= 1
    return verdict_of(result), result, card.commands[at - 1][:2] if at <= len(
        card.commands) else None


@pytest.mark.parametrize("profile", list(EXCHANGES))
def test_a_6f00_at_every_position_is_never_an_accusation(profile: str) -> None:
    expected = RESIDENCE_PROFILES[profile].expected
    for at in range(1, EXCHANGES[profile] + 3):
        verdict, result, command = run(profile, at)
        assert verdict is not Verdict.COUNTERFEIT_SUSPECTED, (at, result)
        if command == bytes((c.CLA_SM, c.INS_VERIFY)):
            # never resent: the clerk is asked to read again
            assert verdict is Verdict.NOT_VERIFIED, (at, result)
            assert result.step(ResidenceCheck.CARD_NUMBER_VERIFY).reason is \
                ResidenceReason.READ_FAILED
        else:
            assert verdict is expected, (at, result)


@pytest.mark.parametrize("sw", SWS, ids=lambda sw: f"{sw:04X}")
@pytest.mark.parametrize("profile", ["residence-genuine-1", "residence-genuine-2"])
def test_other_status_words_are_never_an_accusation_either(profile: str, sw: int) -> None:
    for at in range(1, EXCHANGES[profile] + 2):
        verdict, result, _ = run(profile, at, sw)
        assert verdict is not Verdict.COUNTERFEIT_SUSPECTED, (at, f"{sw:04X}", result)


@pytest.mark.parametrize("profile", ["residence-forged-ca", "residence-tampered-photo-1",
                                     "residence-tampered-entry"])
def test_a_transient_does_not_hide_a_counterfeit_it_cannot_reach(profile: str) -> None:
    """After the resend the evidence is the same: the transient changed nothing on the card."""
    for at in (1, 2, 3, 6, 7, 8):
        verdict, result, _ = run(profile, at)
        assert verdict is Verdict.COUNTERFEIT_SUSPECTED, (at, result)

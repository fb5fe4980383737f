"""End to end, in-process: the verifier gives every simulated profile its documented verdict,
through every quirk, fast."""

from __future__ import annotations

from datetime import date

import pytest

import testcards
from verifier.engine.checks import VerifyOptions, verify_card
from verifier.engine.verdict import Verdict

TODAY = date(2026, 11, 23)
QUIRKS = ["", "no-extended", "no-sfi", "t0", "wrong-le", "contactless",
          "no-extended,no-sfi,t0,wrong-le"]


@pytest.fixture(scope="module")
def options() -> VerifyOptions:
    from verifier.card.trust import TrustStore

    return VerifyOptions(trust=TrustStore.builtin(accepted=("production", "simulated")),
                         today=TODAY, simulated=True)


@pytest.mark.parametrize("name", list(testcards.PROFILES))
def test_profile_verdict(name: str, options: VerifyOptions) -> None:
    profile = testcards.PROFILES[name]
    card = testcards.build_card(name)
    result = verify_card(card, options, card.code_b)  # the code printed on this card
    failing = result.failing_check
    assert result.verdict is profile.expected, result.checks
    assert (failing.id if failing else None) == profile.failing_check


@pytest.mark.parametrize("quirks", QUIRKS)
def test_genuine_through_every_quirk(quirks: str, options: VerifyOptions) -> None:
    card = testcards.build_card("genuine", quirks=testcards.parse_quirks(quirks))
    result = verify_card(card, options, card.code_b)
    assert result.verdict is Verdict.GENUINE, (quirks, result.failing_check)
    assert card.exchanges == result.apdu_count


def test_the_my_number_files_are_never_touched(options: VerifyOptions) -> None:
    from verifier.card import constants as p

    card = testcards.build_card("genuine")
    verify_card(card, options, card.code_b)
    touched = set(card.files_touched)
    assert (p.AID_CARD_FACE, p.EF_CF_FACE) in touched  # the record works...
    assert (p.AID_CARD_FACE, p.EF_CF_MY_NUMBER_IMAGE) not in touched  # ...and proves this
    assert (p.AID_TEXT, p.EF_TX_MY_NUMBER) not in touched

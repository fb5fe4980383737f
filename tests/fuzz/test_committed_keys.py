"""A forger holding this repository's TEST-ONLY simulated CA keys (testcards/keys, public by
design) can issue a chip whose every signature verifies under the `simulated` hierarchy. Such
a chip must never pass for a person's ID when it sits in a real reader, whatever the operator
typed: the keys are public, so `simulated` proves nothing about a real card.

The simulated card here stands in for that forged chip in a real reader (options.simulated is
False, as for a PC/SC transport). Run time: < 1 s.
"""

from __future__ import annotations

import pytest

import testcards
from tests.fuzz import chip as c
from verifier.documents.my_number.checks import VerifyOptions, verify_card
from verifier.documents.my_number.trust import TrustStore
from verifier.engine.verdict import Verdict


@pytest.mark.parametrize("accepted", [("production",), ("production", "simulated")])
def test_chip_signed_with_the_committed_keys_never_passes_in_a_real_reader(
        accepted: tuple[str, ...]) -> None:
    forged = testcards.build_card("genuine")  # signed by the committed simulated CA
    real_reader = VerifyOptions(trust=TrustStore.builtin(accepted=accepted), today=c.TODAY,
                                simulated=False)
    result = verify_card(forged, real_reader, testcards.PERSONAS[0].code_b)
    assert result.card.hierarchy == "simulated"
    assert result.verdict is not Verdict.GENUINE, (
        "a real reader's card passed on the public simulated CA keys")


def test_simulated_card_in_training_mode_still_passes() -> None:
    """The other side: in-process training cards are verified against the simulated CA."""
    result = verify_card(testcards.build_card("genuine"), c.options(),
                         testcards.PERSONAS[0].code_b)
    assert result.verdict is Verdict.GENUINE
    assert result.simulated

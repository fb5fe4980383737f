"""A genuine card whose unsigned wrapping differs, through pcscd + vpcd + pyscard and the
application layer: GENUINE with its oddities; the same wrapping around one changed signed byte
is caught. (Every layout in-process: tests/engine/test_layouts.py.)"""

from __future__ import annotations

import pytest
from vpcd_cards import ServeCard

import testcards
from testcards.layouts import LAYOUTS
from verifier.counter.policy import CounterPolicy
from verifier.counter.sources import SourceSpec
from verifier.counter.visit import Counter
from verifier.documents.my_number.check_ids import CheckId
from verifier.engine.verdict import Reason, Verdict

pytestmark = pytest.mark.pcsc

CODE = testcards.PERSONAS[0].code_b
LAYOUT = "filler-before-expiry-and-at-end"


def counter() -> Counter:
    return Counter(CounterPolicy(hierarchies=("simulated",), training=True))


def test_unsigned_filler_is_an_oddity_through_pcscd(serve_card: ServeCard) -> None:
    card = testcards.build_card("genuine", layout=LAYOUT)
    served = serve_card(lambda: card)
    result = counter().check(SourceSpec(reader=served.reader), CODE).result
    assert result.verdict is Verdict.GENUINE, result.failing_check
    assert result.oddities == LAYOUTS[LAYOUT].oddities
    assert result.to_json()["oddities"] == list(LAYOUTS[LAYOUT].oddities)


def test_the_same_filler_around_a_changed_signed_byte_through_pcscd(
        serve_card: ServeCard) -> None:
    card = testcards.build_card("genuine", layout=LAYOUT, signed_byte_changed=True)
    served = serve_card(lambda: card)
    result = counter().check(SourceSpec(reader=served.reader), CODE).result
    assert result.verdict is Verdict.COUNTERFEIT_SUSPECTED
    failing = result.failing_check
    assert failing is not None
    assert (failing.id, failing.reason) == (CheckId.CARD_FACE_SIGNATURE, Reason.BAD_SIGNATURE)

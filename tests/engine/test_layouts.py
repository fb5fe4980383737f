"""Genuine cards whose unsigned wrapping differs, end to end through the application layer.

Every layout of testcards/layouts.py is issued as a genuine card and checked the way the CLI
and the GUI check a card (`Counter`, trust naming the simulated hierarchy): what is unsigned is
an oddity, shown in the Result and the log and never a reason; the same card with one signed
byte changed is caught; two of a signed object is evidence; a signed value in a form we do not
know is NOT_VERIFIED (unsupported_layout), never 偽造の疑い.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import date

import pytest

import testcards
from testcards.layouts import LAYOUTS, STANDARD
from verifier.counter.policy import CounterPolicy
from verifier.counter.visit import Counter
from verifier.documents.my_number.check_ids import CheckId
from verifier.engine.verdict import Outcome, Reason, Result, Verdict

TODAY = date(2026, 11, 23)
ODDITY_ID = re.compile(r"[a-z_]+(\.[a-z_]+)+")


def counter() -> Counter:
    return Counter(CounterPolicy(hierarchies=("simulated",)), today=lambda: TODAY)


def check(layout: str, *, persona: int = 0, signed_byte_changed: bool = False) -> Result:
    card = testcards.build_card("genuine", persona=persona, layout=layout,
                                signed_byte_changed=signed_byte_changed)
    visit = counter().attach(card, reader="in-process", in_process=True)
    try:
        return visit.verify(testcards.PERSONAS[persona].code_b).result
    finally:
        visit.close()


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_each_layout_gets_its_verdict_and_oddities(name: str,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    layout = LAYOUTS[name]
    with caplog.at_level(logging.INFO, logger="verifier"):
        result = check(name)
    failing = result.failing_check
    assert result.verdict is layout.expected, failing
    assert (failing.id if failing else None) == layout.failing_check
    assert (failing.reason if failing else None) == layout.reason
    assert sorted(result.oddities) == sorted(layout.oddities)
    assert len(set(result.oddities)) == len(result.oddities)
    logged = caplog.text
    for oddity in layout.oddities:
        assert oddity in logged  # -v shows it; INFO is the CLI's first -v
    if layout.expected is Verdict.GENUINE:
        assert all(c.outcome is Outcome.PASSED for c in result.checks), result.checks
        assert result.personal is not None and result.personal.photo_jp2


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_each_layout_with_one_signed_byte_changed_is_caught(name: str) -> None:
    layout = LAYOUTS[name]
    result = check(name, signed_byte_changed=True)
    failing = result.failing_check
    assert result.verdict is Verdict.COUNTERFEIT_SUSPECTED, failing
    assert failing is not None
    if layout.expected is Verdict.COUNTERFEIT_SUSPECTED:  # caught before any signature
        assert (failing.id, failing.reason) == (layout.failing_check, layout.reason)
    else:
        assert (failing.id, failing.reason) == layout.tampered
    assert result.personal is None


@pytest.mark.parametrize("persona", range(len(testcards.PERSONAS)))
@pytest.mark.parametrize("name", ["filler-before-expiry-and-at-end", "offsets-wrong",
                                  "expiry-with-slashes", "text-object-before-name"])
def test_layouts_for_every_persona(name: str, persona: int) -> None:
    result = check(name, persona=persona)
    assert result.verdict is Verdict.GENUINE, result.failing_check
    assert sorted(result.oddities) == sorted(LAYOUTS[name].oddities)
    assert check(name, persona=persona, signed_byte_changed=True).verdict \
        is Verdict.COUNTERFEIT_SUSPECTED


def test_the_standard_layout_has_no_oddity() -> None:
    result = check(STANDARD)
    assert result.verdict is Verdict.GENUINE and result.oddities == ()
    assert "oddities" not in result.to_json()


def test_oddities_go_into_the_json_and_carry_nothing_personal() -> None:
    result = check("expiry-twice-differing")
    shown = result.to_json()
    assert shown["oddities"] == list(result.oddities)
    text = json.dumps(shown, ensure_ascii=False)
    persona = testcards.PERSONAS[0]
    for oddity in result.oddities:
        assert ODDITY_ID.fullmatch(oddity), oddity
    for secret in (persona.birth.strftime("%Y%m%d"), persona.name, "20991231",
                   persona.expiry.strftime("%Y%m%d")):
        assert secret not in text and secret not in " ".join(result.oddities)


def test_an_expiry_with_slashes_still_decides_expiry() -> None:
    # DF29 `2035/02/17`: its 8 digits are the date; expiry is judged on them as usual.
    result = check("expiry-with-slashes")
    assert result.card.expiry == testcards.PERSONAS[0].expiry
    late = Counter(CounterPolicy(hierarchies=("simulated",)), today=lambda: date(2040, 1, 1))
    card = testcards.build_card("genuine", layout="expiry-with-slashes")
    visit = late.attach(card, reader="in-process", in_process=True)
    expired = visit.verify(testcards.PERSONAS[0].code_b).result
    visit.close()
    assert expired.verdict is Verdict.INVALID_CARD
    failing = expired.failing_check
    assert failing is not None and failing.reason is Reason.EXPIRED


def test_no_expiry_is_never_an_accusation_and_says_why() -> None:
    for name in ("no-expiry", "expiry-twice-differing"):
        result = check(name)
        not_expired = result.check(CheckId.CARD_NOT_EXPIRED)
        assert not_expired is not None and not_expired.reason is Reason.UNSUPPORTED_LAYOUT
        assert result.verdict is Verdict.NOT_VERIFIED
        assert "偽造の疑いがあります" not in not_expired.detail.ja
        # every check before it passed: the card is not accused of anything
        assert all(c.outcome is Outcome.PASSED for c in result.checks
                   if c.id is not CheckId.CARD_NOT_EXPIRED
                   and c.outcome is not Outcome.NOT_RUN)


def test_a_signed_value_we_cannot_read_is_not_verified_after_the_signature_verified() -> None:
    result = check("birth-signed-with-slashes")
    failing = result.failing_check
    assert failing is not None and failing.id is CheckId.CARD_FACE_SIGNATURE
    assert failing.reason is Reason.UNSUPPORTED_LAYOUT
    assert result.verdict is Verdict.NOT_VERIFIED and result.personal is None
    assert "偽造の疑いではありません" in failing.detail.ja


def test_a_certified_key_we_cannot_read_is_not_verified_and_costs_no_try() -> None:
    card = testcards.build_card("genuine", layout="certificate-key-exponent-last")
    visit = counter().attach(card, reader="in-process", in_process=True)
    result = visit.verify(testcards.PERSONAS[0].code_b).result
    visit.close()
    failing = result.failing_check
    assert failing is not None and failing.id is CheckId.CERTIFICATE_TRUSTED
    assert failing.reason is Reason.UNSUPPORTED_LAYOUT
    assert result.verdict is Verdict.NOT_VERIFIED
    assert card.tries_left("card_face_b") == 10  # stopped before any VERIFY


def test_unknown_layout_is_refused() -> None:
    with pytest.raises(KeyError, match="valid layouts"):
        testcards.build_card("genuine", layout="no-such-layout")


def test_every_oddity_kind_and_our_reasons_are_documented() -> None:
    from pathlib import Path

    from verifier.card.oddities import Oddity

    text = (Path(__file__).parents[2] / "docs" / "evidence.md").read_text(encoding="utf-8")
    for kind in Oddity:
        assert f"`{kind.value}`" in text, kind
    for reason in (Reason.UNSUPPORTED_LAYOUT, Reason.INTERNAL_ERROR, Reason.MALFORMED_DATA):
        assert f"`{reason.value}`" in text, reason

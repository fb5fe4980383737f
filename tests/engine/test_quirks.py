"""Fallbacks: every quirk still verifies, and the fallback is remembered per card session."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

import testcards
from tests.engine.codes import printed_code
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.checks import VerifyOptions, verify_card
from verifier.engine.session import CardSession
from verifier.engine.verdict import Verdict


def file_sizes() -> tuple[int, int]:
    """TLV sizes of EF 0004 and EF 0002 of the genuine card, read the quick way."""
    session = CardSession(testcards.build_card("genuine"))
    session.select_ap(p.AID_CARD_FACE)
    certificate = session.read_file(p.EF_CF_CERTIFICATE)
    session.verify_code(p.EF_CF_KEY_CODE_B, testcards.PERSONAS[0].code_b.to_bytes())
    return len(certificate), len(session.read_file(p.EF_CF_FACE))


QUIRK_SETS = ["", "no-extended", "no-sfi", "t0", "wrong-le", "contactless",
              "no-extended,no-sfi", "no-extended,no-sfi,t0", "no-extended,wrong-le"]


@pytest.mark.parametrize("quirks", QUIRK_SETS)
@pytest.mark.parametrize("name", list(testcards.PROFILES))
def test_every_profile_under_every_quirk(name: str, quirks: str, options: VerifyOptions) -> None:
    card = testcards.build_card(name, quirks=testcards.parse_quirks(quirks))
    result = verify_card(card, options, printed_code(name))
    profile = testcards.PROFILES[name]
    failing = result.failing_check
    assert result.verdict is profile.expected
    assert (failing.id if failing else None) == profile.failing_check


def test_short_reads_need_one_read_per_256_bytes(options: VerifyOptions) -> None:
    no_text = replace(options, text_ap=False)
    card = testcards.build_card("genuine", quirks=testcards.parse_quirks("no-extended,no-sfi"))
    result = verify_card(card, no_text, testcards.PERSONAS[0].code_b)
    assert result.verdict is Verdict.GENUINE
    reads = [c for c in card.commands if c[1] == 0xB0]
    sizes = file_sizes()
    budget = sum(math.ceil(size / 256) for size in sizes)
    # refused forms cost one try each per session, never per file
    assert len(reads) <= budget + 2

"""Each layout wraps the genuine card's signed bytes differently and changes nothing signed;
its tampered twin changes exactly one signed byte. Judged with the fuzz helper's own reader of
the issued files (tests/fuzz/chip.py), not with the verifier's parser."""

from __future__ import annotations

import pytest

import testcards
from testcards import builder
from testcards.layouts import LAYOUTS, STANDARD, File
from tests.fuzz import chip as c
from verifier.documents.my_number import constants as p
from verifier.engine.verdict import Reason

PERSONA = testcards.PERSONAS[0]
FILE_KEYS = {File.CARD_FACE: (p.AID_CARD_FACE, p.EF_CF_FACE),
             File.CERTIFICATE: (p.AID_CARD_FACE, p.EF_CF_CERTIFICATE),
             File.TEXT_CERTIFICATE: (p.AID_TEXT, p.EF_TX_CERTIFICATE),
             File.TEXT_BASIC_FOUR: (p.AID_TEXT, p.EF_TX_BASIC_FOUR),
             File.TEXT_INTEGRITY: (p.AID_TEXT, p.EF_TX_INTEGRITY)}
#: Layouts whose issuer signed other bytes than the standard card's (a signed value of another
#: form): everything else keeps every signed piece.
SIGNED_OTHERWISE = {"birth-signed-with-slashes", "certificate-key-exponent-last"}


def files(layout: str, *, changed: bool = False) -> dict[tuple[bytes, int], bytes]:
    chip = builder.chip_spec("genuine", PERSONA, layout, signed_byte_changed=changed)
    return {(app.aid, f.fid): f.data for app in chip.apps for f in app.files}


@pytest.mark.parametrize("name", [n for n in LAYOUTS if n != STANDARD])
def test_a_layout_changes_only_its_own_file(name: str) -> None:
    standard, laid_out = files(STANDARD), files(name)
    changed = {key for key in standard if standard[key] != laid_out[key]}
    key = FILE_KEYS[LAYOUTS[name].file]
    # the certificate's new key form moves nothing else; the card face signed over a new DF22
    # also changes EF 0001 (the age record, which the verifier never reads)
    allowed = {key, (p.AID_CARD_FACE, p.EF_CF_AGE)}
    assert key in changed and changed <= allowed, changed


@pytest.mark.parametrize("name", [n for n in LAYOUTS if n not in SIGNED_OTHERWISE])
def test_a_layout_keeps_every_signed_piece(name: str) -> None:
    standard, laid_out = files(STANDARD), files(name)
    for key in c.READ_FILES:
        assert c.signed_pieces_kept(key, standard[key], laid_out[key]), key


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_one_signed_byte_changed_is_one_byte_of_a_signed_piece(name: str) -> None:
    layout = LAYOUTS[name]
    key = FILE_KEYS[layout.file]
    laid_out, changed = files(name)[key], files(name, changed=True)[key]
    assert len(laid_out) == len(changed)
    differing = [i for i in range(len(laid_out)) if laid_out[i] != changed[i]]
    assert len(differing) == 1
    standard = files(STANDARD)[key]
    if name not in SIGNED_OTHERWISE:
        assert not c.signed_pieces_kept(key, standard, changed)


def test_layout_expectations_are_consistent() -> None:
    for layout in LAYOUTS.values():
        if layout.reason is None:
            assert layout.failing_check is None, layout.name
        else:
            assert layout.failing_check is not None, layout.name
        assert all(oddity.startswith(("card_face.", "certificate.", "text_ap."))
                   for oddity in layout.oddities), layout.name
    # unsupported forms and missing expiries are never accusations
    assert all(layout.reason is not Reason.UNSUPPORTED_LAYOUT
               or layout.expected.name == "NOT_VERIFIED" for layout in LAYOUTS.values())


def test_the_standard_layout_is_the_cards_as_before() -> None:
    assert builder.chip_spec("genuine", PERSONA, STANDARD) == builder.chip_spec("genuine", PERSONA)

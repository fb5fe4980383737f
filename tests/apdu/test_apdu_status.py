"""apdu.status: the named status words and the one classifier every StatusWord property and the
session's fallbacks read."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apdu import StatusWord
from apdu.status import SW, Kind, classify, more_data, retries_left, with_retries, wrong_le

EXPECTED = {
    0x9000: Kind.OK,
    0x6100: Kind.MORE_DATA, 0x6110: Kind.MORE_DATA, 0x61FF: Kind.MORE_DATA,
    0x6C00: Kind.WRONG_LE, 0x6C08: Kind.WRONG_LE,
    0x63C1: Kind.RETRIES, 0x63C3: Kind.RETRIES, 0x63CA: Kind.RETRIES, 0x63CF: Kind.RETRIES,
    0x63C0: Kind.BLOCKED, 0x6983: Kind.BLOCKED, 0x6984: Kind.BLOCKED,
    0x6282: Kind.END_OF_FILE, 0x6B00: Kind.END_OF_FILE,
    0x6A82: Kind.NOT_FOUND, 0x6A88: Kind.NOT_FOUND,
    0x6982: Kind.SECURITY_NOT_SATISFIED,
    0x6700: Kind.FORM_REFUSED, 0x6A80: Kind.FORM_REFUSED, 0x6A81: Kind.FORM_REFUSED,
    0x6A86: Kind.FORM_REFUSED, 0x6A87: Kind.FORM_REFUSED, 0x6D00: Kind.FORM_REFUSED,
    0x6E00: Kind.FORM_REFUSED,
    0x6F00: Kind.TRANSIENT, 0x6F12: Kind.TRANSIENT, 0x6581: Kind.TRANSIENT,
    0x6400: Kind.TRANSIENT, 0x6600: Kind.TRANSIENT, 0x6881: Kind.TRANSIENT,
    # a key without retry limit says "wrong" with no count: nothing the floor can use
    0x6300: Kind.OTHER, 0x63B3: Kind.OTHER, 0x6281: Kind.OTHER, 0x6283: Kind.OTHER,
    0x6981: Kind.OTHER, 0x6985: Kind.OTHER, 0x6986: Kind.OTHER, 0x6A83: Kind.OTHER,
    0x6A84: Kind.OTHER, 0x6B01: Kind.OTHER, 0x9001: Kind.OTHER, 0x0000: Kind.OTHER,
    0xFFFF: Kind.OTHER,
}


@pytest.mark.parametrize(("value", "kind"), sorted(EXPECTED.items()))
def test_classify(value: int, kind: Kind) -> None:
    assert classify(value) is kind
    assert StatusWord.of(value).kind is kind


def test_every_named_word_has_the_kind_its_name_says() -> None:
    kinds = {SW.OK: Kind.OK, SW.MORE_DATA: Kind.MORE_DATA, SW.WRONG_LE: Kind.WRONG_LE,
             SW.END_OF_FILE: Kind.END_OF_FILE, SW.RETRIES: Kind.BLOCKED,
             SW.REFERENCE_DATA_UNUSABLE: Kind.BLOCKED, SW.FILE_NOT_FOUND: Kind.NOT_FOUND,
             SW.REFERENCE_NOT_FOUND: Kind.NOT_FOUND, SW.WRONG_LENGTH: Kind.FORM_REFUSED,
             SW.NO_PRECISE_DIAGNOSIS: Kind.TRANSIENT, SW.MEMORY_FAILURE: Kind.TRANSIENT,
             SW.VERIFY_FAILED: Kind.OTHER}
    for word, kind in kinds.items():
        assert classify(word) is kind, word.name


def test_families() -> None:
    assert more_data(0x6110) == 0x10 and more_data(0x6100) == 256 and more_data(0x9000) is None
    assert wrong_le(0x6C05) == 5 and wrong_le(0x6C00) == 256 and wrong_le(0x6A82) is None
    assert retries_left(0x63C0) == 0 and retries_left(0x63CA) == 10
    assert retries_left(0x6300) is None and retries_left(0x63B3) is None
    assert with_retries(3) == 0x63C3 and with_retries(0) == SW.RETRIES
    with pytest.raises(ValueError):
        with_retries(16)


@given(st.integers(0, 0xFFFF))
def test_properties_agree_with_the_classifier(value: int) -> None:
    sw = StatusWord.of(value)
    kind = classify(value)
    assert sw.ok is (kind is Kind.OK)
    assert sw.blocked is (kind is Kind.BLOCKED)
    assert sw.end_of_file is (kind is Kind.END_OF_FILE)
    assert sw.not_found is (kind is Kind.NOT_FOUND)
    assert sw.security_not_satisfied is (kind is Kind.SECURITY_NOT_SATISFIED)
    assert sw.refused_form is (kind is Kind.FORM_REFUSED)
    assert sw.transient is (kind is Kind.TRANSIENT)
    assert (sw.more_data is not None) is (kind is Kind.MORE_DATA)
    assert (sw.correct_le is not None) is (kind is Kind.WRONG_LE)
    # tries are counted for RETRIES and for the 63C0 that used the last one
    assert (sw.retries_left is not None) is (kind is Kind.RETRIES or value == SW.RETRIES)

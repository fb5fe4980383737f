"""StatusWord meanings and ResponseAPDU parsing."""

from __future__ import annotations

import pytest

from apdu import ResponseAPDU, StatusWord
from apdu.errors import MalformedAPDU


@pytest.mark.parametrize(("value", "left"), [(0x63C0, 0), (0x63C3, 3), (0x63CA, 10)])
def test_retries_left(value: int, left: int) -> None:
    assert StatusWord.of(value).retries_left == left


@pytest.mark.parametrize("value", [0x9000, 0x6300, 0x6983, 0x63B3])
def test_no_retries_for_other_words(value: int) -> None:
    assert StatusWord.of(value).retries_left is None


def test_blocked_end_of_file_not_found() -> None:
    assert all(StatusWord.of(v).blocked for v in (0x6983, 0x6984, 0x63C0))
    assert not StatusWord.of(0x63C1).blocked
    assert StatusWord.of(0x6282).end_of_file and StatusWord.of(0x6B00).end_of_file
    assert not StatusWord.of(0x9000).end_of_file
    assert StatusWord.of(0x6A82).not_found and StatusWord.of(0x6A88).not_found
    assert not StatusWord.of(0x6A86).not_found
    assert StatusWord.of(0x6982).security_not_satisfied


def test_more_data_and_correct_le_read_00_as_256() -> None:
    assert StatusWord.of(0x6110).more_data == 0x10
    assert StatusWord.of(0x6100).more_data == 256
    assert StatusWord.of(0x9000).more_data is None
    assert StatusWord.of(0x6C05).correct_le == 5
    assert StatusWord.of(0x6C00).correct_le == 256
    assert StatusWord.of(0x6A82).correct_le is None


@pytest.mark.parametrize("value", [0x6700, 0x6A80, 0x6A81, 0x6A86, 0x6A87, 0x6D00, 0x6E00])
def test_refused_form(value: int) -> None:
    assert StatusWord.of(value).refused_form


@pytest.mark.parametrize("value", [0x9000, 0x6B00, 0x6282, 0x6A82, 0x6A88, 0x6982, 0x6F00,
                                   0x63C2, 0x6A84])
def test_not_a_refused_form(value: int) -> None:
    # 6B00 is READ BINARY's "past the end" and "not found" is evidence for an AP: neither is
    # a form the card does not take
    assert not StatusWord.of(value).refused_form


def test_ok_value_and_text() -> None:
    sw = StatusWord(0x90, 0x00)
    assert sw.ok and sw.value == 0x9000 and str(sw) == "9000"
    assert not StatusWord.of(0x6282).ok
    assert str(StatusWord.of(0x63C2)) == "63C2"


def test_response_round_trip_and_too_short() -> None:
    response = ResponseAPDU.from_bytes(bytes.fromhex("0102 6282"))
    assert response.data == b"\x01\x02" and response.sw == StatusWord.of(0x6282)
    assert response.to_bytes() == bytes.fromhex("0102 6282")
    with pytest.raises(MalformedAPDU):
        ResponseAPDU.from_bytes(b"\x90")

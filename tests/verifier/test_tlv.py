"""The BER-TLV parser on the edge cases a hostile chip can produce."""

from __future__ import annotations

import pytest

from verifier.card.tlv import Tlv, encode, encode_long, parse_all, parse_one, total_length
from verifier.errors import MalformedData


@pytest.mark.parametrize(("raw", "tag", "value"), [
    (bytes.fromhex("9003010001"), 0x90, b"\x01\x00\x01"),
    (bytes.fromhex("DF2201") + b"1", 0xDF22, b"1"),
    (bytes.fromhex("7F2100"), 0x7F21, b""),
    (bytes.fromhex("5F810101") + b"x", 0x5F8101, b"x"),  # three-byte tag
    (bytes.fromhex("048180") + bytes(128), 0x04, bytes(128)),
    (bytes.fromhex("04820100") + bytes(256), 0x04, bytes(256)),
    (bytes.fromhex("0483000003") + b"abc", 0x04, b"abc"),  # non-minimal long form is BER
    (bytes.fromhex("048200FF") + bytes(255), 0x04, bytes(255)),
])
def test_parse_one_forms(raw: bytes, tag: int, value: bytes) -> None:
    item = parse_one(raw)
    assert (item.tag, item.value, item.raw, item.offset) == (tag, value, raw, 0)
    assert item.end == len(raw)


def test_parse_one_at_offset_ignores_what_follows() -> None:
    data = b"\xaa\xbb" + encode(0xDF23, b"2") + b"\xff\xff\xff"
    item = parse_one(data, 2)
    assert item == Tlv(0xDF23, b"2", encode(0xDF23, b"2"), 2)


@pytest.mark.parametrize("raw", [
    b"",
    bytes.fromhex("DF"),  # tag cut short
    bytes.fromhex("DF22"),  # no length
    bytes.fromhex("DF2205") + b"abc",  # lying length
    bytes.fromhex("0480"),  # indefinite length
    bytes.fromhex("0481"),  # long form cut short
    bytes.fromhex("048201"),
    bytes.fromhex("04830100"),
    bytes.fromhex("0484000000010000"),  # 4-byte length: over the parser's bound
    bytes.fromhex("0482FFFF") + bytes(10),
    bytes.fromhex("1F81818101"),  # four-byte tag
    bytes.fromhex("FFFFFFFF00"),
])
def test_parse_one_refuses(raw: bytes) -> None:
    with pytest.raises(MalformedData):
        parse_one(raw)


def test_parse_one_offset_past_end() -> None:
    with pytest.raises(MalformedData):
        parse_one(b"\x04\x00", 5)


def test_parse_all_fills_exactly() -> None:
    data = encode(0x90, b"\x01\x00\x01") + encode(0x91, bytes(256))
    items = parse_all(data, base_offset=10)
    assert [i.tag for i in items] == [0x90, 0x91]
    assert [i.offset for i in items] == [10, 15]
    assert b"".join(i.raw for i in items) == data
    assert parse_all(b"") == []


@pytest.mark.parametrize("data", [
    encode(0x90, b"\x01") + b"\x91",  # trailing half object
    encode(0x90, b"\x01") + b"\xff",  # filler is not an object
    encode(0x90, b"\x01") + bytes.fromhex("9105") + b"ab",
])
def test_parse_all_refuses_leftovers(data: bytes) -> None:
    with pytest.raises(MalformedData):
        parse_all(data)


@pytest.mark.parametrize(("length", "header"), [
    (0, "0400"), (127, "047F"), (128, "048180"), (255, "0481FF"), (256, "04820100"),
    (65535, "0482FFFF"), (65536, "0483010000"),
])
def test_encode_minimal_lengths(length: int, header: str) -> None:
    raw = encode(0x04, bytes(length))
    assert raw[: len(header) // 2] == bytes.fromhex(header)
    assert parse_one(raw).value == bytes(length)


def test_encode_long_round_trips() -> None:
    raw = encode_long(0xDF22, b"19800217", length_bytes=2)
    assert raw[:5] == bytes.fromhex("DF22820008")
    assert parse_one(raw).value == b"19800217"


def test_encode_refuses_oversize() -> None:
    with pytest.raises(MalformedData):
        encode(0x04, bytes(1 << 24))


@pytest.mark.parametrize(("prefix", "expected"), [
    (b"", None), (b"\xff", None), (b"\xff\x20", None), (b"\xff\x20\x82\x01", None),
    (b"\xff\x20\x82\x01\x00", 5 + 256), (b"\x7f\x21\x82\x02\x33\x5f", 5 + 0x233),
    (b"\x04\x05", 7),
])
def test_total_length(prefix: bytes, expected: int | None) -> None:
    assert total_length(prefix) == expected


def test_total_length_refuses_garbage_once_a_header_could_be_complete() -> None:
    with pytest.raises(MalformedData):
        total_length(bytes.fromhex("0480") + bytes(8))

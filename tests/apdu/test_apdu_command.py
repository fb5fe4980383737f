"""CommandAPDU encoding and decoding in all four cases, short and extended."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apdu import CommandAPDU
from apdu.errors import MalformedAPDU

H = bytes.fromhex

ENCODINGS = [
    # case 1
    (CommandAPDU(0x00, 0xA4, 0x00, 0x00), H("00A40000")),
    # case 2 short, Le 1 / 255 / 256 (256 is 00)
    (CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=1), H("00B0000001")),
    (CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=255), H("00B00000FF")),
    (CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=256), H("00B0000000")),
    # case 2 extended, Le 257 / 65536 (65536 is 00 00) / forced extended 256
    (CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=257), H("00B00000000101")),
    (CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=65536), H("00B00000000000")),
    (CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=256, extended=True), H("00B00000000100")),
    # case 3 short and extended
    (CommandAPDU(0x00, 0xA4, 0x02, 0x0C, H("0002")), H("00A4020C020002")),
    (CommandAPDU(0x00, 0xD6, 0x00, 0x00, bytes(300)), H("00D6000000012C") + bytes(300)),
    # case 4 short (the challenge signature) and extended
    (
        CommandAPDU(0x80, 0x2A, 0x00, 0x00, bytes(0x33), le=256),
        H("802A000033") + bytes(0x33) + H("00"),
    ),
    (
        CommandAPDU(0x00, 0x2A, 0x00, 0x00, b"\x01\x02", le=65536, extended=True),
        H("002A0000000002") + H("0102") + H("0000"),
    ),
]


@pytest.mark.parametrize(("command", "raw"), ENCODINGS)
def test_encoding_and_decoding_are_exact(command: CommandAPDU, raw: bytes) -> None:
    assert command.to_bytes() == raw
    decoded = CommandAPDU.from_bytes(raw)
    assert decoded.to_bytes() == raw
    assert (decoded.cla, decoded.ins, decoded.p1, decoded.p2) == (
        command.cla, command.ins, command.p1, command.p2,
    )
    assert decoded.data == command.data
    assert decoded.le == command.le
    assert decoded.is_extended == command.is_extended


def test_case_numbers() -> None:
    assert CommandAPDU(0, 0xA4, 0, 0).case == 1
    assert CommandAPDU(0, 0xB0, 0, 0, le=4).case == 2
    assert CommandAPDU(0, 0xA4, 0, 0, b"\x00").case == 3
    assert CommandAPDU(0, 0xA4, 0, 0, b"\x00", le=4).case == 4


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        H("00A400"),
        H("00A40000" "05" "0102"),  # Lc says 5, 2 data bytes
        H("00A40000" "02" "010203" "04"),  # Lc 2 then 4 more bytes
        H("00A40000" "00" "01"),  # truncated extended length
        H("00A40000" "00" "0000" "01"),  # extended Lc of zero
        H("00A40000" "00" "0003" "0102"),  # extended Lc 3, 2 data bytes
        H("00A40000" "00" "0002" "0102" "00"),  # extended Le cut to one byte
    ],
)
def test_malformed_commands_are_rejected(raw: bytes) -> None:
    with pytest.raises(MalformedAPDU):
        CommandAPDU.from_bytes(raw)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"cla": 0x100},
        {"ins": -1},
        {"le": 0},
        {"le": 65537},
        {"data": bytes(65536)},
    ],
)
def test_out_of_range_fields_are_rejected(kwargs: dict[str, object]) -> None:
    fields: dict[str, object] = {"cla": 0, "ins": 0xB0, "p1": 0, "p2": 0, **kwargs}
    with pytest.raises(MalformedAPDU):
        CommandAPDU(**fields)  # type: ignore[arg-type]


def test_malformed_apdu_is_also_a_value_error() -> None:
    with pytest.raises(ValueError):
        CommandAPDU.from_bytes(b"\x00")


def test_extended_flag_on_case_1_changes_nothing() -> None:
    assert CommandAPDU(0x00, 0xA4, 0x00, 0x00, extended=True).to_bytes() == H("00A40000")


def test_with_le_keeps_everything_else() -> None:
    command = CommandAPDU(0x00, 0xB0, 0x81, 0x10, le=256, extended=True)
    assert command.with_le(16) == CommandAPDU(0x00, 0xB0, 0x81, 0x10, le=16, extended=True)
    assert str(CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=4)) == "00 B0 00 00 04"


byte = st.integers(0, 255)


@st.composite
def commands(draw: st.DrawFn) -> CommandAPDU:
    extended = draw(st.booleans())
    max_lc = 65535 if extended else 255
    max_le = 65536 if extended else 256
    data = draw(st.binary(max_size=min(max_lc, 600)) | st.just(bytes(max_lc)))
    le = draw(st.none() | st.integers(1, max_le) | st.sampled_from([256, max_le]))
    if not data and le is None:
        extended = False  # case 1 has no length field: from_bytes reads it back as short
    return CommandAPDU(draw(byte), draw(byte), draw(byte), draw(byte), data, le, extended)


@given(commands())
def test_round_trip_property(command: CommandAPDU) -> None:
    raw = command.to_bytes()
    decoded = CommandAPDU.from_bytes(raw)
    assert decoded.to_bytes() == raw
    assert (decoded.data, decoded.le, decoded.is_extended) == (
        command.data, command.le, command.is_extended,
    )


@given(st.binary(max_size=300))
def test_decoding_arbitrary_bytes_never_fails_otherwise(raw: bytes) -> None:
    try:
        decoded = CommandAPDU.from_bytes(raw)
    except MalformedAPDU:
        return
    assert decoded.to_bytes() == raw

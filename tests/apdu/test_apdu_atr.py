"""What an ATR's historical bytes say about command forms, and what they cannot say."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apdu.atr import CardCapabilities, capabilities, historical_bytes

# T=1 card, category 80, card capabilities 73 <tables>: selection by DF name and file id with
# short EF ids, then extended Lc/Le; TCK at the end (not checked here).
WITH_CAPS = bytes.fromhex("3B 8C 80 01 80 73 94 01 C0 83 00 90 00 00 00 00 00")
NO_SFI = bytes.fromhex("3B 8C 80 01 80 73 90 01 00 83 00 90 00 00 00 00 00")


def test_card_capabilities_are_read() -> None:
    assert capabilities(WITH_CAPS) == CardCapabilities(short_ef=True, extended_length=True)
    assert capabilities(NO_SFI) == CardCapabilities(short_ef=False, extended_length=False)


@pytest.mark.parametrize("atr", [
    bytes.fromhex("3B 88 80 01 00 00 00 00 00 81 71 80 7C"),  # a contactless pseudo-ATR
    bytes.fromhex("3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 03 00 00 00 00 68"),  # no 73
    bytes.fromhex("3B 02 14 50"),  # category 14: proprietary
    b"", b"\x3b", bytes.fromhex("3B 8F 80 01 80 73"),  # cut short
])
def test_an_atr_that_does_not_say_leaves_it_unknown(atr: bytes) -> None:
    assert capabilities(atr) == CardCapabilities()


def test_historical_bytes_follow_the_interface_bytes() -> None:
    # TS T0(TA1 TD1, 3 historical) TA1 TD1(TD2) TD2(TA3) TA3 hist
    assert historical_bytes(bytes.fromhex("3B 93 13 81 11 FE 01 02 03")) == b"\x01\x02\x03"


@given(st.binary(max_size=40))
def test_any_bytes_give_an_answer_never_an_error(atr: bytes) -> None:
    assert isinstance(capabilities(atr), CardCapabilities)

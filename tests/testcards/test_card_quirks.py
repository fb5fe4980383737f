"""Each quirk changes exactly the behaviour it names; the ATRs are well formed."""

from __future__ import annotations

import time
from functools import reduce

import pytest

import testcards
from apdu.command import CommandAPDU
from apdu.errors import CardRemovedError
from apdu.transport import exchange
from testcards.quirks import NO_QUIRKS, QUIRK_HELP, Quirks, parse_quirks
from verifier.card import constants as p

CARD_FACE = p.AID_CARD_FACE.hex()
CODE = testcards.PERSONAS[0].code_b.to_bytes()


def send(card: testcards.SimulatedCard, command: str) -> tuple[bytes, int]:
    answer = card.transmit(bytes.fromhex(command))
    return answer[:-2], int.from_bytes(answer[-2:], "big")


def card_with(text: str) -> testcards.SimulatedCard:
    return testcards.build_card("genuine", quirks=parse_quirks(text))


# --- parsing ----------------------------------------------------------------------------------
def test_parse_quirks() -> None:
    assert parse_quirks("") == NO_QUIRKS
    assert parse_quirks("no-extended, slow=5") == Quirks(no_extended=True, slow_ms=5)
    assert parse_quirks("no-sfi,t0,wrong-le,contactless,tear-after=3") == Quirks(
        no_sfi=True, t0=True, wrong_le=True, contactless=True, tear_after=3)
    every = "no-extended,no-sfi,t0,wrong-le,slow=7,tear-after=2,contactless"
    assert parse_quirks(str(parse_quirks(every))) == parse_quirks(every)


@pytest.mark.parametrize("text", ["bogus", "slow", "slow=fast", "t0=1", "tear-after=-1"])
def test_bad_quirks_say_what_is_valid(text: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_quirks(text)
    if text != "tear-after=-1":
        assert all(name in str(error.value) for name in QUIRK_HELP)


# --- behaviour --------------------------------------------------------------------------------
def test_no_extended() -> None:
    plain, quirky = card_with(""), card_with("no-extended")
    for card in (plain, quirky):
        send(card, "00A4040C0A" + CARD_FACE)
    assert send(plain, "00B08400000000")[1] == 0x6282
    assert send(quirky, "00B08400000000")[1] == 0x6700
    data, status = send(quirky, "00B0840000")
    assert status == 0x9000 and len(data) == 256


def test_no_sfi() -> None:
    card = card_with("no-sfi")
    send(card, "00A4040C0A" + CARD_FACE)
    assert send(card, "00B0840000")[1] == 0x6A81
    assert send(card, "00200092")[1] == 0x6A81
    send(card, "00A4020C020012")
    assert send(card, "00200080")[1] == 0x63CA
    send(card, "00A4020C020004")
    assert send(card, "00B0000000")[1] == 0x9000


def test_t0_answers_61xx_then_get_response() -> None:
    card = card_with("t0")
    send(card, "00A4040C0A" + CARD_FACE)
    send(card, "00A4020C020004")
    assert send(card, "00B0000010") == (b"", 0x6110)
    data, status = send(card, "00C0000010")
    assert status == 0x9000 and data[:2] == b"\x7f\x21" and len(data) == 16
    assert send(card, "00C0000010")[1] == 0x6985  # nothing pending any more
    # more than 256 bytes: 61 00, then 256-byte pieces
    assert send(card, "00B00000000238") == (b"", 0x6100)
    first, status = send(card, "00C0000000")
    assert len(first) == 256 and status == 0x6100
    assert send(card, "00C0000000")[1] == 0x6138  # 568 - 512 = 56 left
    # without data: no 61xx
    assert send(card, "00A4020C020012")[1] == 0x9000


def test_t0_through_exchange() -> None:
    card = card_with("t0")
    send(card, "00A4040C0A" + CARD_FACE)
    response = exchange(card, CommandAPDU(0, 0xB0, 0x84, 0, le=65536))
    assert response.sw.value == 0x6282 and len(response.data) == 568


def test_wrong_le() -> None:
    card = card_with("wrong-le")
    send(card, "00A4040C0A" + CARD_FACE)
    send(card, "00A4020C020004")
    assert send(card, "00B0020000") == (b"", 0x6C38)  # 56 bytes left from 512
    data, status = send(card, "00B0020038")
    assert status == 0x9000 and len(data) == 56
    assert send(card, "00B0000010")[1] == 0x9000  # a Le that fits is answered
    response = exchange(card, CommandAPDU(0, 0xB0, 0x02, 0x00, le=256))
    assert response.sw.ok and len(response.data) == 56


def test_slow() -> None:
    card = card_with("slow=30")
    start = time.perf_counter()
    send(card, "00A4040C0A" + CARD_FACE)
    assert time.perf_counter() - start >= 0.03


def test_tear_after() -> None:
    card = card_with("tear-after=2")
    send(card, "00A4040C0A" + CARD_FACE)
    send(card, "00A4020C020004")
    with pytest.raises(CardRemovedError):
        send(card, "00B0000010")
    assert card.removed and card.exchanges == 2
    with pytest.raises(CardRemovedError):
        card_with("tear-after=0").transmit(bytes.fromhex("00A4040C0A" + CARD_FACE))


# --- ATRs -------------------------------------------------------------------------------------
def _xor(data: bytes) -> int:
    return reduce(lambda a, b: a ^ b, data, 0)


def test_contact_atr_is_well_formed() -> None:
    atr = testcards.build_card("genuine").atr
    assert atr[0] == 0x3B
    historical = atr[0x01] & 0x0F
    assert atr[1] >> 4 == 0x9  # TA1, TD1
    assert atr[3] & 0x0F == 1  # TD1: T=1
    assert len(atr) == 2 + 5 + historical + 1  # TS T0 | TA1 TD1 TD2 TA3 TB3 | hist | TCK
    assert _xor(atr[1:]) == 0


def test_t0_atr_offers_only_t0() -> None:
    atr = card_with("t0").atr
    assert atr[:4] == bytes.fromhex("3B9B1300")
    assert len(atr) == 4 + (atr[1] & 0x0F)  # no TCK when only T=0 is offered


def test_contactless_atr_is_the_type_b_pseudo_atr() -> None:
    atr = card_with("contactless").atr
    assert atr[:4] == bytes.fromhex("3B888001")
    assert len(atr) == 4 + 8 + 1
    assert _xor(atr[1:]) == 0

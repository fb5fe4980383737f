"""Each quirk changes exactly the behaviour it names; the ATRs are well formed."""

from __future__ import annotations

import time
from functools import reduce

import pytest

import testcards
from apdu.atr import CardCapabilities, capabilities
from apdu.command import CommandAPDU
from apdu.errors import CardRemovedError
from apdu.transport import exchange
from testcards.quirks import NO_QUIRKS, QUIRK_HELP, Quirks, parse_quirks
from verifier.documents.my_number import constants as p

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
    assert parse_quirks("6f00-after-power-up,dribble") == Quirks(power_up_6f00=True,
                                                                  dribble=True)
    assert parse_quirks("transient=3") == Quirks(transient_at=3, transient_sw=0x6F00)
    assert parse_quirks("transient=3:6a82") == Quirks(transient_at=3, transient_sw=0x6A82)
    every = ("no-extended,no-sfi,t0,wrong-le,slow=7,kbps=106,tear-after=2,contactless,"
             "6f00-after-power-up,transient=4:6A82,dribble")
    assert parse_quirks(str(parse_quirks(every))) == parse_quirks(every)
    for text in ("transient=4", "transient=1:9000", "6f00-after-power-up", "dribble"):
        assert str(parse_quirks(text)) == text
    assert set(QUIRK_HELP) >= {"6f00-after-power-up", "transient=N[:SW]", "dribble"}


@pytest.mark.parametrize("text", ["transient", "transient=", "transient=x", "transient=0",
                                  "transient=2:6A8", "transient=2:6A8Z", "transient=2:06A82",
                                  "dribble=1", "6f00-after-power-up=1"])
def test_bad_new_quirks_say_how_they_are_written(text: str) -> None:
    with pytest.raises(ValueError, match=r"transient|dribble|6f00"):
        parse_quirks(text)


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


def test_6f00_after_each_power_up_and_only_then() -> None:
    card = card_with("6f00-after-power-up")
    assert send(card, "00A4040C0A" + CARD_FACE)[1] == 0x6F00  # the first command ever
    assert send(card, "00B0840001")[1] == 0x6A82  # ...had no effect: nothing is selected
    assert send(card, "00A4040C0A" + CARD_FACE)[1] == 0x9000
    assert send(card, "00200092")[1] == 0x63CA
    card.warm_reset()  # not a power-up
    assert send(card, "00A4040C0A" + CARD_FACE)[1] == 0x9000
    card.power_down()
    card.power_up()
    verify = "002000920E" + CODE.hex()
    assert send(card, verify)[1] == 0x6F00  # no effect, so no try spent either
    assert card.tries_left("card_face_b") == 10 and not card.key_open("card_face_b")
    assert card.exchanges == 6


def test_transient_hits_one_exchange_once() -> None:
    card = card_with("transient=2")
    assert send(card, "00A4040C0A" + CARD_FACE)[1] == 0x9000
    assert send(card, "00A4020C020004")[1] == 0x6F00  # exchange 2
    assert send(card, "00B0000001")[1] == 0x6986  # the SELECT EF had no effect
    assert send(card, "00A4020C020004")[1] == 0x9000
    assert [send(card, "00B0000001")[1] for _ in range(3)] == [0x9000] * 3


@pytest.mark.parametrize(("quirks", "status"), [("transient=2", 0x6F00),
                                                 ("transient=2:6581", 0x6581)])
def test_transient_verify_spends_no_try(quirks: str, status: int) -> None:
    card = card_with(quirks)
    send(card, "00A4040C0A" + CARD_FACE)
    wrong = CODE[:-1] + (b"0" if CODE[-1:] != b"0" else b"1")
    assert send(card, "002000920E" + wrong.hex())[1] == status
    assert card.tries_left("card_face_b") == 10
    assert send(card, "002000920E" + wrong.hex())[1] == 0x63C9


def test_transient_get_response_leaves_the_data_waiting() -> None:
    card = card_with("t0,transient=4")
    send(card, "00A4040C0A" + CARD_FACE)
    send(card, "00A4020C020004")
    assert send(card, "00B0000010") == (b"", 0x6110)
    assert send(card, "00C0000010")[1] == 0x6F00
    data, status = send(card, "00C0000010")
    assert status == 0x9000 and data[:2] == b"\x7f\x21"


def test_transient_and_power_up_counted_as_exchanges_by_exchange() -> None:
    card = card_with("6f00-after-power-up,transient=2")
    answers = [send(card, "00A4040C0A" + CARD_FACE)[1] for _ in range(3)]
    assert answers == [0x6F00, 0x6F00, 0x9000]
    assert card.exchanges == 3 and len(card.commands) == 3


def test_dribble_claims_a_large_card_face_and_hands_out_one_byte() -> None:
    card = card_with("dribble")
    send(card, "00A4040C0A" + CARD_FACE)
    send(card, "00A4020C020012")
    send(card, "002000800E" + CODE.hex())
    send(card, "00A4020C020002")
    header = b""
    for offset in range(5):
        data, status = send(card, f"00B000{offset:02X}00")  # Le 256, one byte comes
        assert status == 0x9000 and len(data) == 1
        header += data
    assert header == bytes.fromhex("FF2082FFF0")
    data, status = send(card, "00B07FFF00")  # the last offset READ BINARY can address
    assert (data, status) == (b"\xff", 0x9000)
    send(card, "00A4020C020004")  # other files dribble too, and still end where they end
    assert send(card, "00B00000000000") == (b"\x7f", 0x9000)  # extended Le: still one byte
    data, status = send(card, "00B0023700")  # offset 567 of 568
    assert (len(data), status) == (1, 0x6282)


def test_dribble_with_slow_and_kbps() -> None:
    card = card_with("dribble,slow=20,kbps=106,6f00-after-power-up")
    start = time.perf_counter()
    assert send(card, "00A4040C0A" + CARD_FACE)[1] == 0x6F00
    send(card, "00A4040C0A" + CARD_FACE)
    data, status = send(card, "00B0840000")
    assert (len(data), status) == (1, 0x9000)
    assert time.perf_counter() - start >= 3 * 0.02


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
    assert atr[:4] == bytes.fromhex("3B9E1300")
    assert len(atr) == 4 + (atr[1] & 0x0F)  # no TCK when only T=0 is offered


def test_the_contact_atr_says_what_the_card_takes() -> None:
    assert capabilities(testcards.build_card("genuine").atr) == CardCapabilities(
        short_ef=True, extended_length=True)
    assert capabilities(card_with("no-sfi,t0").atr).short_ef is False
    assert capabilities(card_with("contactless").atr) == CardCapabilities()


def test_contactless_atr_is_the_type_b_pseudo_atr() -> None:
    atr = card_with("contactless").atr
    assert atr[:4] == bytes.fromhex("3B888001")
    assert len(atr) == 4 + 8 + 1
    assert _xor(atr[1:]) == 0

"""The simulated card OS answers every command the way card-spec.md says the chip does."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

import testcards
from apdu.errors import CardRemovedError, UnresponsiveCardError
from testcards import keystore
from testcards.signing import digest_info
from verifier.documents.my_number import constants as p

CARD_FACE = p.AID_CARD_FACE.hex()
TEXT = p.AID_TEXT.hex()
CODE = testcards.PERSONAS[0].code_b.to_bytes()
WRONG = CODE[:-1] + (b"0" if CODE[-1:] != b"0" else b"1")


def send(card: testcards.SimulatedCard, command: str | bytes) -> tuple[bytes, int]:
    raw = bytes.fromhex(command) if isinstance(command, str) else command
    answer = card.transmit(raw)
    return answer[:-2], int.from_bytes(answer[-2:], "big")


def sw(card: testcards.SimulatedCard, command: str | bytes) -> int:
    return send(card, command)[1]


def verify_cmd(code: bytes, p2: int = 0x80) -> bytes:
    return bytes((0x00, 0x20, 0x00, p2, len(code))) + code


@pytest.fixture
def card() -> testcards.SimulatedCard:
    return testcards.build_card("genuine")


def open_card_face(card: testcards.SimulatedCard) -> None:
    assert sw(card, "00A4040C0A" + CARD_FACE) == 0x9000
    assert sw(card, "00A4020C020012") == 0x9000
    assert sw(card, verify_cmd(CODE)) == 0x9000


# --- SELECT -----------------------------------------------------------------------------------
def test_select_known_and_unknown_aids(card: testcards.SimulatedCard) -> None:
    assert sw(card, "00A4040C0A" + CARD_FACE) == 0x9000
    assert sw(card, "00A4040C0A" + TEXT) == 0x9000
    assert sw(card, "00A4040C0A" + p.AID_JPKI.hex()) == 0x9000
    assert sw(card, "00A4040C0AD3921000310001010499") == 0x6A82


def test_select_ef_needs_an_ap_and_an_existing_file(card: testcards.SimulatedCard) -> None:
    assert sw(card, "00A4020C020002") == 0x6A82  # no AP selected yet
    send(card, "00A4040C0A" + CARD_FACE)
    assert sw(card, "00A4020C020002") == 0x9000
    assert sw(card, "00A4020C020099") == 0x6A82
    assert sw(card, "00A4020C0300") == 0x6700
    assert sw(card, "00A40200020002") == 0x6A86  # FCI asked: not supported
    assert sw(card, "00A4000C") == 0x9000  # MF select: 9000 and nothing happens


def test_blank_chip_answers_6a82_to_every_aid() -> None:
    card = testcards.build_card("blank-chip")
    for aid in (p.AID_CARD_FACE, p.AID_TEXT, p.AID_JPKI):
        assert sw(card, bytes.fromhex("00A4040C0A") + aid) == 0x6A82


def test_wrong_class_instruction_and_parameters(card: testcards.SimulatedCard) -> None:
    assert sw(card, "A0A4040C0A" + CARD_FACE) == 0x6E00
    assert sw(card, "80A4040C0A" + CARD_FACE) == 0x6E00  # proprietary class on an ISO INS
    assert sw(card, "00CA0000") == 0x6D00
    assert sw(card, "00A4050C0A" + CARD_FACE) == 0x6A86
    assert sw(card, "00A4") == 0x6700  # not even a header


# --- READ BINARY ------------------------------------------------------------------------------
def test_free_files_read_without_a_code(card: testcards.SimulatedCard) -> None:
    send(card, "00A4040C0A" + CARD_FACE)
    send(card, "00A4020C020004")
    data, status = send(card, "00B0000000")
    assert status == 0x9000 and len(data) == 256 and data[:2] == b"\x7f\x21"
    data, status = send(card, "00B0000000")  # Le 00 = 256
    assert len(data) == 256


def test_card_face_needs_code_b(card: testcards.SimulatedCard) -> None:
    send(card, "00A4040C0A" + CARD_FACE)
    send(card, "00A4020C020002")
    assert sw(card, "00B0000010") == 0x6982
    assert sw(card, "00B0820010") == 0x6982
    open_card_face(card)
    send(card, "00A4020C020002")
    data, status = send(card, "00B0000004")
    assert status == 0x9000 and data[:2] == b"\xff\x20"


def test_read_with_offset_matches_the_whole_file(card: testcards.SimulatedCard) -> None:
    send(card, "00A4040C0A" + CARD_FACE)
    whole, status = send(card, "00B0840000" + "0000")  # SFI 4, extended Le 65536
    assert status == 0x6282 and len(whole) == 568
    send(card, "00A4020C020004")
    for offset in (1, 255, 256, 300, 567):
        data, _ = send(card, bytes((0x00, 0xB0, offset >> 8, offset & 0xFF, 1)))
        assert data == whole[offset:offset + 1]
    # short-EF-id form: offset is P2, 8 bits
    data, status = send(card, "00B084FF10")
    assert status == 0x9000 and data == whole[255:271]


def test_extended_le(card: testcards.SimulatedCard) -> None:
    send(card, "00A4040C0A" + CARD_FACE)
    send(card, "00A4020C020004")
    data, status = send(card, "00B00000000238")  # extended Le = exactly 568
    assert status == 0x9000 and len(data) == 568
    data, status = send(card, "00B00000000000")  # 00 00 00 = 65536
    assert status == 0x6282 and len(data) == 568


def test_end_of_file(card: testcards.SimulatedCard) -> None:
    send(card, "00A4040C0A" + CARD_FACE)
    send(card, "00A4020C020004")
    data, status = send(card, "00B0023000")  # offset 560, Le 256: only 8 bytes left
    assert status == 0x6282 and len(data) == 8
    assert sw(card, "00B0023801") == 0x6B00  # offset 568 = the end
    assert sw(card, "00B0100001") == 0x6B00  # far beyond


def test_read_binary_errors(card: testcards.SimulatedCard) -> None:
    assert sw(card, "00B0000001") == 0x6986  # nothing selected
    send(card, "00A4040C0A" + CARD_FACE)
    assert sw(card, "00B0000001") == 0x6986  # AP but no EF
    send(card, "00A4020C020012")
    assert sw(card, "00B0000001") == 0x6981  # a key EF holds no data
    assert sw(card, "00B08900" + "01") == 0x6A82  # no EF 0009
    assert sw(card, "00B0C40001") == 0x6A86  # P1 bits 6-5 set in the SFI form
    assert sw(card, "00B00000") == 0x6700  # no Le


# --- VERIFY -----------------------------------------------------------------------------------
def test_counter_runs_down_to_blocked(card: testcards.SimulatedCard) -> None:
    send(card, "00A4040C0A" + CARD_FACE)
    send(card, "00A4020C020012")
    assert sw(card, "00200080") == 0x63CA
    statuses = [sw(card, verify_cmd(WRONG)) for _ in range(10)]
    assert statuses == [0x63C9, 0x63C8, 0x63C7, 0x63C6, 0x63C5, 0x63C4, 0x63C3, 0x63C2,
                        0x63C1, 0x63C0]
    assert sw(card, verify_cmd(WRONG)) == 0x6984
    assert sw(card, verify_cmd(CODE)) == 0x6984  # even the right code
    assert sw(card, "00200080") == 0x6984  # and the empty query
    assert card.tries_left("card_face_b") == 0
    assert card.tries_left("text_b") == 10  # a separate counter


def test_empty_verify_spends_nothing(card: testcards.SimulatedCard) -> None:
    send(card, "00A4040C0A" + CARD_FACE)
    send(card, "00A4020C020012")
    for _ in range(20):
        assert sw(card, "00200080") == 0x63CA
    assert card.tries_left("card_face_b") == 10


def test_success_resets_the_counter(card: testcards.SimulatedCard) -> None:
    send(card, "00A4040C0A" + CARD_FACE)
    send(card, "00A4020C020012")
    assert sw(card, verify_cmd(WRONG)) == 0x63C9
    assert sw(card, verify_cmd(WRONG)) == 0x63C8
    assert sw(card, verify_cmd(CODE)) == 0x9000
    assert card.tries_left("card_face_b") == 10
    assert sw(card, "00200080") == 0x9000  # already verified in this session


def test_short_ef_verify(card: testcards.SimulatedCard) -> None:
    send(card, "00A4040C0A" + CARD_FACE)
    assert sw(card, "00200092") == 0x63CA
    assert sw(card, verify_cmd(WRONG, 0x92)) == 0x63C9
    assert sw(card, verify_cmd(CODE, 0x92)) == 0x9000
    send(card, "00A4040C0A" + TEXT)
    assert sw(card, verify_cmd(CODE, 0x95)) == 0x9000
    assert sw(card, "00200099") == 0x6A88  # no such key


def test_verify_errors(card: testcards.SimulatedCard) -> None:
    assert sw(card, "00200080") == 0x6A88  # no key selected
    send(card, "00A4040C0A" + CARD_FACE)
    send(card, "00A4020C020012")
    assert sw(card, "00200180") == 0x6A86
    assert sw(card, "00200040") == 0x6A86
    assert sw(card, verify_cmd(b"1234")) == 0x6700  # wrong length spends nothing
    assert card.tries_left("card_face_b") == 10


def test_text_ap_files_need_its_own_code_b(card: testcards.SimulatedCard) -> None:
    open_card_face(card)
    send(card, "00A4040C0A" + TEXT)  # a new AP: what was open in the other one closes
    assert sw(card, "00B0820010") == 0x6982
    assert sw(card, "00B0830010") == 0x6982
    assert sw(card, "00B0840010") == 0x9000
    send(card, "00A4020C020015")
    assert sw(card, verify_cmd(CODE)) == 0x9000
    assert sw(card, "00B0820010") == 0x9000
    assert sw(card, "00B0830010") == 0x9000
    assert sw(card, "00B0810011") == 0x6982  # 個人番号: PIN or 照合番号A only
    send(card, "00A4040C0A" + CARD_FACE)
    assert sw(card, "00B0820010") == 0x6982


def test_card_face_my_number_image_needs_code_a(card: testcards.SimulatedCard) -> None:
    open_card_face(card)
    assert sw(card, "00B0850010") == 0x6982
    assert sw(card, "00B0810010") == 0x6982  # age record: the birth key


# --- power and reset, as in the field (card-spec 7) --------------------------------------------
def test_warm_reset_deselects_but_the_key_stays_open(card: testcards.SimulatedCard) -> None:
    open_card_face(card)
    card.warm_reset()
    assert card.key_open("card_face_b")
    assert sw(card, "00B0820001") == 0x6A82  # nothing selected any more
    assert sw(card, "00200080") == 0x6A88  # no key selected either
    send(card, "00A4040C0A" + CARD_FACE)
    assert sw(card, "00B0820001") == 0x9000  # read without presenting the code again
    assert sw(card, "00200092") == 0x9000  # and the tries query says "verified"
    card.reset()  # the old name: a warm reset too
    send(card, "00A4040C0A" + CARD_FACE)
    assert sw(card, "00B0820001") == 0x9000
    assert card.events == ["warm_reset", "warm_reset"]


def test_power_down_closes_keys_and_keeps_counters(card: testcards.SimulatedCard) -> None:
    send(card, "00A4040C0A" + CARD_FACE)
    assert sw(card, verify_cmd(WRONG, 0x92)) == 0x63C9
    open_card_face(card)
    assert sw(card, verify_cmd(WRONG, 0x92)) == 0x63C9  # a wrong code closes it again
    open_card_face(card)
    card.power_down()
    assert not card.powered and not card.key_open("card_face_b")
    with pytest.raises(UnresponsiveCardError):
        card.transmit(bytes.fromhex("00A4040C0A" + CARD_FACE))
    card.power_up()
    send(card, "00A4040C0A" + CARD_FACE)
    assert sw(card, "00B0820001") == 0x6982
    assert sw(card, "00200092") == 0x63CA
    assert card.events == ["power_down", "power_up"]


def test_power_up_of_a_powered_card_is_a_cold_start(card: testcards.SimulatedCard) -> None:
    open_card_face(card)
    card.power_up()
    assert card.powered and not card.key_open("card_face_b")
    assert sw(card, "00B0820001") == 0x6A82


def test_reset_of_an_unpowered_card_powers_it_up() -> None:
    card = testcards.build_card("genuine", quirks=testcards.parse_quirks("6f00-after-power-up"))
    card.power_down()
    card.warm_reset()
    assert card.powered and card.events == ["power_down", "power_up"]
    assert sw(card, "00A4040C0A" + CARD_FACE) == 0x6F00  # the first command after power-up


def test_leaving_the_field_closes_keys(card: testcards.SimulatedCard) -> None:
    open_card_face(card)
    card.remove()
    assert card.removed and not card.key_open("card_face_b")
    assert card.tries_left("card_face_b") == 10
    with pytest.raises(CardRemovedError):
        card.transmit(bytes.fromhex("00A4040C0A" + CARD_FACE))


def test_another_ap_closes_the_key_also_after_a_reset(card: testcards.SimulatedCard) -> None:
    open_card_face(card)
    card.warm_reset()
    send(card, "00A4040C0A" + TEXT)
    send(card, "00A4040C0A" + CARD_FACE)
    assert sw(card, "00B0820001") == 0x6982


def test_reselecting_the_same_ap_keeps_it_open(card: testcards.SimulatedCard) -> None:
    open_card_face(card)
    send(card, "00A4040C0A" + CARD_FACE)
    assert sw(card, "00B0820001") == 0x9000


# --- COMPUTE DIGITAL SIGNATURE ----------------------------------------------------------------
def test_compute_signature_with_the_df24_key(card: testcards.SimulatedCard) -> None:
    challenge = bytes(range(32))
    command = (bytes.fromhex("802A000033") + digest_info(hashlib.sha256(challenge).digest())
               + b"\x00")
    assert sw(card, command) == 0x6985  # no AP selected
    send(card, "00A4040C0A" + CARD_FACE)
    signature, status = send(card, command)
    assert status == 0x9000 and len(signature) == 256
    key = keystore.public_key(keystore.chip_key_name(testcards.PERSONAS[0].key))
    key.verify(signature, challenge, padding.PKCS1v15(), hashes.SHA256())


def test_compute_signature_errors(card: testcards.SimulatedCard) -> None:
    send(card, "00A4040C0A" + CARD_FACE)
    good = digest_info(bytes(32))
    assert sw(card, bytes.fromhex("802A000133") + good + b"\x00") == 0x6A86
    assert sw(card, bytes.fromhex("802A000020") + bytes(32) + b"\x00") == 0x6700
    assert sw(card, bytes.fromhex("802A000033") + bytes(51) + b"\x00") == 0x6A80
    assert sw(card, bytes.fromhex("002A000033") + good + b"\x00") == 0x6E00


def test_get_challenge(card: testcards.SimulatedCard) -> None:
    data, status = send(card, "0084000010")
    assert status == 0x9000 and len(data) == 16


# --- the transport around it ------------------------------------------------------------------
def test_yes_card_says_yes_to_everything() -> None:
    card = testcards.build_card("yes-card")
    assert sw(card, "00A4040C0AD3921000310001010499") == 0x9000
    assert sw(card, verify_cmd(WRONG)) == 0x9000
    data, status = send(card, "00B0840000" + "0000")
    assert status == 0x9000 and len(data) == 65536
    assert data[:2] != b"\x7f\x21"


def test_remove_and_commands(card: testcards.SimulatedCard) -> None:
    send(card, "00A4040C0A" + CARD_FACE)
    send(card, verify_cmd(CODE, 0x92))
    send(card, "00200092")
    send(card, "002000920000" + "0E" + CODE.hex())  # extended Lc
    assert card.commands == [bytes.fromhex("00A4040C0A" + CARD_FACE), bytes.fromhex("002000920E"),
                             bytes.fromhex("00200092"), bytes.fromhex("002000920000" + "0E")]
    assert all(CODE[:6] not in command for command in card.commands)
    assert card.files_touched == []
    card.remove()
    with pytest.raises(CardRemovedError):
        card.transmit(bytes.fromhex("00A4040C0A" + CARD_FACE))
    assert card.exchanges == 4


def test_cards_share_no_state() -> None:
    first, second = testcards.build_card("genuine"), testcards.build_card("genuine")
    send(first, "00A4040C0A" + CARD_FACE)
    send(first, verify_cmd(WRONG, 0x92))
    assert first.tries_left("card_face_b") == 9
    assert second.tries_left("card_face_b") == 10


def test_tries_left_names() -> None:
    assert testcards.build_card("low-retries").tries_left("card_face_b") == 2
    assert testcards.build_card("locked").tries_left("card_face_b") == 0
    with pytest.raises(KeyError, match="card_face_b"):
        testcards.build_card("genuine").tries_left("card_face_a")
    with pytest.raises(KeyError):
        testcards.build_card("blank-chip").tries_left("card_face_b")

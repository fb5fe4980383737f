"""Each record parsed whole at load, and every malformation a MalformedData."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import pytest

from verifier.card import constants as p
from verifier.card.records import (
    RsaPublicKey,
    parse_ap_basic_info,
    parse_card_face,
    parse_cv_certificate,
    parse_rsa_key,
    parse_text_basic_four,
    parse_text_integrity,
)
from verifier.card.tlv import encode, encode_long
from verifier.card.values import KeyId, Sex
from verifier.errors import MalformedData

if TYPE_CHECKING:
    from conftest import Builders

GOOD_MODULUS = (1 << 2047) | 0x1234567  # odd, 2048 bits: shape only, not a real key


# --- RSA keys --------------------------------------------------------------------------------
def test_parse_rsa_key(build: Builders) -> None:
    numbers = build.chip.public_key().public_numbers()
    key = parse_rsa_key(build.key_value(build.chip))
    assert key == RsaPublicKey(modulus=numbers.n, exponent=65537)


@pytest.mark.parametrize("value", [
    b"",
    encode(0x90, b"\x01\x00\x01"),
    encode(0x91, GOOD_MODULUS.to_bytes(256, "big")) + encode(0x90, b"\x01\x00\x01"),
    encode(0x90, b"\x01\x00\x01") + encode(0x91, GOOD_MODULUS.to_bytes(256, "big"))
    + encode(0x92, b""),
    encode(0x90, b"") + encode(0x91, GOOD_MODULUS.to_bytes(256, "big")),
    encode(0x90, bytes(5) + b"\x03") + encode(0x91, GOOD_MODULUS.to_bytes(256, "big")),
    encode(0x90, b"\x01\x00\x00") + encode(0x91, GOOD_MODULUS.to_bytes(256, "big")),  # even
    encode(0x90, b"\x01") + encode(0x91, GOOD_MODULUS.to_bytes(256, "big")),  # e = 1
    encode(0x90, b"\x01\x00\x01") + encode(0x91, (GOOD_MODULUS - 1).to_bytes(256, "big")),
    encode(0x90, b"\x01\x00\x01") + encode(0x91, (GOOD_MODULUS >> 8).to_bytes(255, "big")),
    encode(0x90, b"\x01\x00\x01") + encode(0x91, (GOOD_MODULUS >> 1).to_bytes(256, "big")),
    encode(0x90, b"\x01\x00\x01") + encode(0x91, GOOD_MODULUS.to_bytes(257, "big")),
])
def test_parse_rsa_key_refuses(value: bytes) -> None:
    with pytest.raises(MalformedData):
        parse_rsa_key(value)


def test_rsa_key_checks_itself() -> None:
    with pytest.raises(MalformedData):
        RsaPublicKey(modulus=2**2048 - 1, exponent=2)
    with pytest.raises(MalformedData):
        RsaPublicKey(modulus=2**1024 + 1, exponent=65537)


# --- card face -------------------------------------------------------------------------------
def test_card_face_parses(build: Builders) -> None:
    face = parse_card_face(build.face())
    parts = build.parts
    assert face.birth_date == date(1980, 2, 17)
    assert face.sex is Sex.MALE
    assert face.card_key == parse_rsa_key(parts.card_key)
    assert (face.name_png, face.address_png, face.photo_jp2) == (
        parts.name_png, parts.address_png, parts.photo_jp2)
    assert len(face.signature) == p.RSA_BYTES
    assert face.expiry == date(2035, 2, 17)
    assert face.security_code_png == parts.security_code_png
    assert face.signed_groups == build.face_groups(parts)


def test_card_face_repr_hides_personal_data(build: Builders) -> None:
    text = repr(parse_card_face(build.face()))
    assert "19800217" not in text and "PNG" not in text


@pytest.mark.parametrize(("changes", "expiry", "code"), [
    ({"expiry": None, "security_code_png": None}, None, None),
    ({"security_code_png": None}, date(2035, 2, 17), None),
    ({"expiry": None}, None, b"\x89PNG code"),
])
def test_card_face_optional_unsigned_objects(build: Builders, changes: dict[str, object],
                                             expiry: date | None, code: bytes | None) -> None:
    face = parse_card_face(build.face(**changes))
    assert (face.expiry, face.security_code_png) == (expiry, code)


@pytest.mark.parametrize("filler", [0, 1, 5000])
def test_card_face_ignores_filler(build: Builders, filler: int) -> None:
    assert parse_card_face(build.face(filler=filler)) == parse_card_face(build.face())


def test_card_face_filler_inside_the_outer_value_is_tolerated(build: Builders) -> None:
    objects = build.face_objects()
    objects[-1] += b"\xff" * 6  # after the last object but inside FF20
    assert parse_card_face(build.face_from(objects)).security_code_png == b"\x89PNG code"


@pytest.mark.parametrize("width", [1, 2, 3])
def test_card_face_long_form_lengths(build: Builders, width: int) -> None:
    objects = build.face_objects()
    objects[0] = encode_long(p.TAG_FACE_BIRTH, b"19800217", length_bytes=width)
    objects[1] = encode_long(p.TAG_FACE_SEX, b"1", length_bytes=width)
    face = parse_card_face(build.face_from(objects))
    assert face.birth_date == date(1980, 2, 17)
    assert face.signed_groups[0].startswith(objects[0] + objects[1])  # the raw bytes, as given


def test_card_face_with_missing_signed_objects(build: Builders) -> None:
    with pytest.raises(MalformedData):
        parse_card_face(build.face_from(build.face_objects()[:3]))


def _shift(index: int, by: int) -> Callable[[list[int]], list[int]]:
    def lie(offsets: list[int]) -> list[int]:
        offsets = list(offsets)
        offsets[index] += by
        return offsets
    return lie


@pytest.mark.parametrize("index", range(9))
def test_card_face_offset_table_lie(build: Builders, index: int) -> None:
    with pytest.raises(MalformedData, match="offset table"):
        parse_card_face(build.face(lie=_shift(index, 1)))


@pytest.mark.parametrize("lie", [lambda o: o[:-1], lambda o: [*o, 0], lambda o: []])
def test_card_face_offset_table_wrong_size(build: Builders,
                                           lie: Callable[[list[int]], list[int]]) -> None:
    with pytest.raises(MalformedData, match="offset table"):
        parse_card_face(build.face(lie=lie))


def test_card_face_offsets_count_from_the_file_start(build: Builders) -> None:
    # Offsets relative to the FF20 value (a plausible misreading) must not pass.
    header = 4  # FF20 82 LLLL
    with pytest.raises(MalformedData):
        parse_card_face(build.face(lie=lambda o: [x - header for x in o]))


@pytest.mark.parametrize("mutate", [
    lambda o: [o[1], o[0], *o[2:]],  # DF23 before DF22
    lambda o: [*o[:3], o[4], o[3], *o[5:]],  # address before name
    lambda o: o[:5] + o[6:],  # no photo
    lambda o: o[:6] + o[7:],  # no signature
    lambda o: [*o, encode(0xDF2B, b"x")],  # unknown object
    lambda o: [*o[:-1], o[-2]],  # DF29 twice
    lambda o: [*o[:-2], o[-1], o[-2]],  # DF2A before DF29
    lambda o: [*o[:1], encode(0xDF21, b""), *o[1:]],  # a second offset table
])
def test_card_face_objects_in_spec_order(build: Builders,
                                         mutate: Callable[[list[bytes]], list[bytes]]) -> None:
    with pytest.raises(MalformedData):
        parse_card_face(build.face_from(mutate(build.face_objects())))


@pytest.mark.parametrize("changes", [
    {"birth": b"1980021"}, {"birth": b"1980021x"}, {"birth": b"19800230"},
    {"birth": "１９８００２１７".encode()}, {"sex": b""}, {"sex": b"12"}, {"sex": b"\xe7"},
    {"card_key": b"\x90\x03\x01\x00\x01"}, {"signature": bytes(255)}, {"signature": bytes(257)},
    {"expiry": b"20351317"}, {"expiry": b""},
])
def test_card_face_field_checks(build: Builders, changes: dict[str, object]) -> None:
    with pytest.raises(MalformedData):
        parse_card_face(build.face(**changes))


def test_card_face_keeps_unusual_sex_codes(build: Builders) -> None:
    assert parse_card_face(build.face(sex=b"9")).sex is Sex.NOT_APPLICABLE
    assert parse_card_face(build.face(sex=b"X")).sex is Sex.OTHER


@pytest.mark.parametrize("raw", [
    b"", b"\xff\xff\xff\xff", b"\xff\x20", b"\xff\x20\x82", b"\xff\x20\x80\x00\x00",
    encode(0xFF21, b""), encode(p.TAG_FACE, b""),
])
def test_card_face_refuses_non_faces(raw: bytes) -> None:
    with pytest.raises(MalformedData):
        parse_card_face(raw)


def test_card_face_truncated_anywhere(build: Builders) -> None:
    raw = build.face(filler=0)
    for cut in range(0, len(raw), 97):
        with pytest.raises(MalformedData):
            parse_card_face(raw[:cut])


def test_card_face_outer_length_lies(build: Builders) -> None:
    raw = bytearray(build.face(filler=0))
    assert raw[2] == 0x82
    length = int.from_bytes(raw[3:5], "big")
    longer = bytes(raw[:3]) + (length + 1).to_bytes(2, "big") + bytes(raw[5:])
    with pytest.raises(MalformedData):
        parse_card_face(longer)
    shorter = bytes(raw[:3]) + (length - 1).to_bytes(2, "big") + bytes(raw[5:])
    with pytest.raises(MalformedData):
        parse_card_face(shorter)


def test_card_face_refuses_oversize(build: Builders) -> None:
    with pytest.raises(MalformedData, match="larger"):
        parse_card_face(build.face(filler=p.MAX_FILE_BYTES))


# --- certificate -----------------------------------------------------------------------------
def test_certificate_parses(build: Builders) -> None:
    raw = build.certificate()
    assert raw[:5] == bytes.fromhex("7F21820233")
    cert = parse_cv_certificate(raw)
    assert cert.issuer_key_id == KeyId(build.ca_id)
    assert cert.subject_key_id == KeyId(build.signer_id)
    assert cert.public_key.modulus == build.signer.public_key().public_numbers().n
    assert len(cert.body) == p.CV_BODY_LEN and cert.body == build.cert_body()
    assert len(cert.signature) == p.RSA_BYTES


def test_certificate_ignores_filler(build: Builders) -> None:
    assert parse_cv_certificate(build.certificate(filler=0)) == parse_cv_certificate(
        build.certificate(filler=300))


@pytest.mark.parametrize("raw_of", [
    lambda b: b.certificate(body=b.cert_body()[:-1]),
    lambda b: b.certificate(body=b.cert_body() + b"\x00"),
    lambda b: b.certificate(signature=bytes(255)),
    lambda b: b.certificate(body=b.ca_id + b.signer_id + bytes(265)),
    lambda b: encode(p.TAG_CV_CERT, encode(p.TAG_CV_BODY, b.cert_body())),
    lambda b: encode(p.TAG_CV_CERT, encode(p.TAG_CV_SIGNATURE, bytes(256))
                     + encode(p.TAG_CV_BODY, b.cert_body())),
    lambda b: encode(0x7F4E, b.certificate()[5:]),
    lambda b: b.certificate()[:400],
])
def test_certificate_refuses(build: Builders, raw_of: Callable[[Builders], bytes]) -> None:
    with pytest.raises(MalformedData):
        parse_cv_certificate(raw_of(build))


@pytest.mark.parametrize(("key_id", "text"), [
    (b"5000023\x08\x05001\x00\x00\x00\x00", "5000023/001"),
    (b"6000033\x08\x05001\x00\x00\x00\xa8", "6000033/001"),
    (bytes(16), "00" * 16),
    (b"50000\xff3\x08\x05001\x00\x00\x00\x00", "3530303030ff33" "0805" "303031" "00000000"),
])
def test_key_id_prints_its_number(key_id: bytes, text: str) -> None:
    assert str(KeyId(key_id)) == text


def test_key_id_compares_all_sixteen_bytes() -> None:
    first = KeyId(b"5000023\x08\x05001\x00\x00\x00\x00")
    last_byte = KeyId(b"5000023\x08\x05001\x00\x00\x00\x01")
    assert str(first) == str(last_byte) and first != last_byte
    with pytest.raises(MalformedData):
        KeyId(b"5000023")


# --- AP basic info ---------------------------------------------------------------------------
def test_basic_info_parses(build: Builders) -> None:
    info = parse_ap_basic_info(build.basic_info())
    assert (info.layout, info.key_id, info.version, info.municipality) == (
        b"\x00\x00\x00\x01", KeyId(build.signer_id), 1, "13101")
    assert parse_ap_basic_info(build.basic_info(opaque=False)) == info


@pytest.mark.parametrize("raw_of", [
    lambda b: b.basic_info(municipality=b"1310"),
    lambda b: b.basic_info(municipality=b"1310x"),
    lambda b: b.basic_info(municipality="１３１０１".encode()),
    lambda b: encode(p.TAG_BASIC_INFO, encode(p.TAG_BI_LAYOUT, b"\x00\x00\x00\x01")),
    lambda b: encode(p.TAG_BASIC_INFO, encode(p.TAG_BI_LAYOUT, b"\x01") + encode(
        p.TAG_BI_KEY_ID, b.signer_id) + encode(p.TAG_BI_VERSION, b"\x01")
        + encode(p.TAG_BI_MUNICIPALITY, b"13101")),
    lambda b: encode(p.TAG_BASIC_INFO, encode(p.TAG_BI_LAYOUT, b"\x00\x00\x00\x01") + encode(
        p.TAG_BI_KEY_ID, b.signer_id) + encode(p.TAG_BI_VERSION, b"")
        + encode(p.TAG_BI_MUNICIPALITY, b"13101")),
    lambda b: encode(p.TAG_FACE, b.basic_info()[2:]),
])
def test_basic_info_refuses(build: Builders, raw_of: Callable[[Builders], bytes]) -> None:
    with pytest.raises(MalformedData):
        parse_ap_basic_info(raw_of(build))


# --- text AP ---------------------------------------------------------------------------------
def test_text_basic_four_parses(build: Builders) -> None:
    four = parse_text_basic_four(build.text_four())
    assert four.name == "山田\u3000太郎"
    assert four.address == "東京都千代田区霞が関１－２－３"
    assert (four.birth_date, four.sex) == (date(1980, 2, 17), Sex.MALE)
    assert four.hashed_part == b"".join(build.text_objects())
    assert "山田" not in repr(four)


def test_text_basic_four_short_outer_header(build: Builders) -> None:
    raw = build.text_four(name=b"A", address=b"B")
    assert raw[2] < 0x80  # FF20 LL: short form, offsets start at 3
    assert parse_text_basic_four(raw).name == "A"


@pytest.mark.parametrize("index", range(4))
def test_text_basic_four_offset_lie(build: Builders, index: int) -> None:
    with pytest.raises(MalformedData, match="offset table"):
        parse_text_basic_four(build.text_four(lie=_shift(index, -1)))


@pytest.mark.parametrize("fields", [
    {"name": b"\xff\xfe"}, {"address": "住所".encode("shift_jis")}, {"birth": b"1980-2-17"},
    {"sex": b""},
])
def test_text_basic_four_field_checks(build: Builders, fields: dict[str, bytes]) -> None:
    with pytest.raises(MalformedData):
        parse_text_basic_four(build.text_four(**fields))


def test_text_integrity_parses(build: Builders) -> None:
    integrity = parse_text_integrity(build.integrity())
    assert integrity.hash_basic_four == hashlib.sha256(b"".join(build.text_objects())).digest()
    assert integrity.hash_my_number == hashlib.sha256(b"never read").digest()
    assert integrity.signed_part == (encode(p.TAG_TX_HASH_MY_NUMBER, integrity.hash_my_number)
                                     + encode(p.TAG_TX_HASH_BASIC_FOUR,
                                              integrity.hash_basic_four))
    assert len(integrity.signature) == p.RSA_BYTES


@pytest.mark.parametrize("raw_of", [
    lambda b: b.integrity(my_number_hash=bytes(31)),
    lambda b: b.integrity(signature=bytes(10)),
    lambda b: encode(p.TAG_TX_INTEGRITY, encode(p.TAG_TX_HASH_BASIC_FOUR, bytes(32))
                     + encode(p.TAG_TX_HASH_MY_NUMBER, bytes(32))
                     + encode(p.TAG_TX_SIGNATURE, bytes(256))),
    lambda b: b.integrity()[:-1],
])
def test_text_integrity_refuses(build: Builders, raw_of: Callable[[Builders], bytes]) -> None:
    with pytest.raises(MalformedData):
        parse_text_integrity(raw_of(build))

"""Records located, then read once verified: evidence only where the signed bytes are at stake.

Locating a record is strict about its signed objects (missing, twice, a length past the end,
junk where one must be: MalformedData, evidence) and lenient about everything unsigned (an
Oddity, recorded). Reading the signed values is for after the signature verified: a value that
does not parse is UnsupportedLayout, our failure, not the card's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from verifier.card.oddities import Oddity
from verifier.card.tlv import encode, encode_long
from verifier.card.values import Sex
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.key_id import KeyId
from verifier.documents.my_number.records import (
    CardFace,
    RsaPublicKey,
    basic_four_digest,
    locate_card_face,
    locate_cv_certificate,
    locate_text_basic_four,
    locate_text_integrity,
    parse_ap_basic_info,
    parse_rsa_key,
    read_card_face,
    read_certified_key,
    read_text_basic_four,
)
from verifier.errors import MalformedData, UnsupportedLayout

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
UNKNOWN = encode(0xDF2B, b"\x01\x02\x03")
# Indices into Builders.face_objects(): DF22 DF23 DF24 DF25 DF26 DF27 DF28 DF29 DF2A
BIRTH, SEX, KEY, NAME, ADDRESS, PHOTO, SIGNATURE, EXPIRY, CODE = range(9)


def _read(raw: bytes) -> CardFace:
    return read_card_face(locate_card_face(raw))


def test_card_face_located_and_read(build: Builders) -> None:
    located = locate_card_face(build.face())
    face = read_card_face(located)
    parts = build.parts
    assert face.birth_date == date(1980, 2, 17)
    assert face.sex is Sex.MALE
    assert face.card_key == parse_rsa_key(parts.card_key)
    assert (face.name_png, face.address_png, face.photo_jp2) == (
        parts.name_png, parts.address_png, parts.photo_jp2)
    assert len(located.signature) == p.RSA_BYTES
    assert face.expiry == located.expiry == date(2035, 2, 17)
    assert face.security_code_png == parts.security_code_png
    assert located.signed_groups == build.face_groups(parts)
    assert located.oddities == ()


def test_card_face_repr_hides_personal_data(build: Builders) -> None:
    located = locate_card_face(build.face())
    for text in (repr(located), repr(read_card_face(located))):
        assert "19800217" not in text and "PNG" not in text and "1980" not in text


@pytest.mark.parametrize(("changes", "expiry", "code"), [
    ({"expiry": None, "security_code_png": None}, None, None),
    ({"security_code_png": None}, date(2035, 2, 17), None),
    ({"expiry": None}, None, b"\x89PNG code"),
])
def test_card_face_unsigned_objects_may_be_missing(build: Builders, changes: dict[str, object],
                                                   expiry: date | None,
                                                   code: bytes | None) -> None:
    located = locate_card_face(build.face(**changes))
    assert (located.expiry, located.security_code_png) == (expiry, code)
    assert located.oddities == (Oddity.MISSING_UNSIGNED,)
    assert located.signed_groups == build.face_groups(build.parts)


@pytest.mark.parametrize("filler", [0, 1, 5000])
def test_card_face_padding_after_the_outer_object_is_normal(build: Builders, filler: int) -> None:
    located = locate_card_face(build.face(filler=filler))
    assert located == locate_card_face(build.face())
    assert located.oddities == ()


@pytest.mark.parametrize("after", [SEX - 1, KEY, PHOTO, SIGNATURE, CODE])
@pytest.mark.parametrize("byte", [b"\xff", b"\x00"])
def test_card_face_filler_inside_is_an_oddity(build: Builders, after: int, byte: bytes) -> None:
    # 16 filler bytes after DF22, DF24 (between signed groups), DF27, DF28, DF2A (at the end
    # inside FF20); the offset table stays honest.
    objects = build.face_objects()
    objects[after] += byte * 16
    located = locate_card_face(build.face_from(objects))
    assert located.oddities == (Oddity.FILLER,)
    assert located.signed_groups == build.face_groups(build.parts)
    assert located.expiry == date(2035, 2, 17)
    assert located.security_code_png == b"\x89PNG code"


def test_card_face_filler_between_the_table_and_the_signed_objects(build: Builders) -> None:
    objects = build.face_objects()
    objects[BIRTH] = b"\xff" * 3 + objects[BIRTH]
    located = locate_card_face(build.face_from(objects))
    assert Oddity.FILLER in located.oddities
    assert located.signed_groups == build.face_groups(build.parts)


@pytest.mark.parametrize("width", [1, 2, 3])
def test_card_face_long_form_lengths(build: Builders, width: int) -> None:
    objects = build.face_objects()
    objects[0] = encode_long(p.TAG_FACE_BIRTH, b"19800217", length_bytes=width)
    objects[1] = encode_long(p.TAG_FACE_SEX, b"1", length_bytes=width)
    located = locate_card_face(build.face_from(objects))
    assert read_card_face(located).birth_date == date(1980, 2, 17)
    # the raw bytes, as given: the hash covers the TLVs as they stand in the file
    assert located.signed_groups[0].startswith(objects[0] + objects[1])


def _shift(index: int, by: int) -> Callable[[list[int]], list[int]]:
    def lie(offsets: list[int]) -> list[int]:
        offsets = list(offsets)
        offsets[index] += by
        return offsets
    return lie


@pytest.mark.parametrize("index", range(9))
def test_card_face_offset_table_that_lies_is_an_oddity(build: Builders, index: int) -> None:
    located = locate_card_face(build.face(lie=_shift(index, 1)))
    assert located.oddities == (Oddity.OFFSET_TABLE,)
    assert located.signed_groups == build.face_groups(build.parts)


@pytest.mark.parametrize("lie", [lambda o: o[:-1], lambda o: [*o, 0], lambda o: [],
                                 lambda o: [x - 4 for x in o]])  # counted from the FF20 value
def test_card_face_offset_table_of_another_shape_is_an_oddity(
        build: Builders, lie: Callable[[list[int]], list[int]]) -> None:
    located = locate_card_face(build.face(lie=lie))
    assert located.oddities == (Oddity.OFFSET_TABLE,)
    assert read_card_face(located).birth_date == date(1980, 2, 17)


def test_card_face_without_offset_table(build: Builders) -> None:
    raw = encode(p.TAG_FACE, b"".join(build.face_objects())) + b"\xff" * 8
    located = locate_card_face(raw)
    assert located.oddities == (Oddity.OFFSET_TABLE,)
    assert located.signed_groups == build.face_groups(build.parts)


@pytest.mark.parametrize(("mutate", "oddities"), [
    (lambda o: [*o, UNKNOWN], {Oddity.TRAILING_OBJECT}),  # one more object after DF2A
    (lambda o: [*o[:EXPIRY], UNKNOWN, *o[EXPIRY:]], {Oddity.TRAILING_OBJECT}),  # DF28 < it < DF29
    (lambda o: [*o[:NAME], UNKNOWN, *o[NAME:]], {Oddity.UNKNOWN_OBJECT}),  # among the signed
    (lambda o: [UNKNOWN, *o], {Oddity.UNKNOWN_OBJECT}),  # before them
    (lambda o: [*o, o[CODE]], {Oddity.DUPLICATE_UNSIGNED}),  # DF2A twice
    (lambda o: [*o[:CODE], o[EXPIRY], o[CODE]], {Oddity.DUPLICATE_UNSIGNED}),  # DF29 twice
    (lambda o: [*o[:EXPIRY], o[CODE], o[EXPIRY]], {Oddity.ORDER}),  # DF2A before DF29
    (lambda o: [o[SEX], o[BIRTH], *o[KEY:]], {Oddity.ORDER}),  # DF23 before DF22
    (lambda o: [*o[:PHOTO], o[SIGNATURE], o[PHOTO], *o[EXPIRY:]], {Oddity.ORDER}),
    (lambda o: [encode(p.TAG_FACE_OFFSETS, b""), *o],  # a second offset table
     {Oddity.DUPLICATE_UNSIGNED}),
])
def test_card_face_unsigned_layout_is_an_oddity(build: Builders,
                                                mutate: Callable[[list[bytes]], list[bytes]],
                                                oddities: set[Oddity]) -> None:
    located = locate_card_face(build.face_from(mutate(build.face_objects())))
    assert set(located.oddities) == oddities
    # the signed objects are found by their tags and hashed in the card-spec's order
    assert located.signed_groups == build.face_groups(build.parts)
    assert read_card_face(located).birth_date == date(1980, 2, 17)


@pytest.mark.parametrize("mutate", [
    lambda o: o[:PHOTO] + o[SIGNATURE:],  # no photo
    lambda o: o[:SIGNATURE] + o[EXPIRY:],  # no signature
    lambda o: o[:3],  # most signed objects missing
    lambda o: [*o[:SIGNATURE], o[PHOTO], *o[SIGNATURE:]],  # DF27 twice
    lambda o: [*o, o[PHOTO]],  # DF27 twice, the second after the unsigned ones
    lambda o: [o[BIRTH], *o],  # DF22 twice
    lambda o: [*o[:EXPIRY], o[SIGNATURE], *o[EXPIRY:]],  # DF28 twice
    lambda o: [*o[:NAME], b"\x1f\xff\xff\xff", *o[NAME:]],  # junk among the signed objects
    lambda o: [b"\x5f", *o],  # junk before them
])
def test_card_face_signed_objects_missing_twice_or_among_junk_are_evidence(
        build: Builders, mutate: Callable[[list[bytes]], list[bytes]]) -> None:
    with pytest.raises(MalformedData):
        locate_card_face(build.face_from(mutate(build.face_objects())))


def test_card_face_signed_length_past_the_end_is_evidence(build: Builders) -> None:
    objects = build.face_objects()[:PHOTO + 1]  # the photo ends the FF20 value
    photo = objects[PHOTO]
    value = photo[len(photo) - len(build.parts.photo_jp2):]
    objects[PHOTO] = encode_long(p.TAG_FACE_PHOTO_JP2, value, length_bytes=2)
    longer = bytearray(objects[PHOTO])
    longer[3:5] = (len(value) + 1).to_bytes(2, "big")
    objects[PHOTO] = bytes(longer)
    with pytest.raises(MalformedData):
        locate_card_face(build.face_from(objects, filler=0))


@pytest.mark.parametrize("changes", [
    {"birth": b"1980021"}, {"birth": b"1980021x"}, {"birth": b"19800230"},
    {"birth": "１９８００２１７".encode()}, {"birth": b"1980/02/17"}, {"sex": b""},
    {"sex": b"12"}, {"sex": b"\xe7"}, {"card_key": b"\x90\x03\x01\x00\x01"},
    {"card_key": b"\x91\x03\x01\x00\x01"},
])
def test_card_face_signed_values_of_an_unknown_form_are_unsupported(
        build: Builders, changes: dict[str, object]) -> None:
    located = locate_card_face(build.face(**changes))  # located: they are signed bytes
    with pytest.raises(UnsupportedLayout):
        read_card_face(located)


@pytest.mark.parametrize("signature", [bytes(255), bytes(257), b""])
def test_card_face_signature_of_another_size_is_located(build: Builders,
                                                        signature: bytes) -> None:
    # it will simply fail to verify (crypto.py): a bad signature, not a parse error
    assert locate_card_face(build.face(signature=signature)).signature == signature


@pytest.mark.parametrize(("expiry", "day", "oddities"), [
    (b"20350217", date(2035, 2, 17), ()),
    (b"2035/02/17", date(2035, 2, 17), (Oddity.EXPIRY_FORMAT,)),
    (b"2035-02-17", date(2035, 2, 17), (Oddity.EXPIRY_FORMAT,)),
    ("2035年02月17日".encode(), date(2035, 2, 17), (Oddity.EXPIRY_FORMAT,)),
    (b"20350217\x00", date(2035, 2, 17), (Oddity.EXPIRY_FORMAT,)),
    (b"2035/2/17", None, (Oddity.EXPIRY_UNREADABLE,)),
    (b"20351317", None, (Oddity.EXPIRY_UNREADABLE,)),
    (b"2035/13/17", None, (Oddity.EXPIRY_FORMAT, Oddity.EXPIRY_UNREADABLE)),
    (b"", None, (Oddity.EXPIRY_UNREADABLE,)),
    (b"203502170", None, (Oddity.EXPIRY_UNREADABLE,)),
])
def test_card_face_expiry_is_read_leniently(build: Builders, expiry: bytes, day: date | None,
                                            oddities: tuple[Oddity, ...]) -> None:
    located = locate_card_face(build.face(expiry=expiry))
    assert located.expiry == day
    assert located.oddities == oddities
    assert read_card_face(located).expiry == day


@pytest.mark.parametrize(("second", "day", "oddities"), [
    (b"20350217", date(2035, 2, 17), {Oddity.DUPLICATE_UNSIGNED}),
    (b"2035/02/17", date(2035, 2, 17), {Oddity.DUPLICATE_UNSIGNED, Oddity.EXPIRY_FORMAT}),
    (b"20360217", None, {Oddity.DUPLICATE_UNSIGNED, Oddity.EXPIRY_CONFLICT}),
    (b"bad", None, {Oddity.DUPLICATE_UNSIGNED, Oddity.EXPIRY_UNREADABLE}),
])
def test_card_face_expiry_given_twice(build: Builders, second: bytes, day: date | None,
                                      oddities: set[Oddity]) -> None:
    objects = build.face_objects()
    objects.insert(CODE, encode(p.TAG_FACE_EXPIRY, second))
    located = locate_card_face(build.face_from(objects))
    assert located.expiry == day
    assert set(located.oddities) == oddities


def test_card_face_security_code_twice_differently_is_dropped(build: Builders) -> None:
    objects = [*build.face_objects(), encode(p.TAG_FACE_SECURITY_CODE_PNG, b"\x89PNG other")]
    located = locate_card_face(build.face_from(objects))
    assert located.security_code_png is None
    assert located.oddities == (Oddity.DUPLICATE_UNSIGNED,)


def test_card_face_keeps_unusual_sex_codes(build: Builders) -> None:
    assert _read(build.face(sex=b"9")).sex is Sex.NOT_APPLICABLE
    assert _read(build.face(sex=b"X")).sex is Sex.OTHER


@pytest.mark.parametrize("raw", [
    b"", b"\xff\xff\xff\xff", b"\xff\x20", b"\xff\x20\x82", b"\xff\x20\x80\x00\x00",
    encode(0xFF21, b""), encode(p.TAG_FACE, b""), encode(p.TAG_FACE, b"\xff" * 40),
])
def test_card_face_refuses_non_faces(raw: bytes) -> None:
    with pytest.raises(MalformedData):
        locate_card_face(raw)


def test_card_face_truncated_anywhere(build: Builders) -> None:
    raw = build.face(filler=0)
    for cut in range(0, len(raw), 97):
        with pytest.raises(MalformedData):
            locate_card_face(raw[:cut])  # the outer length runs past the end


def test_card_face_outer_length_lies(build: Builders) -> None:
    raw = bytearray(build.face(filler=0))
    assert raw[2] == 0x82
    length = int.from_bytes(raw[3:5], "big")

    def claiming(value: int) -> bytes:
        return bytes(raw[:3]) + value.to_bytes(2, "big") + bytes(raw[5:])

    with pytest.raises(MalformedData):
        locate_card_face(claiming(length + 1))  # past the end of the file
    # One byte short cuts DF2A, after every signed object: nothing signed is in doubt (the
    # offset table now lists one object more than there is).
    short = locate_card_face(claiming(length - 1))
    assert set(short.oddities) == {Oddity.UNPARSED_TAIL, Oddity.MISSING_UNSIGNED,
                                   Oddity.OFFSET_TABLE}
    assert short.signed_groups == build.face_groups(build.parts)
    # Short enough to cut the signature: the signed objects are not all there.
    code_and_expiry = len(b"".join(build.face_objects()[EXPIRY:]))
    with pytest.raises(MalformedData):
        locate_card_face(claiming(length - code_and_expiry - 1))


def test_card_face_refuses_oversize(build: Builders) -> None:
    with pytest.raises(MalformedData, match="larger"):
        locate_card_face(build.face(filler=p.MAX_FILE_BYTES))


# --- certificate -----------------------------------------------------------------------------
def _certificate_from(build: Builders, objects: list[bytes]) -> bytes:
    return encode(p.TAG_CV_CERT, b"".join(objects)) + b"\xff" * 8


def _cert_objects(build: Builders) -> list[bytes]:
    body = build.cert_body()
    signature = build.ca.sign(body, padding.PKCS1v15(), hashes.SHA256())
    return [encode(p.TAG_CV_BODY, body), encode(p.TAG_CV_SIGNATURE, signature)]


def test_certificate_located_and_read(build: Builders) -> None:
    raw = build.certificate()
    assert raw[:5] == bytes.fromhex("7F21820233")
    cert = locate_cv_certificate(raw)
    assert cert.issuer_key_id == KeyId(build.ca_id)
    assert len(cert.body) == p.CV_BODY_LEN and cert.body == build.cert_body()
    assert len(cert.signature) == p.RSA_BYTES
    assert cert.oddities == ()
    certified = read_certified_key(cert)
    assert certified.subject_key_id == KeyId(build.signer_id)
    assert certified.public_key.modulus == build.signer.public_key().public_numbers().n


def test_certificate_padding_after_it_is_normal(build: Builders) -> None:
    assert locate_cv_certificate(build.certificate(filler=0)) == locate_cv_certificate(
        build.certificate(filler=300))


@pytest.mark.parametrize(("mutate", "oddities"), [
    (lambda o: [*o, encode(0x5F20, b"holder")], {Oddity.TRAILING_OBJECT}),
    (lambda o: [*o, encode(0x42, b"x"), encode(0x5F25, b"y")], {Oddity.TRAILING_OBJECT}),
    (lambda o: [o[0], encode(0x5F20, b"holder"), o[1]], {Oddity.UNKNOWN_OBJECT}),
    (lambda o: [o[0], b"\xff" * 16, o[1]], {Oddity.FILLER}),
    (lambda o: [*o, b"\xff" * 16], {Oddity.FILLER}),
    (lambda o: [*o, b"\x1f\xff\xff\xff"], {Oddity.UNPARSED_TAIL}),
    (lambda o: [o[1], o[0]], {Oddity.ORDER}),
])
def test_certificate_unsigned_layout_is_an_oddity(build: Builders,
                                                  mutate: Callable[[list[bytes]], list[bytes]],
                                                  oddities: set[Oddity]) -> None:
    cert = locate_cv_certificate(_certificate_from(build, mutate(_cert_objects(build))))
    assert set(cert.oddities) == oddities
    assert cert.body == build.cert_body()
    assert read_certified_key(cert).subject_key_id == KeyId(build.signer_id)


@pytest.mark.parametrize("raw_of", [
    lambda b: _certificate_from(b, _cert_objects(b)[:1]),  # no signature
    lambda b: _certificate_from(b, _cert_objects(b)[1:]),  # no body
    lambda b: _certificate_from(b, [*_cert_objects(b), _cert_objects(b)[0]]),  # body twice
    lambda b: _certificate_from(b, [*_cert_objects(b), _cert_objects(b)[1]]),  # signature twice
    lambda b: _certificate_from(b, [b"\x1f\xff\xff\xff", *_cert_objects(b)]),  # junk first
    lambda b: b.certificate(body=b.ca_id[:15]),  # a body too short to name its issuer
    lambda b: encode(0x7F4E, b.certificate()[5:]),
    lambda b: b.certificate()[:400],
])
def test_certificate_refuses(build: Builders, raw_of: Callable[[Builders], bytes]) -> None:
    with pytest.raises(MalformedData):
        locate_cv_certificate(raw_of(build))


@pytest.mark.parametrize("body_of", [
    lambda b: b.cert_body()[:-1],
    lambda b: b.cert_body() + b"\x00",
    lambda b: b.ca_id + b.signer_id + bytes(265),
    lambda b: b.ca_id + b.signer_id[:10],
])
def test_certificate_body_of_another_form_is_located_then_unsupported(
        build: Builders, body_of: Callable[[Builders], bytes]) -> None:
    cert = locate_cv_certificate(build.certificate(body=body_of(build)))
    assert cert.issuer_key_id == KeyId(build.ca_id)  # enough to look the CA up and verify
    with pytest.raises(UnsupportedLayout):
        read_certified_key(cert)


def test_certificate_signature_of_another_size_is_located(build: Builders) -> None:
    assert locate_cv_certificate(build.certificate(signature=bytes(255))).signature == bytes(255)


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
def test_text_basic_four_located_and_read(build: Builders) -> None:
    located = locate_text_basic_four(build.text_four())
    assert located.hashed_part == b"".join(build.text_objects())
    four = read_text_basic_four(located)
    assert four.name == "山田\u3000太郎"
    assert four.address == "東京都千代田区霞が関１－２－３"
    assert (four.birth_date, four.sex) == (date(1980, 2, 17), Sex.MALE)
    assert four.oddities == ()
    assert "山田" not in repr(four) and "山田" not in repr(located)


def test_text_basic_four_short_outer_header(build: Builders) -> None:
    raw = build.text_four(name=b"A", address=b"B")
    assert raw[2] < 0x80  # FF20 LL: short form, offsets start at 3
    four = read_text_basic_four(locate_text_basic_four(raw))
    assert four.name == "A" and four.oddities == ()


@pytest.mark.parametrize("index", range(4))
def test_text_basic_four_offset_lie_is_an_oddity(build: Builders, index: int) -> None:
    located = locate_text_basic_four(build.text_four(lie=_shift(index, -1)))
    assert located.hashed_part == b"".join(build.text_objects())
    assert read_text_basic_four(located).oddities == (Oddity.OFFSET_TABLE,)


@pytest.mark.parametrize(("before", "oddities"), [
    (b"", {Oddity.OFFSET_TABLE}),  # no offset table at all
    (encode(0xDF2B, b"x"), {Oddity.OFFSET_TABLE, Oddity.UNKNOWN_OBJECT}),
    (b"\xff" * 16, {Oddity.OFFSET_TABLE, Oddity.FILLER}),
])
def test_text_basic_four_unsigned_part_before_the_hashed_one(build: Builders, before: bytes,
                                                             oddities: set[Oddity]) -> None:
    raw = encode(p.TAG_TX_BASIC_FOUR, before + b"".join(build.text_objects()))
    located = locate_text_basic_four(raw)
    assert located.hashed_part == b"".join(build.text_objects())
    assert set(read_text_basic_four(located).oddities) == oddities


def test_text_basic_four_hashed_part_runs_to_the_end_of_ff20(build: Builders) -> None:
    # Filler inside FF20 after DF25 is hashed: DF32 covers "DF22 to its end".
    objects = build.text_objects()
    raw = encode(p.TAG_TX_BASIC_FOUR, encode(p.TAG_TX_OFFSETS, b"") + b"".join(objects)
                 + b"\xff" * 4)
    located = locate_text_basic_four(raw)
    assert located.hashed_part == b"".join(objects) + b"\xff" * 4
    assert Oddity.FILLER in read_text_basic_four(located).oddities


@pytest.mark.parametrize("raw_of", [
    lambda b: encode(p.TAG_TX_BASIC_FOUR, encode(p.TAG_TX_OFFSETS, b"")),  # no DF22
    lambda b: encode(p.TAG_TX_BASIC_FOUR, b"\x1f\xff\xff\xff" + b"".join(b.text_objects())),
    lambda b: encode(p.TAG_TX_INTEGRITY, b"".join(b.text_objects())),
    lambda b: b.text_four()[:6],
])
def test_text_basic_four_without_its_hashed_part_is_evidence(
        build: Builders, raw_of: Callable[[Builders], bytes]) -> None:
    with pytest.raises(MalformedData):
        locate_text_basic_four(raw_of(build))


@pytest.mark.parametrize("fields", [
    {"name": b"\xff\xfe"}, {"address": "住所".encode("shift_jis")}, {"birth": b"1980-2-17"},
    {"sex": b""},
])
def test_text_basic_four_signed_values_of_an_unknown_form(build: Builders,
                                                          fields: dict[str, bytes]) -> None:
    located = locate_text_basic_four(build.text_four(**fields))
    with pytest.raises(UnsupportedLayout):
        read_text_basic_four(located)


@pytest.mark.parametrize("objects_of", [
    lambda b: [*b.text_objects(), b.text_objects()[1]],  # DF23 twice, both hashed
    lambda b: b.text_objects()[:3],  # no sex
    lambda b: [*b.text_objects()[:2], b"\x1f\xff\xff\xff", *b.text_objects()[2:]],
])
def test_text_basic_four_hashed_part_of_an_unknown_form(
        build: Builders, objects_of: Callable[[Builders], list[bytes]]) -> None:
    raw = encode(p.TAG_TX_BASIC_FOUR, encode(p.TAG_TX_OFFSETS, b"") + b"".join(objects_of(build)))
    located = locate_text_basic_four(raw)  # DF22 is there: the hash decides
    with pytest.raises(UnsupportedLayout):
        read_text_basic_four(located)


def test_text_integrity_located(build: Builders) -> None:
    integrity = locate_text_integrity(build.integrity())
    digest = hashlib.sha256(b"".join(build.text_objects())).digest()
    assert basic_four_digest(integrity) == integrity.hash_basic_four == digest
    assert integrity.signed_part == (
        encode(p.TAG_TX_HASH_MY_NUMBER, hashlib.sha256(b"never read").digest())
        + encode(p.TAG_TX_HASH_BASIC_FOUR, digest))
    assert len(integrity.signature) == p.RSA_BYTES
    assert integrity.oddities == ()


def _integrity_objects(build: Builders) -> list[bytes]:
    raw = build.integrity()
    value = raw[len(raw) - int.from_bytes(raw[3:5], "big"):] if raw[2] == 0x82 else raw[3:]
    from verifier.card.tlv import parse_all

    return [item.raw for item in parse_all(value)]


@pytest.mark.parametrize(("mutate", "oddities"), [
    (lambda o: [*o, encode(0xDF34, b"x")], {Oddity.TRAILING_OBJECT}),
    (lambda o: [*o, b"\xff" * 16], {Oddity.FILLER}),
    (lambda o: [o[1], o[0], o[2]], {Oddity.ORDER}),
])
def test_text_integrity_unsigned_layout_is_an_oddity(
        build: Builders, mutate: Callable[[list[bytes]], list[bytes]],
        oddities: set[Oddity]) -> None:
    original = locate_text_integrity(build.integrity())
    integrity = locate_text_integrity(encode(p.TAG_TX_INTEGRITY,
                                             b"".join(mutate(_integrity_objects(build)))))
    assert set(integrity.oddities) == oddities
    # DF33 signs DF31 then DF32, as the card-spec defines it, wherever they stand
    assert integrity.signed_part == original.signed_part


@pytest.mark.parametrize("raw_of", [
    lambda b: encode(p.TAG_TX_INTEGRITY, b"".join(_integrity_objects(b)[1:])),  # no DF31
    lambda b: encode(p.TAG_TX_INTEGRITY, b"".join([*_integrity_objects(b),
                                                   _integrity_objects(b)[2]])),  # DF33 twice
    lambda b: b.integrity()[:-1],
])
def test_text_integrity_refuses(build: Builders, raw_of: Callable[[Builders], bytes]) -> None:
    with pytest.raises(MalformedData):
        locate_text_integrity(raw_of(build))


def test_text_integrity_df32_of_another_size_is_unsupported_once_verified(
        build: Builders) -> None:
    integrity = locate_text_integrity(build.integrity(my_number_hash=bytes(31)))
    assert len(integrity.signed_part) == 3 + 31 + 3 + 32  # located: DF33 decides
    odd = replace(integrity, hash_basic_four=bytes(31))
    with pytest.raises(UnsupportedLayout):
        basic_four_digest(odd)

"""The issued files are laid out exactly as card-spec.md says, and their signatures verify."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from PIL import Image

import testcards
from testcards import builder, issuance, keystore, render
from verifier.card.tlv import Tlv, parse_all, parse_one
from verifier.documents.my_number import constants as p

TRUST_FILE = Path(__file__).resolve().parents[2] / "verifier" / "data" / "simulated-ca-keys.json"
SHARED_TRUST = Path("/work/shared/trust/card-ca-keys.json")
FACE_DIGEST_PREFIX = bytes.fromhex("3071300d060960864801650304020105000460")


def files(profile: str = "genuine", persona: int = 0) -> dict[tuple[bytes, int], bytes]:
    chip = builder.chip_spec(profile, testcards.PERSONAS[persona])
    return {(app.aid, f.fid): f.data for app in chip.apps for f in app.files}


def face_objects(data: bytes) -> tuple[Tlv, list[Tlv]]:
    outer = parse_one(data)
    assert outer.tag == p.TAG_FACE
    header = len(outer.raw) - len(outer.value)
    return outer, parse_all(outer.value, base_offset=header)


def rsa_key(value: bytes) -> rsa.RSAPublicKey:
    exponent, modulus = parse_all(value)
    assert (exponent.tag, modulus.tag) == (p.TAG_RSA_EXPONENT, p.TAG_RSA_MODULUS)
    assert exponent.value == b"\x01\x00\x01" and len(modulus.value) == 256
    assert value[5:9] == bytes.fromhex("91820100")
    return rsa.RSAPublicNumbers(65537, int.from_bytes(modulus.value, "big")).public_key()


def certificate_parts(data: bytes) -> tuple[bytes, bytes]:
    assert len(data) == 568 and data[:5] == bytes.fromhex("7F21820233")
    body, signature = parse_all(parse_one(data).value)
    assert data[5:10] == bytes.fromhex("5F4E820129") and len(body.value) == 297
    assert body.tag == p.TAG_CV_BODY and signature.tag == p.TAG_CV_SIGNATURE
    assert len(signature.value) == 256
    return body.value, signature.value


@pytest.mark.parametrize("persona", range(len(testcards.PERSONAS)))
def test_card_face_layout(persona: int) -> None:
    data = files(persona=persona)[(p.AID_CARD_FACE, p.EF_CF_FACE)]
    assert len(data) == issuance.CARD_FACE_FILE_SIZE
    assert data[:3] == bytes.fromhex("FF2082")
    outer, objects = face_objects(data)
    assert set(data[len(outer.raw):]) == {0xFF}
    assert [o.tag for o in objects] == [p.TAG_FACE_OFFSETS, *p.FACE_OBJECTS]
    table = objects[0].value
    assert len(table) == 2 * len(p.FACE_OBJECTS)
    assert [int.from_bytes(table[i:i + 2], "big") for i in range(0, len(table), 2)] == \
        [o.offset for o in objects[1:]]
    for item in objects[1:]:
        assert data[item.offset:item.offset + len(item.raw)] == item.raw
    by_tag = {o.tag: o for o in objects}
    person = testcards.PERSONAS[persona]
    assert by_tag[p.TAG_FACE_BIRTH].value == person.birth.strftime("%Y%m%d").encode()
    assert by_tag[p.TAG_FACE_SEX].value == person.sex.encode()
    assert by_tag[p.TAG_FACE_EXPIRY].value == person.expiry.strftime("%Y%m%d").encode()
    assert by_tag[p.TAG_FACE_EXPIRY].offset > by_tag[p.TAG_FACE_SIGNATURE].offset
    assert by_tag[p.TAG_FACE_SECURITY_CODE_PNG].offset > by_tag[p.TAG_FACE_EXPIRY].offset


def test_card_face_signature_verifies_with_the_certified_key() -> None:
    every = files()
    body, cert_signature = certificate_parts(every[(p.AID_CARD_FACE, p.EF_CF_CERTIFICATE)])
    assert body[:16] == keystore.SIMULATED_CARD_FACE_ID
    assert body[:7] == b"9000023" and body[7:9] == b"\x08\x05" and body[12:15] == bytes(3)
    keystore.public_key(keystore.CA_CARD_FACE).verify(cert_signature, body, padding.PKCS1v15(),
                                                      hashes.SHA256())
    certified = rsa_key(body[32:])
    _, objects = face_objects(every[(p.AID_CARD_FACE, p.EF_CF_FACE)])
    by_tag = {o.tag: o for o in objects}
    groups = [b"".join(by_tag[t].raw for t in group) for group in p.FACE_SIGNED_GROUPS]
    expected = FACE_DIGEST_PREFIX + b"".join(hashlib.sha256(g).digest() for g in groups)
    signature = by_tag[p.TAG_FACE_SIGNATURE].value
    assert certified.recover_data_from_signature(signature, padding.PKCS1v15(), None) == expected
    # the chip's own DF24 key is not the signer
    chip = rsa_key(by_tag[p.TAG_FACE_CARD_KEY].value)
    assert chip.public_numbers() == keystore.public_key("chip-showa").public_numbers()
    with pytest.raises(InvalidSignature):
        chip.recover_data_from_signature(signature, padding.PKCS1v15(), None)


def test_images() -> None:
    _, objects = face_objects(files()[(p.AID_CARD_FACE, p.EF_CF_FACE)])
    by_tag = {o.tag: o.value for o in objects}
    photo = by_tag[p.TAG_FACE_PHOTO_JP2]
    assert photo.startswith(bytes.fromhex("0000000C6A5020200D0A870A"))  # JP2 signature box
    assert 2000 <= len(photo) <= 8000
    image = Image.open(io.BytesIO(photo))
    assert image.format == "JPEG2000" and image.mode == "L"
    for tag in (p.TAG_FACE_NAME_PNG, p.TAG_FACE_ADDRESS_PNG, p.TAG_FACE_SECURITY_CODE_PNG):
        png = Image.open(io.BytesIO(by_tag[tag]))
        assert png.format == "PNG" and png.mode == "1"
        assert 0 < png.histogram()[0] < png.width * png.height  # ink, and not only ink
    assert Image.open(io.BytesIO(by_tag[p.TAG_FACE_SECURITY_CODE_PNG])).size == \
        render.SECURITY_CODE_SIZE


def test_photos_differ_per_persona() -> None:
    photos = {render.photo_jp2(person.key) for person in testcards.PERSONAS}
    assert len(photos) == len(testcards.PERSONAS)


def test_basic_info() -> None:
    data = files()[(p.AID_CARD_FACE, p.EF_CF_BASIC_INFO)]
    outer = parse_one(data)
    assert outer.tag == p.TAG_BASIC_INFO and outer.raw == data
    items = parse_all(outer.value)
    assert [(i.tag, len(i.value)) for i in items] == [
        (p.TAG_BI_LAYOUT, 4), (p.TAG_BI_KEY_ID, 16), (p.TAG_BI_VERSION, 1),
        (p.TAG_BI_MUNICIPALITY, 5), (p.TAG_BI_OPAQUE, 272)]
    assert items[3].value == b"13101"


def test_text_ap_files() -> None:
    every = files()
    person = testcards.PERSONAS[0]
    my_number = every[(p.AID_TEXT, p.EF_TX_MY_NUMBER)]
    assert len(my_number) == 17 and my_number[:3] == bytes.fromhex("FF100C")
    assert my_number[3:15].isdigit() and my_number[3:9] == b"000000"
    assert my_number[15:] == b"\xff\xff"

    basic = every[(p.AID_TEXT, p.EF_TX_BASIC_FOUR)]
    assert basic[:3] == bytes.fromhex("FF2082")
    outer = parse_one(basic)
    assert set(basic[len(outer.raw):]) == {0xFF}
    objects = parse_all(outer.value, base_offset=5)
    assert [o.tag for o in objects] == [0xDF21, 0xDF22, 0xDF23, 0xDF24, 0xDF25]
    table = objects[0].value
    assert [int.from_bytes(table[i:i + 2], "big") for i in range(0, 8, 2)] == \
        [o.offset for o in objects[1:]]
    assert objects[1].value.decode() == person.name
    assert objects[2].value.decode() == person.address
    assert objects[3].value == b"19800217" and objects[4].value == b"1"
    hashed = b"".join(o.raw for o in objects[1:])

    integrity = every[(p.AID_TEXT, p.EF_TX_INTEGRITY)]
    h1, h2, signature = parse_all(parse_one(integrity).value)
    assert (h1.tag, h2.tag, signature.tag) == (0xDF31, 0xDF32, 0xDF33)
    assert h1.value == hashlib.sha256(my_number).digest()
    assert h2.value == hashlib.sha256(hashed).digest()
    body, cert_signature = certificate_parts(every[(p.AID_TEXT, p.EF_TX_CERTIFICATE)])
    assert body[:16] == keystore.SIMULATED_TEXT_ID
    keystore.public_key(keystore.CA_TEXT).verify(cert_signature, body, padding.PKCS1v15(),
                                                 hashes.SHA256())
    rsa_key(body[32:]).verify(signature.value, h1.raw + h2.raw, padding.PKCS1v15(),
                              hashes.SHA256())


def test_issuance_is_deterministic() -> None:
    before = files()
    for function in (builder.chip_spec, issuance.face_content, issuance.face_signature,
                     issuance.card_face_file, issuance.certificate,
                     issuance.text_integrity_file, issuance.text_basic_four_file):
        function.cache_clear()
    assert files() == before


def test_trust_file_holds_the_simulated_ca_in_the_shared_format() -> None:
    document = json.loads(TRUST_FILE.read_text(encoding="utf-8"))
    shared = json.loads(SHARED_TRUST.read_text(encoding="utf-8"))
    assert set(document) == set(shared)
    by_purpose = {key["purpose"]: key for key in document["keys"]}
    assert set(by_purpose) == {"card-face-ap", "text-ap"}
    for purpose, name, key_id in (("card-face-ap", keystore.CA_CARD_FACE,
                                   keystore.SIMULATED_CARD_FACE_ID),
                                  ("text-ap", keystore.CA_TEXT, keystore.SIMULATED_TEXT_ID)):
        entry = by_purpose[purpose]
        assert set(entry) == set(shared["keys"][0])
        assert entry["hierarchy"] == "simulated"
        assert bytes.fromhex(entry["key_id_hex"]) == key_id
        assert int(entry["modulus_hex"], 16) == keystore.public_key(name).public_numbers().n


def test_committed_keys_say_test_only() -> None:
    pems = sorted(keystore.KEY_DIR.glob("*.pem"))
    assert pems and all(path.name.endswith(".TEST-ONLY.pem") for path in pems)
    names = {path.name.removesuffix(".TEST-ONLY.pem") for path in pems}
    assert set(keystore.FIXED_KEYS) <= names
    assert {keystore.chip_key_name(person.key) for person in testcards.PERSONAS} <= names
    moduli = {keystore.public_key(name).public_numbers().n for name in names}
    assert len(moduli) == len(names)  # no key reused under two names

"""Signature checks: valid records pass, one changed byte anywhere signed fails."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from verifier.card.tlv import parse_one
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.crypto import (
    card_face_digest_info,
    digest_info_sha256,
    public_key,
    text_hash_matches,
    verify_card_face,
    verify_certificate,
    verify_pkcs1_sha256,
    verify_text_integrity,
)
from verifier.documents.my_number.records import (
    CardFaceFile,
    RsaPublicKey,
    basic_four_digest,
    locate_card_face,
    locate_cv_certificate,
    locate_text_basic_four,
    locate_text_integrity,
    parse_rsa_key,
    read_card_face,
)
from verifier.errors import InternalError, MalformedData

if TYPE_CHECKING:
    from conftest import Builders

SHA256_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")
FACE_PREFIX = bytes.fromhex("3071300d060960864801650304020105000460")


def _key(private: object) -> RsaPublicKey:
    numbers = private.public_key().public_numbers()  # type: ignore[attr-defined]
    return RsaPublicKey(modulus=numbers.n, exponent=numbers.e)


def _flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes((data[index] ^ 0x01,)) + data[index + 1:]


# --- DigestInfos -----------------------------------------------------------------------------
def test_digest_info_sha256_is_the_spec_bytes() -> None:
    info = digest_info_sha256(b"challenge")
    assert len(info) == 51
    assert info == SHA256_PREFIX + hashlib.sha256(b"challenge").digest()


def test_card_face_digest_info_is_the_spec_bytes(build: Builders) -> None:
    face = locate_card_face(build.face())
    info = card_face_digest_info(face)
    assert len(info) == 115
    assert info == FACE_PREFIX + b"".join(hashlib.sha256(g).digest() for g in face.signed_groups)


def test_challenge_signature_as_the_card_makes_it(build: Builders) -> None:
    # The card signs the DigestInfo it is sent; that is an ordinary PKCS#1 v1.5 SHA-256 signature.
    nonce = bytes(range(32))
    signature = build.sign_raw(build.chip, digest_info_sha256(nonce))
    assert signature == build.chip.sign(nonce, padding.PKCS1v15(), hashes.SHA256())
    assert verify_pkcs1_sha256(_key(build.chip), nonce, signature)
    assert not verify_pkcs1_sha256(_key(build.chip), nonce[:-1], signature)
    assert not verify_pkcs1_sha256(_key(build.signer), nonce, signature)


# --- card face -------------------------------------------------------------------------------
def test_card_face_signature_verifies(build: Builders) -> None:
    assert verify_card_face(_key(build.signer), locate_card_face(build.face()))


def test_card_face_wrong_key(build: Builders) -> None:
    face = locate_card_face(build.face())
    assert not verify_card_face(_key(build.ca), face)
    # the chip's key is not the signer
    assert not verify_card_face(read_card_face(face).card_key, face)


def test_every_signed_byte_of_the_card_face_matters(build: Builders) -> None:
    raw = build.face(filler=0)
    key = _key(build.signer)
    outer = parse_one(raw)
    start = outer.end - len(outer.value)
    objects = parse_one(raw, start)  # the offset table
    signed_from = objects.end
    # where DF28 starts, found by walking the objects: its two bytes can also occur inside the
    # random modulus or the photo, and a search would stop there
    signature_at = signed_from
    while parse_one(raw, signature_at).tag != p.TAG_FACE_SIGNATURE:
        signature_at = parse_one(raw, signature_at).end
    checked = 0
    for index in range(signed_from, signature_at):
        try:
            face = locate_card_face(_flip(raw, index))
        except MalformedData:
            continue  # a header byte: the structure broke, which is also a refusal
        checked += 1
        assert not verify_card_face(key, face), f"byte {index} is not covered"
    assert checked > len(build.parts.photo_jp2)  # most bytes are values, not headers


def test_every_signature_byte_matters(build: Builders) -> None:
    face = locate_card_face(build.face())
    key = _key(build.signer)
    for index in range(0, p.RSA_BYTES, 7):
        assert not verify_card_face(key, replace(face, signature=_flip(face.signature, index)))


def test_unsigned_objects_are_not_covered(build: Builders) -> None:
    # DF29 and DF2A follow the signature; checks.py must not treat them as verified.
    signed = build.face_signature(build.parts)
    face = locate_card_face(build.face(expiry=b"20990101", security_code_png=b"other",
                                      signature=signed))
    assert verify_card_face(_key(build.signer), face)


@pytest.mark.parametrize("signature", [b"", bytes(255), bytes(256), b"\xff" * 256, bytes(257)])
def test_card_face_odd_signatures_are_false(build: Builders, signature: bytes) -> None:
    face = replace(locate_card_face(build.face()), signature=signature)
    assert not verify_card_face(_key(build.signer), face)


def test_card_face_other_constructions_are_refused(build: Builders) -> None:
    face = locate_card_face(build.face())
    key = _key(build.signer)
    digest = b"".join(hashlib.sha256(g).digest() for g in face.signed_groups)
    # NULL parameters left out: a different DER encoding of "the same" DigestInfo.
    no_null = bytes.fromhex("306f300b0609608648016503040201") + bytes.fromhex("0460") + digest
    assert not verify_card_face(key, replace(face, signature=build.sign_raw(build.signer, no_null)))
    # An ordinary signature over the concatenated groups is not the card's scheme.
    ordinary = build.signer.sign(b"".join(face.signed_groups), padding.PKCS1v15(),
                                 hashes.SHA256())
    assert not verify_card_face(key, replace(face, signature=ordinary))
    # Digest present in the block but the block is not exactly the DigestInfo.
    padded = build.sign_raw(build.signer, b"\x00" + card_face_digest_info(face))
    assert not verify_card_face(key, replace(face, signature=padded))


# --- certificate -----------------------------------------------------------------------------
def test_certificate_verifies(build: Builders) -> None:
    cert = locate_cv_certificate(build.certificate())
    assert verify_certificate(_key(build.ca), cert)
    assert not verify_certificate(_key(build.signer), cert)


def test_every_certificate_body_byte_matters(build: Builders) -> None:
    raw = build.certificate(filler=0)
    body_at = raw.index(build.cert_body())
    key = _key(build.ca)
    checked = 0
    for index in range(body_at, body_at + p.CV_BODY_LEN):
        try:
            cert = locate_cv_certificate(_flip(raw, index))
        except MalformedData:
            continue
        checked += 1
        assert not verify_certificate(key, cert), f"body byte {index - body_at}"
    assert checked > 250


def test_certificate_signature_tampered(build: Builders) -> None:
    cert = locate_cv_certificate(build.certificate())
    for index in (0, 100, 255):
        assert not verify_certificate(_key(build.ca),
                                      replace(cert, signature=_flip(cert.signature, index)))


# --- text AP ---------------------------------------------------------------------------------
def test_text_records_verify(build: Builders) -> None:
    four = locate_text_basic_four(build.text_four())
    integrity = locate_text_integrity(build.integrity())
    assert text_hash_matches(four, basic_four_digest(integrity))
    assert verify_text_integrity(_key(build.signer), integrity)
    assert not verify_text_integrity(_key(build.ca), integrity)


def test_text_hash_covers_every_field(build: Builders) -> None:
    integrity = locate_text_integrity(build.integrity())
    for changed in ({"name": "山田\u3000太朗".encode()}, {"address": "東京都".encode()},
                    {"birth": b"19800218"}, {"sex": b"2"}):
        assert not text_hash_matches(locate_text_basic_four(build.text_four(**changed)),
                                     basic_four_digest(integrity))


def test_text_signature_covers_both_hashes(build: Builders) -> None:
    good = build.integrity()
    integrity = locate_text_integrity(good)
    key = _key(build.signer)
    for index in range(len(integrity.signed_part)):
        value = replace(integrity, signed_part=_flip(integrity.signed_part, index))
        assert not verify_text_integrity(key, value)


# --- keys ------------------------------------------------------------------------------------
def test_key_rebuilt_from_card_bytes_verifies(build: Builders) -> None:
    key = parse_rsa_key(build.key_value(build.signer))
    assert public_key(key).public_numbers() == build.signer.public_key().public_numbers()


def test_a_key_that_escaped_its_own_checks_is_our_bug() -> None:
    # RsaPublicKey refuses such a key when built; one that got past is an internal error,
    # never evidence about the card.
    broken = object.__new__(RsaPublicKey)  # bypasses the checks a parsed key gets
    object.__setattr__(broken, "modulus", (1 << 2047) + 1)
    object.__setattr__(broken, "exponent", 1)
    with pytest.raises(InternalError):
        verify_pkcs1_sha256(broken, b"m", bytes(256))
    face = object.__new__(CardFaceFile)
    object.__setattr__(face, "signature", bytes(256))
    with pytest.raises(InternalError):
        verify_card_face(broken, face)

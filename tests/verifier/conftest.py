"""Throwaway keys and record builders for the verifier's pure tests (no APDU, no testcards).

Records are assembled with verifier.tlv.encode from parts a test can change one at a time, so a
test states exactly which byte is wrong.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pytest
from asn1crypto import algos, core
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from verifier.card.tlv import encode
from verifier.documents.my_number import constants as p

SIGNER_ID = b"9100023\x08\x05001\x00\x00\x00\x00"
CA_ID = b"9100020\x08\x05001\x00\x00\x00\x00"


def rsa_key_value(key: rsa.RSAPublicKey) -> bytes:
    numbers = key.public_numbers()
    return (encode(p.TAG_RSA_EXPONENT, numbers.e.to_bytes(3, "big"))
            + encode(p.TAG_RSA_MODULUS, numbers.n.to_bytes(p.RSA_BYTES, "big")))


def sign_block(key: rsa.RSAPrivateKey, info: bytes) -> bytes:
    """PKCS#1 v1.5 over a DigestInfo given whole: the card face's 96-byte digest fits no hash
    API of cryptography, so the test applies the private exponent itself; crypto.py under test
    checks the result with cryptography's own padding check."""
    size = key.key_size // 8
    block = b"\x00\x01" + b"\xff" * (size - len(info) - 3) + b"\x00" + info
    numbers = key.private_numbers()
    return pow(int.from_bytes(block, "big"), numbers.d, numbers.public_numbers.n).to_bytes(
        size, "big")


def digest_info(digest: bytes) -> bytes:
    return bytes(algos.DigestInfo({"digest_algorithm": {"algorithm": "sha256",
                                                        "parameters": core.Null()},
                                   "digest": digest}).dump())


def small_jp2(size: tuple[int, int] = (48, 64)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", size, 90).save(out, format="JPEG2000")
    return out.getvalue()


def with_offset_table(outer_tag: int, table_tag: int, objects: list[bytes], *,
                      lie: Callable[[list[int]], list[int]] | None = None) -> bytes:
    """outer { table, objects... } with each object's offset from the start of the file."""
    table_len = len(encode(table_tag, bytes(2 * len(objects))))
    content_len = table_len + sum(map(len, objects))
    header_len = len(encode(outer_tag, bytes(content_len))) - content_len
    offsets, position = [], header_len + table_len
    for item in objects:
        offsets.append(position)
        position += len(item)
    if lie is not None:
        offsets = lie(offsets)
    table = encode(table_tag, b"".join(o.to_bytes(2, "big") for o in offsets))
    return encode(outer_tag, table + b"".join(objects))


@dataclass(frozen=True)
class FaceParts:
    birth: bytes = b"19800217"
    sex: bytes = b"1"
    card_key: bytes = b""  # filled in by the builder with the chip key
    name_png: bytes = b"\x89PNG name"
    address_png: bytes = b"\x89PNG address"
    photo_jp2: bytes = b""
    signature: bytes | None = None  # None: sign correctly
    expiry: bytes | None = b"20350217"
    security_code_png: bytes | None = b"\x89PNG code"
    filler: int = 40


@dataclass
class Builders:
    ca: rsa.RSAPrivateKey
    signer: rsa.RSAPrivateKey
    chip: rsa.RSAPrivateKey
    photo: bytes
    parts: FaceParts = field(init=False)
    ca_id: bytes = CA_ID
    signer_id: bytes = SIGNER_ID

    sign_raw = staticmethod(sign_block)

    @staticmethod
    def key_value(key: rsa.RSAPrivateKey) -> bytes:
        """DF24-style `90 03 e 91 82 0100 n` for the public half of `key`."""
        return rsa_key_value(key.public_key())

    def __post_init__(self) -> None:
        self.parts = FaceParts(card_key=rsa_key_value(self.chip.public_key()),
                               photo_jp2=self.photo)

    # --- card face ---------------------------------------------------------------------------
    def face_groups(self, parts: FaceParts) -> tuple[bytes, bytes, bytes]:
        return (encode(p.TAG_FACE_BIRTH, parts.birth) + encode(p.TAG_FACE_SEX, parts.sex)
                + encode(p.TAG_FACE_CARD_KEY, parts.card_key),
                encode(p.TAG_FACE_NAME_PNG, parts.name_png)
                + encode(p.TAG_FACE_ADDRESS_PNG, parts.address_png),
                encode(p.TAG_FACE_PHOTO_JP2, parts.photo_jp2))

    def face_signature(self, parts: FaceParts, key: rsa.RSAPrivateKey | None = None) -> bytes:
        digest = b"".join(hashlib.sha256(g).digest() for g in self.face_groups(parts))
        return sign_block(key or self.signer, digest_info(digest))

    def face_objects(self, **changes: object) -> list[bytes]:
        parts = replace(self.parts, **changes)  # type: ignore[arg-type]
        signature = parts.signature if parts.signature is not None else self.face_signature(parts)
        objects = [encode(p.TAG_FACE_BIRTH, parts.birth), encode(p.TAG_FACE_SEX, parts.sex),
                   encode(p.TAG_FACE_CARD_KEY, parts.card_key),
                   encode(p.TAG_FACE_NAME_PNG, parts.name_png),
                   encode(p.TAG_FACE_ADDRESS_PNG, parts.address_png),
                   encode(p.TAG_FACE_PHOTO_JP2, parts.photo_jp2),
                   encode(p.TAG_FACE_SIGNATURE, signature)]
        if parts.expiry is not None:
            objects.append(encode(p.TAG_FACE_EXPIRY, parts.expiry))
        if parts.security_code_png is not None:
            objects.append(encode(p.TAG_FACE_SECURITY_CODE_PNG, parts.security_code_png))
        return objects

    def face(self, *, lie: Callable[[list[int]], list[int]] | None = None,
             **changes: object) -> bytes:
        filler = replace(self.parts, **changes).filler  # type: ignore[arg-type]
        return self.face_from(self.face_objects(**changes), lie=lie, filler=filler)

    def face_from(self, objects: list[bytes], *, lie: Callable[[list[int]], list[int]] | None
                  = None, filler: int = 40) -> bytes:
        """A card face file around `objects` as given, with a (by default honest) offset table."""
        return (with_offset_table(p.TAG_FACE, p.TAG_FACE_OFFSETS, objects, lie=lie)
                + b"\xff" * filler)

    # --- certificate -------------------------------------------------------------------------
    def cert_body(self, *, issuer_id: bytes = CA_ID, subject_id: bytes = SIGNER_ID,
                  subject: rsa.RSAPrivateKey | None = None) -> bytes:
        return issuer_id + subject_id + rsa_key_value((subject or self.signer).public_key())

    def certificate(self, *, body: bytes | None = None, signature: bytes | None = None,
                    filler: int = 16) -> bytes:
        body = self.cert_body() if body is None else body
        if signature is None:
            signature = self.ca.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return (encode(p.TAG_CV_CERT, encode(p.TAG_CV_BODY, body)
                       + encode(p.TAG_CV_SIGNATURE, signature)) + b"\xff" * filler)

    # --- AP basic info -----------------------------------------------------------------------
    def basic_info(self, *, municipality: bytes = b"13101", opaque: bool = True) -> bytes:
        objects = (encode(p.TAG_BI_LAYOUT, b"\x00\x00\x00\x01")
                   + encode(p.TAG_BI_KEY_ID, SIGNER_ID)
                   + encode(p.TAG_BI_VERSION, b"\x01")
                   + encode(p.TAG_BI_MUNICIPALITY, municipality))
        if opaque:
            objects += encode(p.TAG_BI_OPAQUE, bytes(16) + bytes(range(256)))
        return encode(p.TAG_BASIC_INFO, objects) + b"\xff" * 8

    # --- text AP -----------------------------------------------------------------------------
    def text_objects(self, *, name: bytes = "山田\u3000太郎".encode(),
                     address: bytes = "東京都千代田区霞が関１－２－３".encode(),
                     birth: bytes = b"19800217", sex: bytes = b"1") -> list[bytes]:
        return [encode(p.TAG_TX_NAME, name), encode(p.TAG_TX_ADDRESS, address),
                encode(p.TAG_TX_BIRTH, birth), encode(p.TAG_TX_SEX, sex)]

    def text_four(self, *, lie: Callable[[list[int]], list[int]] | None = None,
                  filler: int = 20, **fields: bytes) -> bytes:
        return (with_offset_table(p.TAG_TX_BASIC_FOUR, p.TAG_TX_OFFSETS,
                                  self.text_objects(**fields), lie=lie) + b"\xff" * filler)

    def integrity(self, *, hashed_part: bytes | None = None, signature: bytes | None = None,
                  my_number_hash: bytes = hashlib.sha256(b"never read").digest()) -> bytes:
        if hashed_part is None:
            hashed_part = b"".join(self.text_objects())
        signed = (encode(p.TAG_TX_HASH_MY_NUMBER, my_number_hash)
                  + encode(p.TAG_TX_HASH_BASIC_FOUR, hashlib.sha256(hashed_part).digest()))
        if signature is None:
            signature = self.signer.sign(signed, padding.PKCS1v15(), hashes.SHA256())
        return encode(p.TAG_TX_INTEGRITY, signed + encode(p.TAG_TX_SIGNATURE, signature))


@pytest.fixture(scope="session")
def build() -> Builders:
    def key() -> rsa.RSAPrivateKey:
        return rsa.generate_private_key(public_exponent=65537, key_size=p.RSA_BITS)

    return Builders(ca=key(), signer=key(), chip=key(), photo=small_jp2())

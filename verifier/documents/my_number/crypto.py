"""Signature checks over parsed records: RSA-2048 PKCS#1 v1.5 with SHA-256 (card-spec.md 2, 5).

Everything cryptographic is `cryptography`'s and every DER structure asn1crypto's. The records
are the located ones (records.py): exactly the bytes each signature covers. A signature that
does not verify, whatever its shape, is `False`; a key cryptography refuses is a bug of ours
(`InternalError`), since `RsaPublicKey` checks itself when built.
"""

from __future__ import annotations

import hashlib
import hmac

from asn1crypto import algos, core
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from verifier.documents.my_number import constants as p
from verifier.documents.my_number.records import (
    CardFaceFile,
    CvCertificate,
    RsaPublicKey,
    TextBasicFourFile,
    TextIntegrity,
)
from verifier.errors import InternalError


def _digest_info(digest: bytes) -> bytes:
    # NULL parameters spelled out: the card's block is `30 0D 06 09 ... 05 00`, and a DER
    # library that left them out would make every comparison fail.
    value = algos.DigestInfo({
        "digest_algorithm": {"algorithm": "sha256", "parameters": core.Null()},
        "digest": digest,
    })
    der: bytes = value.dump()
    return der


def digest_info_sha256(message: bytes) -> bytes:
    """DER DigestInfo of SHA-256(message), 51 bytes: what the card signs for a challenge."""
    return _digest_info(hashlib.sha256(message).digest())


def card_face_digest_info(face: CardFaceFile) -> bytes:
    """The 115-byte DigestInfo whose 96-byte digest is the three group hashes in order."""
    return _digest_info(b"".join(hashlib.sha256(group).digest() for group in face.signed_groups))


def public_key(key: RsaPublicKey) -> rsa.RSAPublicKey:
    try:
        return rsa.RSAPublicNumbers(key.exponent, key.modulus).public_key()
    except (ValueError, UnsupportedAlgorithm) as error:
        raise InternalError(f"RsaPublicKey let through a key cryptography refuses: "
                            f"{type(error).__name__}") from None


def verify_pkcs1_sha256(key: RsaPublicKey, message: bytes, signature: bytes) -> bool:
    """Whether `signature` is key's PKCS#1 v1.5 SHA-256 signature over `message`."""
    rsa_key = public_key(key)
    if len(signature) != p.RSA_BYTES:
        return False
    try:
        rsa_key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True


def verify_card_face(key: RsaPublicKey, face: CardFaceFile) -> bool:
    """Whether DF28 is key's signature over the card face's three hashed groups.

    The signed block is a DigestInfo with a 96-byte digest, which no hash-based verify API
    accepts; the block is recovered (padding checked by cryptography) and compared whole,
    never searched for the digest.
    """
    rsa_key = public_key(key)
    if len(face.signature) != p.RSA_BYTES:
        return False
    try:
        recovered = rsa_key.recover_data_from_signature(face.signature, padding.PKCS1v15(), None)
    except (InvalidSignature, ValueError):
        return False
    return hmac.compare_digest(recovered, card_face_digest_info(face))


def verify_certificate(issuer: RsaPublicKey, cert: CvCertificate) -> bool:
    """Whether the CA key `issuer` signed the certificate's 297-byte body."""
    return verify_pkcs1_sha256(issuer, cert.body, cert.signature)


def text_hash_matches(four: TextBasicFourFile, digest: bytes) -> bool:
    """Whether `digest` (DF32 of text EF 0003, once DF33 verified) is the SHA-256 of text
    EF 0002 from DF22 to its end."""
    return hmac.compare_digest(hashlib.sha256(four.hashed_part).digest(), digest)


def verify_text_integrity(key: RsaPublicKey, integrity: TextIntegrity) -> bool:
    """Whether DF33 is key's signature over the DF31 and DF32 objects."""
    return verify_pkcs1_sha256(key, integrity.signed_part, integrity.signature)

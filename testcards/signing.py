"""PKCS#1 v1.5 signatures made by the simulated CA, the AP signing keys and the chips."""

from __future__ import annotations

from asn1crypto import algos, core
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, utils

from testcards.errors import SimulationError
from testcards.keystore import private_key

SHA256_LEN = 32


def sign_sha256(key_name: str, message: bytes) -> bytes:
    """PKCS#1 v1.5 over SHA-256(message)."""
    return private_key(key_name).sign(message, padding.PKCS1v15(), hashes.SHA256())


def digest_info(digest: bytes) -> bytes:
    """DER DigestInfo with the SHA-256 algorithm id (explicit NULL parameters) around `digest`."""
    value = algos.DigestInfo({"digest_algorithm": {"algorithm": "sha256",
                                                   "parameters": core.Null()},
                              "digest": digest})
    return bytes(value.dump())


def sign_digest_info(key_name: str, info: bytes) -> bytes:
    """PKCS#1 v1.5 signature over a DER DigestInfo exactly as given, without hashing again.

    A standard SHA-256 DigestInfo goes through `cryptography` as a pre-hashed digest. The card
    face's DigestInfo holds 96 bytes (three hashes), which no hash algorithm of `cryptography`
    accepts; for it the EMSA-PKCS1-v1_5 block is built here and the private key applied with
    its own numbers, then the result is checked with `recover_data_from_signature`.
    """
    parsed = algos.DigestInfo.load(info)
    if parsed["digest_algorithm"]["algorithm"].native != "sha256":
        raise SimulationError("only SHA-256 DigestInfos are signed")
    digest = parsed["digest"].native
    key = private_key(key_name)
    if len(digest) == SHA256_LEN and bytes(parsed.dump()) == info:
        return key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
    size = key.key_size // 8
    block = b"\x00\x01" + b"\xff" * (size - len(info) - 3) + b"\x00" + info
    numbers = key.private_numbers()
    # By the Chinese remainder theorem, as RSA implementations do: a quarter of the work of
    # one pow over n, which every simulated card's issuance pays.
    message = int.from_bytes(block, "big")
    m_p = pow(message, numbers.dmp1, numbers.p)
    m_q = pow(message, numbers.dmq1, numbers.q)
    value = m_q + numbers.q * ((numbers.iqmp * (m_p - m_q)) % numbers.p)
    signature = value.to_bytes(size, "big")
    recovered = key.public_key().recover_data_from_signature(signature, padding.PKCS1v15(), None)
    if recovered != info:
        raise SimulationError("raw PKCS#1 v1.5 signature did not verify")
    return signature

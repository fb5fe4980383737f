"""The chip's side of the residence card's secure messaging, written apart from the verifier's
(verifier/documents/residence/sm_crypto.py) so one reading of the spec does not sit on both
sides of the round-trip tests. Built from `cryptography`'s primitives; the retail MAC is
composed differently here (the last block through 3DES-EDE K1 K2 K1 in one step).
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def card_key(number: bytes) -> bytes:
    return hashlib.sha1(number).digest()[:16]


def _tdes(key16: bytes) -> TripleDES:
    return TripleDES(key16 + key16[:8])


def _apply(cipher: Cipher[modes.CBC] | Cipher[modes.ECB], data: bytes, *,
           encrypt: bool) -> bytes:
    worker = cipher.encryptor() if encrypt else cipher.decryptor()
    return worker.update(data) + worker.finalize()


def cbc(key: bytes, data: bytes, *, aes: bool, encrypt: bool) -> bytes:
    algorithm = algorithms.AES(key) if aes else _tdes(key)
    iv = bytes(16 if aes else 8)
    return _apply(Cipher(algorithm, modes.CBC(iv)), data, encrypt=encrypt)


def iso_pad(data: bytes, block: int) -> bytes:
    return (data + b"\x80").ljust(-(-(len(data) + 1) // block) * block, b"\x00")


def mac8(key: bytes, data: bytes, *, aes: bool) -> bytes:
    if aes:
        tag = cmac.CMAC(algorithms.AES(key))
        tag.update(data)
        return tag.finalize()[:8]
    padded = iso_pad(data, 8)
    des_k1 = TripleDES(key[:8] * 3)
    chained = bytes(8)
    if len(padded) > 8:  # every block but the last under single DES K1
        chained = _apply(Cipher(des_k1, modes.CBC(bytes(8))), padded[:-8], encrypt=True)[-8:]
    last = bytes(a ^ b for a, b in zip(padded[-8:], chained, strict=True))
    return _apply(Cipher(_tdes(key), modes.ECB()), last, encrypt=True)


def session_key(k_ifd: bytes, k_icc: bytes, *, aes: bool) -> bytes:
    seed = bytes(a ^ b for a, b in zip(k_ifd, k_icc, strict=True))
    key = hashlib.sha1(seed + b"\x00\x00\x00\x01").digest()[:16]
    if aes:
        return key
    # odd parity in each byte's lowest bit (DES ignores it; the spec's key carries it)
    return bytes((b & 0xFE) | (1 - bin(b & 0xFE).count("1") % 2) for b in key)

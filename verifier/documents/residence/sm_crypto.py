"""The two cipher suites of the residence chip's secure messaging (spec 3), from `cryptography`'s
primitives only.

- Second generation: AES-128-CBC (IV 0) and AES-CMAC truncated to 8 bytes.
- First generation: 2-key 3DES-CBC (IV 0) and the ISO/IEC 9797-1 MAC algorithm 3 ("retail
  MAC", padding method 2), the session key with its DES parity bits set.

Nothing here is a cipher written by hand: each block operation is `cryptography`'s. Single DES
is TripleDES with K1 = K2 = K3 (the same transform), and 2-key 3DES is K1 K2 K1, written out as
24-byte keys because cryptography deprecates the shorter forms.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import BlockCipherAlgorithm, Cipher, algorithms, modes

from verifier.documents.residence import constants as c
from verifier.documents.residence.card_number import CardNumber
from verifier.errors import InternalError

DES_BLOCK = 8
AES_BLOCK = 16


class PaddingError(ValueError):
    """The plain text does not end in 80 00..00 (ISO/IEC 7816-4 padding)."""


def pad(data: bytes, block: int) -> bytes:
    """ISO/IEC 9797-1 padding method 2: 80, then 00 up to the block size (always added)."""
    padded = data + b"\x80"
    return padded + bytes(-len(padded) % block)


def unpad(data: bytes) -> bytes:
    """`data` without its 80 00..00 tail; PaddingError when there is none."""
    end = len(data.rstrip(b"\x00"))
    if end == 0 or data[end - 1] != 0x80:
        raise PaddingError("no 80 00.. padding at the end")
    return data[:end - 1]


def _cbc(algorithm: BlockCipherAlgorithm, data: bytes, *, encrypt: bool) -> bytes:
    block = algorithm.block_size // 8
    if len(data) % block:
        raise InternalError(f"{len(data)} bytes are not whole {block}-byte blocks")
    cipher = Cipher(algorithm, modes.CBC(bytes(block)))
    worker = cipher.encryptor() if encrypt else cipher.decryptor()
    return worker.update(data) + worker.finalize()


def _ecb(algorithm: BlockCipherAlgorithm, block: bytes, *, encrypt: bool) -> bytes:
    cipher = Cipher(algorithm, modes.ECB())
    worker = cipher.encryptor() if encrypt else cipher.decryptor()
    return worker.update(block) + worker.finalize()


def _key16(key: bytes) -> bytes:
    if len(key) != c.KEY_BYTES:
        raise InternalError(f"a {len(key)}-byte key where the protocol has 16")
    return key


def _single_des(key8: bytes) -> TripleDES:
    return TripleDES(key8 * 3)


def _two_key_3des(key: bytes) -> TripleDES:
    key = _key16(key)
    return TripleDES(key + key[:8])


# --- second generation --------------------------------------------------------------------------
def aes_encrypt(key: bytes, data: bytes) -> bytes:
    return _cbc(algorithms.AES(_key16(key)), data, encrypt=True)


def aes_decrypt(key: bytes, data: bytes) -> bytes:
    return _cbc(algorithms.AES(_key16(key)), data, encrypt=False)


def aes_cmac8(key: bytes, data: bytes) -> bytes:
    """AES-CMAC (NIST SP 800-38B) truncated to its first 8 bytes."""
    mac = cmac.CMAC(algorithms.AES(_key16(key)))
    mac.update(data)
    return mac.finalize()[:c.MAC_BYTES]


# --- first generation ---------------------------------------------------------------------------
def tdes_encrypt(key: bytes, data: bytes) -> bytes:
    return _cbc(_two_key_3des(key), data, encrypt=True)


def tdes_decrypt(key: bytes, data: bytes) -> bytes:
    return _cbc(_two_key_3des(key), data, encrypt=False)


def retail_mac(key: bytes, data: bytes) -> bytes:
    """ISO/IEC 9797-1 MAC algorithm 3 with padding method 2 and a 2-key key K1 K2: single-DES
    CBC-MAC under K1 over the padded data, then the last block decrypted under K2 and
    encrypted under K1 again."""
    key = _key16(key)
    k1, k2 = key[:8], key[8:]
    chained = _cbc(_single_des(k1), pad(data, DES_BLOCK), encrypt=True)[-DES_BLOCK:]
    return _ecb(_single_des(k1), _ecb(_single_des(k2), chained, encrypt=False), encrypt=True)


def with_des_parity(key: bytes) -> bytes:
    """Each byte's lowest bit set so the byte has odd parity (the DES key convention). DES
    ignores these bits, so the cipher is the same either way; the spec's session key has them."""
    return bytes(byte & 0xFE | (bin(byte >> 1).count("1") + 1) % 2 for byte in key)


# --- the suites ---------------------------------------------------------------------------------
class Suite(enum.Enum):
    AES = "aes"  # second generation
    TDES = "3des"  # first generation


@dataclass(frozen=True)
class _Operations:
    block: int
    encrypt: Callable[[bytes, bytes], bytes]
    decrypt: Callable[[bytes, bytes], bytes]
    mac: Callable[[bytes, bytes], bytes]
    session_parity: bool


_OPERATIONS = {
    Suite.AES: _Operations(AES_BLOCK, aes_encrypt, aes_decrypt, aes_cmac8, session_parity=False),
    Suite.TDES: _Operations(DES_BLOCK, tdes_encrypt, tdes_decrypt, retail_mac,
                            session_parity=True),
}


def block_size(suite: Suite) -> int:
    return _OPERATIONS[suite].block


def encrypt(suite: Suite, key: bytes, data: bytes) -> bytes:
    """CBC with a zero IV, no padding added (the caller pads where the protocol does)."""
    return _OPERATIONS[suite].encrypt(key, data)


def decrypt(suite: Suite, key: bytes, data: bytes) -> bytes:
    return _OPERATIONS[suite].decrypt(key, data)


def mac(suite: Suite, key: bytes, data: bytes) -> bytes:
    """The 8-byte MAC of the mutual authentication: CMAC (AES) or retail MAC (3DES)."""
    return _OPERATIONS[suite].mac(key, data)


def base_key(number: CardNumber) -> bytes:
    """Kenc = Kmac = SHA-1(the 12 ASCII characters)[0:16] (spec 3, step 2)."""
    return hashlib.sha1(number.to_bytes()).digest()[:c.KEY_BYTES]


def session_key(suite: Suite, k_ifd: bytes, k_icc: bytes) -> bytes:
    """KSenc = SHA-1((K.IFD xor K.ICC) || 00 00 00 01)[0:16]; for 3DES with DES parity."""
    seed = key_seed(k_ifd, k_icc)
    key = hashlib.sha1(seed + c.SESSION_KEY_COUNTER).digest()[:c.KEY_BYTES]
    return with_des_parity(key) if _OPERATIONS[suite].session_parity else key


def key_seed(k_ifd: bytes, k_icc: bytes) -> bytes:
    """K.IFD xor K.ICC."""
    return bytes(a ^ b for a, b in zip(_key16(k_ifd), _key16(k_icc), strict=True))

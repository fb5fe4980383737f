"""The committed test keys of the simulated cards, and the key ids they go by.

Every private key here is TEST-ONLY: committed so cards build without key generation, and
trusted by the verifier only when the operator names the `simulated` hierarchy.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from testcards.errors import KeyFileError
from verifier.documents.my_number.trust import SIMULATED

KEY_DIR = Path(__file__).resolve().parent / "keys"
KEY_SUFFIX = ".TEST-ONLY.pem"
HIERARCHY = SIMULATED

# The simulated CA (its public halves are verifier/data/simulated-ca-keys.json).
CA_CARD_FACE = "simulated-ca-card-face"
CA_TEXT = "simulated-ca-text"
# The per-AP keys the CA certifies in EF 0004; they sign DF28 and the text AP's DF33.
SIGNER_CARD_FACE = "simulated-signer-card-face"
SIGNER_TEXT = "simulated-signer-text"
# A counterfeiter's own CA, and the chip key of a chip the genuine files were copied onto.
FORGER_CA = "forger-ca"
CLONED_CHIP = "chip-cloned"

#: The chip key of a persona made up by a test, with no key of its own committed.
SPARE_CHIP = "chip-spare"

FIXED_KEYS = (CA_CARD_FACE, CA_TEXT, SIGNER_CARD_FACE, SIGNER_TEXT, FORGER_CA, CLONED_CHIP,
              SPARE_CHIP)


def chip_key_name(persona_key: str) -> str:
    """The committed key of the chip issued to a persona (its DF24 key)."""
    return f"chip-{persona_key}"


def chip_key_for(persona_key: str) -> str:
    """The persona's own chip key when one is committed, else the spare chip key."""
    name = chip_key_name(persona_key)
    return name if key_path(name).is_file() else SPARE_CHIP


def key_path(name: str) -> Path:
    return KEY_DIR / f"{name}{KEY_SUFFIX}"


def make_key_id(number: str, *, serial: str = "001", last: int = 0) -> bytes:
    """16-byte key id: 7 ASCII digits, 08 05, 3 ASCII digits, 00 00 00, one byte."""
    if len(number) != 7 or not number.isdigit() or len(serial) != 3 or not serial.isdigit():
        raise ValueError(f"a key id is 7 + 3 digits, got {number!r} / {serial!r}")
    return number.encode("ascii") + b"\x08\x05" + serial.encode("ascii") + bytes(3) + bytes((last,))


# Issuer key ids named by certificates (EF 0004 bodies).
SIMULATED_CARD_FACE_ID = make_key_id("9000023")
SIMULATED_TEXT_ID = make_key_id("9000033")
UNKNOWN_CARD_FACE_ID = make_key_id("7000023")
UNKNOWN_TEXT_ID = make_key_id("7000033")
# Subject key ids: the certified per-AP signing keys.
SIGNER_CARD_FACE_ID = make_key_id("9100023")
SIGNER_TEXT_ID = make_key_id("9100033")


@cache
def private_key(name: str) -> rsa.RSAPrivateKey:
    path = key_path(name)
    try:
        pem = path.read_bytes()
    except OSError as e:
        raise KeyFileError(f"test key {path.name} is missing; run "
                           "`python -m testcards.keys.generate`") from e
    # Our own committed keys: skipping OpenSSL's slow consistency check keeps card builds fast.
    key = serialization.load_pem_private_key(pem, password=None,
                                             unsafe_skip_rsa_key_validation=True)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise KeyFileError(f"test key {path.name} is not an RSA key")
    return key


def public_key(name: str) -> rsa.RSAPublicKey:
    return private_key(name).public_key()


def modulus_bytes(name: str) -> bytes:
    modulus = public_key(name).public_numbers().n
    return modulus.to_bytes((modulus.bit_length() + 7) // 8, "big")

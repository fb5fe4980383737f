"""The committed TEST-ONLY keys of the simulated residence cards (testcards/keys/residence/).

A subdirectory of testcards/keys, because the My Number keys there are all RSA and read as such;
these are RSA-2048 (first generation) and ECDSA P-384 (second). Trusted by the verifier only as
the `simulated` hierarchy, when it is named.
"""

from __future__ import annotations

import enum
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from testcards import keystore
from testcards.errors import KeyFileError

KEY_DIR = keystore.KEY_DIR / "residence"


class KeyKind(enum.Enum):
    RSA_2048 = "rsa-2048"
    EC_P384 = "ec-p384"


# The simulated Agency CA of each generation, the document signer it certifies, and a
# counterfeiter's CA of each.
CA_1 = "residence-ca-1"
SIGNER_1 = "residence-signer-1"
CA_2 = "residence-ca-2"
SIGNER_2 = "residence-signer-2"
FORGER_1 = "residence-forger-1"
FORGER_2 = "residence-forger-2"

KEYS: dict[str, KeyKind] = {
    CA_1: KeyKind.RSA_2048, SIGNER_1: KeyKind.RSA_2048, FORGER_1: KeyKind.RSA_2048,
    CA_2: KeyKind.EC_P384, SIGNER_2: KeyKind.EC_P384, FORGER_2: KeyKind.EC_P384,
}

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def key_path(name: str) -> Path:
    return KEY_DIR / f"{name}{keystore.KEY_SUFFIX}"


@cache
def private_key(name: str) -> PrivateKey:
    path = key_path(name)
    try:
        pem = path.read_bytes()
    except OSError as e:
        raise KeyFileError(f"test key {path.name} is missing; run "
                           "`python -m testcards.keys.generate`") from e
    key = serialization.load_pem_private_key(pem, password=None,
                                             unsafe_skip_rsa_key_validation=True)
    expected = KEYS.get(name)
    if expected is KeyKind.RSA_2048 and isinstance(key, rsa.RSAPrivateKey):
        return key
    if expected is KeyKind.EC_P384 and isinstance(key, ec.EllipticCurvePrivateKey):
        return key
    raise KeyFileError(f"test key {path.name} is not the {expected} key it should be")


def write_key(name: str, *, force: bool) -> bool:
    """Create one committed key (for `python -m testcards.keys.generate`); False if it exists."""
    path = key_path(name)
    if path.exists() and not force:
        return False
    KEY_DIR.mkdir(parents=True, exist_ok=True)
    key: PrivateKey
    if KEYS[name] is KeyKind.RSA_2048:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        key = ec.generate_private_key(ec.SECP384R1())
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return True


def write_missing(*, force: bool = False) -> list[str]:
    """Every residence key not yet committed (all with `force`); the names written."""
    written = [name for name in KEYS if write_key(name, force=force)]
    private_key.cache_clear()
    return written


def committed_public_keys() -> dict[str, bytes]:
    """The SubjectPublicKeyInfo (DER) of every residence key committed here, by name: what a
    trust file must never hold outside training (its private half is public)."""
    return {name: private_key(name).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        for name in KEYS}

"""Public keys whose private halves are committed to this repository (the simulated CA, the
forger's CA and every other TEST-ONLY key of testcards): anyone can sign with them, so no trust
file may make them prove anything, outside training on a virtual reader (design.md rule 5).

They are known here by the SHA-256 of their DER SubjectPublicKeyInfo, listed in
`verifier/data/committed-private-keys.txt` (written by `python -m testcards.keys.generate`; a
test holds the list to the keys actually committed).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

LIST_NAME = "committed-private-keys.txt"


def fingerprint(public_key: PublicKeyTypes) -> str:
    """SHA-256 of the key's DER SubjectPublicKeyInfo, in lower-case hex."""
    der = public_key.public_bytes(serialization.Encoding.DER,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


@cache
def committed_fingerprints() -> frozenset[str]:
    text = resources.files("verifier").joinpath("data", LIST_NAME).read_text(encoding="utf-8")
    return frozenset(line.split("#", 1)[0].strip().lower() for line in text.splitlines()
                     if line.split("#", 1)[0].strip())


def is_committed(public_key: PublicKeyTypes) -> bool:
    return fingerprint(public_key) in committed_fingerprints()

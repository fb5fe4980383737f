"""(Re)create the committed TEST-ONLY keys and the simulated CA's public trust file.

    python -m testcards.keys.generate            # create missing keys, rewrite the JSON
    python -m testcards.keys.generate --force    # new keys for everything (cards change)

Every key written here is for tests and demos only.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from testcards import keystore
from testcards.personas import PERSONAS
from testcards.residence import keys as residence_keys

TRUST_FILE = Path(__file__).resolve().parents[2] / "verifier" / "data" / "simulated-ca-keys.json"
COMMITTED_FILE = TRUST_FILE.with_name("committed-private-keys.txt")
#: The simulated residence-card CAs' certificates (public), the verifier's built-in
#: `simulated` hierarchy for residence cards.
RESIDENCE_CA_FILE = TRUST_FILE.with_name("simulated-residence-ca.pem")


def all_key_names() -> list[str]:
    return [*keystore.FIXED_KEYS, *(keystore.chip_key_name(p.key) for p in PERSONAS)]


def write_key(name: str, *, force: bool) -> bool:
    path = keystore.key_path(name)
    if path.exists() and not force:
        return False
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return True


def trust_document() -> dict[str, object]:
    def entry(name: str, key_id: bytes, purpose: str, description: str) -> dict[str, object]:
        return {"name": key_id[:7].decode("ascii"), "key_id_hex": key_id.hex(),
                "hierarchy": keystore.HIERARCHY, "purpose": purpose, "description": description,
                "algorithm": "RSA-2048, PKCS#1 v1.5, SHA-256", "public_exponent": 65537,
                "modulus_hex": keystore.modulus_bytes(name).hex()}

    return {
        "about": ("Public keys of mynacheck's simulated card CA (testcards/keys, TEST-ONLY private "
                  "halves committed in the repository). Accept them only to verify simulated "
                  "cards, never for a person's ID. Regenerate with "
                  "`python -m testcards.keys.generate`."),
        "key_id_format": ("16 bytes: 7 ASCII digits, 08 05, 3 ASCII digits, 00 00 00, one byte "
                          "(not always 00). Compare all 16 bytes."),
        "hierarchies": {keystore.HIERARCHY: ("mynacheck's simulated cards (testcards); accepted "
                                             "only when the operator names it")},
        "keys": [
            entry(keystore.CA_CARD_FACE, keystore.SIMULATED_CARD_FACE_ID, "card-face-ap",
                  "券面事項確認AP of simulated cards: signs the certificate in EF 0004"),
            entry(keystore.CA_TEXT, keystore.SIMULATED_TEXT_ID, "text-ap",
                  "券面事項入力補助AP of simulated cards: signs the certificate in EF 0004"),
        ],
    }


def committed_document() -> str:
    """The fingerprints of every key whose private half is committed under testcards/keys."""
    from verifier.card.committed import fingerprint

    lines = ["# SHA-256 of the DER SubjectPublicKeyInfo of every public key whose private half is",
             "# committed to this repository (testcards/keys/**/*.pem, TEST-ONLY): no trust file",
             "# may make them prove anything. Written by `python -m testcards.keys.generate`."]
    for path in sorted(keystore.KEY_DIR.rglob("*.pem"), key=lambda path: path.name):
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        lines.append(f"{fingerprint(key.public_key())}  # {path.name}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--force", action="store_true", help="replace existing keys")
    args = parser.parse_args()
    keystore.KEY_DIR.mkdir(parents=True, exist_ok=True)
    created = [name for name in all_key_names() if write_key(name, force=args.force)]
    keystore.private_key.cache_clear()
    # The residence cards' keys (RSA-2048 and ECDSA P-384) live in keys/residence/.
    created += residence_keys.write_missing(force=args.force)
    TRUST_FILE.write_text(json.dumps(trust_document(), ensure_ascii=False, indent=2) + "\n",
                          encoding="utf-8")
    COMMITTED_FILE.write_text(committed_document(), encoding="utf-8")
    from testcards.residence.authority import simulated_ca_pem

    RESIDENCE_CA_FILE.write_bytes(simulated_ca_pem())
    print(f"created {len(created)} key(s); wrote {TRUST_FILE}")  # noqa: T201 -- a script
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

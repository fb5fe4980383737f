"""Trust files that cannot fake trust (issue 16): a trust file holding a key whose private half
is committed to this repository (the simulated CA, the forger's CA) proves nothing — refused
outside training on a virtual reader, whatever hierarchy it claims — and whatever is trusted
beyond production is listed in the JSON and the audit record."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import testcards
from testcards import keystore
from testcards.keys.generate import committed_document
from verifier.card.committed import committed_fingerprints, fingerprint
from verifier.counter.policy import CommittedKeyRefused, CounterPolicy
from verifier.counter.visit import Counter
from verifier.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]
SIMULATED_KEYS = REPO / "verifier" / "data" / "simulated-ca-keys.json"
CODE = testcards.PERSONAS[0].code_b


def passed_off_as_production(tmp_path: Path) -> Path:
    """The simulated CA's keys in a trust file that calls them production, under key ids of
    their own (the same ids would conflict with the built-in files and be refused anyway)."""
    document = json.loads(SIMULATED_KEYS.read_text(encoding="utf-8"))
    document.pop("hierarchies", None)
    for number, key in enumerate(document["keys"]):
        key["hierarchy"] = "production"
        key["name"] = f"500009{number}"
        key["key_id_hex"] = (f"500009{number}".encode() + bytes.fromhex("0805") + b"001"
                             + bytes(4)).hex()
    path = tmp_path / "looks-real.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_the_committed_list_is_every_committed_key() -> None:
    listed = (REPO / "verifier" / "data" / "committed-private-keys.txt").read_text(
        encoding="utf-8")
    assert listed == committed_document()  # regenerate: python -m testcards.keys.generate
    for path in keystore.KEY_DIR.glob("*.pem"):
        from cryptography.hazmat.primitives import serialization

        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert fingerprint(key.public_key()) in committed_fingerprints(), path.name


def test_refused_outside_training_before_any_card(tmp_path: Path) -> None:
    trust = passed_off_as_production(tmp_path)
    with pytest.raises(CommittedKeyRefused):
        CounterPolicy(trust_files=(trust,)).check_trust()
    done = subprocess.run([sys.executable, "-m", "verifier.cli.main", "verify", "--reader", "0",
                           "--trust-file", str(trust), "--code-b", CODE.digits],
                          capture_output=True, text=True, cwd=REPO, timeout=60, check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert "private half is committed" in done.stderr


def test_in_training_only_a_virtual_reader_takes_it(tmp_path: Path) -> None:
    policy = CounterPolicy(trust_files=(passed_off_as_production(tmp_path),), training=True)
    policy.check_trust()
    counter = Counter(policy)
    with pytest.raises(CommittedKeyRefused):
        counter.attach(testcards.build_card("genuine"), reader="ACS ACR39U ICC Reader 00 00",
                       in_process=False)
    visit = counter.attach(testcards.build_card("genuine"), reader="Virtual PCD 00 00",
                           in_process=False)
    checked = visit.verify(CODE)  # admitted: read, marked simulated, the extra trust listed
    assert checked.result.simulated and checked.result.apdu_count > 0
    assert "file:looks-real.json" in checked.to_json()["extra_trust"]


def test_a_trust_file_of_real_keys_is_named_in_json_and_audit(tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    real = REPO / "verifier" / "data" / "card-ca-keys.json"
    policy = CounterPolicy(trust_files=(real,), hierarchies=("jpki-test",), audit_log=audit)
    policy.check_trust()  # production keys: nothing committed
    counter = Counter(policy)
    checked = counter.attach(testcards.build_card("genuine"), reader="in-process",
                             in_process=True).verify(CODE)
    assert checked.to_json()["extra_trust"] == ["jpki-test", "simulated", "file:card-ca-keys.json"]
    record = json.loads(audit.read_text(encoding="utf-8"))
    assert record["extra_trust"] == ["jpki-test", "simulated", "file:card-ca-keys.json"]
    plain = Counter(CounterPolicy()).attach(testcards.build_card("blank-chip"),
                                            reader="ACS ACR39U ICC Reader 00 00",
                                            in_process=False).precheck()
    assert "extra_trust" not in plain.to_json()


def test_a_broken_trust_file_is_still_a_plain_usage_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(ConfigError):
        CounterPolicy(trust_files=(broken,)).check_trust()

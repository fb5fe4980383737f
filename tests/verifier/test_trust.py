"""Trust anchors: the shipped files, the accept policy, and every way a trust file can be wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from verifier.documents.my_number.key_id import KeyId
from verifier.documents.my_number.records import RsaPublicKey
from verifier.documents.my_number.trust import (
    KNOWN_HIERARCHIES,
    TrustAnchor,
    TrustStore,
    UnknownHierarchyError,
    load_anchors,
    parse_anchors,
)
from verifier.errors import TrustFileError

if TYPE_CHECKING:
    from conftest import Builders

SHARED_FILE = Path(__file__).resolve().parents[2] / "verifier" / "data" / "card-ca-keys.json"
PRODUCTION_FACE = KeyId(bytes.fromhex("35303030303233080530303100000000"))
PRODUCTION_TEXT = KeyId(bytes.fromhex("35303030303333080530303100000000"))
TEST_FACE = KeyId(bytes.fromhex("36303030303233080530303100000000"))
SIMULATED_FACE = KeyId(bytes.fromhex("39303030303233080530303100000000"))
LAB_ID = "3830303030323308053030310000000a"


def _entry(build: Builders, **changes: Any) -> dict[str, Any]:
    numbers = build.ca.public_key().public_numbers()
    entry: dict[str, Any] = {
        "name": "8000023", "key_id_hex": LAB_ID, "hierarchy": "lab", "purpose": "card-face-ap",
        "description": "a lab's own CA", "algorithm": "RSA-2048, PKCS#1 v1.5, SHA-256",
        "public_exponent": numbers.e, "modulus_hex": f"{numbers.n:0512x}",
    }
    entry.update(changes)
    return {key: value for key, value in entry.items() if value is not None}


def _write(tmp_path: Path, document: object, name: str = "operator.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def _document(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"hierarchies": {"lab": "a lab"}, "keys": list(entries)}


# --- the shipped anchors ---------------------------------------------------------------------
def test_builtin_accepts_production_only() -> None:
    store = TrustStore.builtin()
    face = store.lookup(PRODUCTION_FACE)
    assert face is not None and face.label == "5000023/001" and face.purpose == "card-face-ap"
    assert store.accepts(face)
    text = store.lookup(PRODUCTION_TEXT)
    assert text is not None and store.accepts(text)
    test = store.lookup(TEST_FACE)
    assert test is not None and test.hierarchy == "jpki-test"
    assert not store.accepts(test)
    assert store.accepted == frozenset({"production"})


def test_simulated_anchors_need_naming() -> None:
    store = TrustStore.builtin()
    simulated = store.lookup(SIMULATED_FACE)
    assert simulated is not None, "verifier/data/simulated-ca-keys.json lacks the simulated CA"
    assert simulated.hierarchy == "simulated"
    assert not store.accepts(simulated)
    assert store.accepting("simulated").accepts(simulated)


def test_accepting_makes_a_new_store() -> None:
    store = TrustStore.builtin()
    wider = store.accepting("jpki-test")
    test = wider.lookup(TEST_FACE)
    assert test is not None and wider.accepts(test)
    assert not store.accepts(test)  # the original did not change
    assert wider.accepted == frozenset({"production", "jpki-test"})
    assert TrustStore.builtin(accepted=("jpki-test",)).accepted == frozenset({"jpki-test"})
    assert TrustStore.builtin(accepted="jpki-test").accepted == frozenset({"jpki-test"})  # type: ignore[arg-type]


def test_unknown_key_id() -> None:
    store = TrustStore.builtin(accepted=KNOWN_HIERARCHIES)
    assert store.lookup(KeyId(bytes(16))) is None
    assert store.lookup(KeyId(PRODUCTION_FACE.raw[:-1] + b"\x01")) is None  # all 16 bytes count


def test_unknown_hierarchy_name_is_refused() -> None:
    with pytest.raises(UnknownHierarchyError):
        TrustStore.builtin().accepting("jpki_test")
    with pytest.raises(TrustFileError):
        TrustStore.builtin(accepted=("prod",))


def test_store_is_immutable() -> None:
    store = TrustStore.builtin()
    with pytest.raises(AttributeError):
        store._accepted = frozenset({"jpki-test"})  # type: ignore[misc]
    with pytest.raises(AttributeError):
        store.accepted = frozenset()  # type: ignore[misc]
    assert "production" in repr(store)


def test_shared_file_loads_whole() -> None:
    anchors = load_anchors(SHARED_FILE)
    assert {a.hierarchy for a in anchors} == {"production", "jpki-test"}
    assert all(a.key.modulus.bit_length() == 2048 and a.key.exponent == 65537 for a in anchors)
    assert all(len(a.key_id.raw) == 16 for a in anchors)
    assert len({a.key_id for a in anchors}) == len(anchors)


def test_load_anchors_accepts_str_paths() -> None:
    assert load_anchors(str(SHARED_FILE)) == load_anchors(SHARED_FILE)


# --- an operator's file ----------------------------------------------------------------------
def test_with_file_adds_and_accepts_its_hierarchy(build: Builders, tmp_path: Path) -> None:
    path = _write(tmp_path, _document(_entry(build)))
    store = TrustStore.builtin().with_file(path)
    anchor = store.lookup(KeyId(bytes.fromhex(LAB_ID)))
    assert anchor is not None and store.accepts(anchor)
    assert anchor == TrustAnchor(name="8000023", key_id=KeyId(bytes.fromhex(LAB_ID)),
                                 hierarchy="lab",
                                 purpose="card-face-ap",
                                 key=RsaPublicKey(build.ca.public_key().public_numbers().n,
                                                  65537),
                                 description="a lab's own CA")
    test = store.lookup(TEST_FACE)
    assert test is not None and not store.accepts(test)  # still only what was named
    assert TrustStore.builtin().lookup(KeyId(bytes.fromhex(LAB_ID))) is None


def test_with_file_may_repeat_an_identical_anchor(tmp_path: Path) -> None:
    store = TrustStore.builtin().with_file(SHARED_FILE)
    assert store.accepts(store.lookup(TEST_FACE))  # type: ignore[arg-type]


def test_with_file_conflicting_with_builtin(build: Builders, tmp_path: Path) -> None:
    entry = _entry(build, key_id_hex=PRODUCTION_FACE.hex(), hierarchy="production")
    path = _write(tmp_path, _document(entry), name="evil.json")
    with pytest.raises(TrustFileError, match=r"evil\.json"):
        TrustStore.builtin().with_file(path)


def test_same_key_id_twice_in_one_file(build: Builders, tmp_path: Path) -> None:
    other = f"{build.signer.public_key().public_numbers().n:0512x}"
    path = _write(tmp_path, _document(_entry(build), _entry(build, modulus_hex=other)))
    with pytest.raises(TrustFileError, match="two different keys"):
        load_anchors(path)


def test_same_key_id_in_two_hierarchies(build: Builders, tmp_path: Path) -> None:
    path = _write(tmp_path, _document(_entry(build), _entry(build, hierarchy="production")))
    with pytest.raises(TrustFileError):
        load_anchors(path)


# --- file errors name the file and the field -------------------------------------------------
def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TrustFileError, match=r"absent\.json"):
        load_anchors(tmp_path / "absent.json")


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(TrustFileError):
        load_anchors(tmp_path)


@pytest.mark.parametrize("content", [b"", b"{", b"\xff\xfe{}", b"[1, 2]", b"null", b"{}",
                                     b'{"keys": []}', b'{"keys": {}}', b'{"keys": [1]}',
                                     b'{"keys": [{}], "hierarchies": []}'])
def test_not_a_trust_document(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    with pytest.raises(TrustFileError, match=r"broken\.json"):
        load_anchors(path)


@pytest.mark.parametrize("field", ["name", "key_id_hex", "hierarchy", "purpose",
                                   "public_exponent", "modulus_hex"])
def test_missing_field(build: Builders, tmp_path: Path, field: str) -> None:
    path = _write(tmp_path, _document(_entry(build), _entry(build, **{field: None})))
    with pytest.raises(TrustFileError, match=rf"operator\.json: keys\[1\]\.{field}: missing"):
        load_anchors(path)


@pytest.mark.parametrize(("field", "value"), [
    ("name", 7), ("name", ""), ("key_id_hex", LAB_ID[:-2]), ("key_id_hex", "zz" * 16),
    ("key_id_hex", LAB_ID + "00"), ("key_id_hex", 12), ("hierarchy", "Lab Keys"),
    ("hierarchy", "undeclared"), ("purpose", None), ("description", 5),
    ("public_exponent", "65537"), ("public_exponent", True), ("public_exponent", 65536),
    ("public_exponent", 1), ("modulus_hex", "00" * 256), ("modulus_hex", "ff" * 128),
    ("modulus_hex", "fe" * 256), ("modulus_hex", "g" * 512), ("algorithm", "ECDSA P-384"),
    ("algorithm", 2048),
])
def test_bad_field(build: Builders, tmp_path: Path, field: str, value: object) -> None:
    path = _write(tmp_path, _document(_entry(build, **{field: value})))
    with pytest.raises(TrustFileError) as caught:
        load_anchors(path)
    assert "operator.json" in str(caught.value)
    assert f"keys[0].{field}" in str(caught.value) or field in ("public_exponent",
                                                                 "modulus_hex")


def test_file_without_hierarchies_section_may_name_any(build: Builders, tmp_path: Path) -> None:
    path = _write(tmp_path, {"keys": [_entry(build, hierarchy="lab-2")]})
    assert load_anchors(path)[0].hierarchy == "lab-2"


def test_parse_anchors_names_its_source(build: Builders) -> None:
    with pytest.raises(TrustFileError, match="from-the-gui"):
        parse_anchors("{", source="from-the-gui")
    anchors = parse_anchors(json.dumps(_document(_entry(build))), source="x")
    assert anchors[0].label == "8000023/001"

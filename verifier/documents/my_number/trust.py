"""Trust anchors: the CA keys that may certify a card's EF 0004, and which hierarchies count.

A key id found in no anchor is "unknown authority"; an anchor of a hierarchy the store does not
accept (a JPKI test card, this project's simulated cards) is a real answer but never a pass unless
the operator named that hierarchy (design.md rule 5). Stores are immutable: widening the policy
makes a new store, so one card's verification never changes another's.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any

from verifier.documents.my_number import constants as p
from verifier.documents.my_number.key_id import KeyId
from verifier.documents.my_number.records import RsaPublicKey
from verifier.errors import MalformedData, TrustFileError

PRODUCTION = "production"
JPKI_TEST = "jpki-test"
SIMULATED = "simulated"
KNOWN_HIERARCHIES = frozenset({PRODUCTION, JPKI_TEST, SIMULATED})
DEFAULT_ACCEPTED = (PRODUCTION,)
MAX_TRUST_FILE_BYTES = 1 << 20
_HIERARCHY_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_HEX = re.compile(r"[0-9a-fA-F]*")

TrustPath = str | os.PathLike[str] | Traversable


class UnknownHierarchyError(TrustFileError):
    """No trust anchor belongs to that hierarchy."""


@dataclass(frozen=True)
class TrustAnchor:
    name: str
    key_id: KeyId  # all 16 bytes; lookups compare all of them
    hierarchy: str
    purpose: str
    key: RsaPublicKey
    description: str

    @property
    def label(self) -> str:
        return str(self.key_id)


# --- the JSON file ---------------------------------------------------------------------------
class _Fields:
    """Typed access to one JSON object, naming the file and the field in every error."""

    def __init__(self, source: str, where: str, value: object) -> None:
        if not isinstance(value, dict):
            raise TrustFileError(f"{source}: {where or 'top level'} must be a JSON object")
        self._source, self._where, self._value = source, where, value

    def error(self, field: str, problem: str) -> TrustFileError:
        place = f"{self._where}.{field}" if self._where else field
        return TrustFileError(f"{self._source}: {place}: {problem}")

    def raw(self, field: str, *, required: bool = True) -> object:
        if field not in self._value:
            if required:
                raise self.error(field, "missing")
            return None
        return self._value[field]

    def text(self, field: str, *, required: bool = True) -> str:
        value = self.raw(field, required=required)
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            raise self.error(field, "must be a string")
        return value

    def integer(self, field: str) -> int:
        value = self.raw(field)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(field, "must be an integer")
        return value

    def hex_bytes(self, field: str, size: int) -> bytes:
        value = self.text(field)
        if len(value) != 2 * size or not _HEX.fullmatch(value):
            raise self.error(field, f"must be {size} bytes in hex ({2 * size} hex digits)")
        return bytes.fromhex(value)


def _parse_anchor(source: str, index: int, item: object,
                  declared: frozenset[str] | None) -> TrustAnchor:
    fields = _Fields(source, f"keys[{index}]", item)
    hierarchy = fields.text("hierarchy")
    if not _HIERARCHY_NAME.fullmatch(hierarchy):
        raise fields.error("hierarchy", "must be lower-case letters, digits, '-', '.' or '_'")
    if declared is not None and hierarchy not in declared | KNOWN_HIERARCHIES:
        raise fields.error("hierarchy", f"{hierarchy!r} is not declared under 'hierarchies'")
    algorithm = fields.text("algorithm", required=False)
    if algorithm and "RSA-2048" not in algorithm:
        raise fields.error("algorithm", "only RSA-2048 keys are supported")
    exponent = fields.integer("public_exponent")
    modulus = fields.hex_bytes("modulus_hex", p.RSA_BYTES)
    try:
        key = RsaPublicKey(modulus=int.from_bytes(modulus, "big"), exponent=exponent)
    except MalformedData as error:
        raise fields.error("modulus_hex/public_exponent", str(error)) from None
    name = fields.text("name")
    if not name:
        raise fields.error("name", "must not be empty")
    return TrustAnchor(name=name, key_id=KeyId(fields.hex_bytes("key_id_hex", p.KEY_ID_LEN)),
                       hierarchy=hierarchy, purpose=fields.text("purpose"), key=key,
                       description=fields.text("description", required=False))


def parse_anchors(text: str, *, source: str) -> list[TrustAnchor]:
    """Anchors from the text of a trust file; `source` names it in errors."""
    try:
        document: Any = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise TrustFileError(f"{source}: not valid JSON ({error})") from None
    top = _Fields(source, "", document)
    declared_raw = top.raw("hierarchies", required=False)
    declared: frozenset[str] | None = None
    if declared_raw is not None:
        if not isinstance(declared_raw, dict):
            raise top.error("hierarchies", "must be an object of name: description")
        declared = frozenset(declared_raw)
    keys = top.raw("keys")
    if not isinstance(keys, list) or not keys:
        raise top.error("keys", "must be a non-empty list")
    anchors = [_parse_anchor(source, index, item, declared) for index, item in enumerate(keys)]
    _index(anchors, source)  # a file that contradicts itself is refused whole
    return anchors


def load_anchors(path: TrustPath) -> list[TrustAnchor]:
    """Anchors from a trust file (format of ../shared/trust/card-ca-keys.json)."""
    source: Traversable = Path(path) if isinstance(path, str | os.PathLike) else path
    name = str(path)
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise TrustFileError(f"{name}: cannot be read ({error.strerror or error})") from None
    if len(raw) > MAX_TRUST_FILE_BYTES:
        raise TrustFileError(f"{name}: larger than {MAX_TRUST_FILE_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise TrustFileError(f"{name}: not UTF-8 text") from None
    return parse_anchors(text, source=name)


def _index(anchors: Iterable[TrustAnchor], source: str) -> dict[KeyId, TrustAnchor]:
    by_id: dict[KeyId, TrustAnchor] = {}
    for anchor in anchors:
        known = by_id.get(anchor.key_id)
        if known is not None and (known.key, known.hierarchy) != (anchor.key, anchor.hierarchy):
            raise TrustFileError(f"{source}: key id {anchor.label} ({anchor.key_id.hex()}) is "
                                 f"given two different keys or hierarchies ({known.name!r}, "
                                 f"{anchor.name!r})")
        by_id.setdefault(anchor.key_id, anchor)
    return by_id


def _builtin_files() -> Iterator[Traversable]:
    data = resources.files("verifier").joinpath("data")
    return iter(sorted((entry for entry in data.iterdir()
                        if entry.name.endswith(".json") and entry.is_file()),
                       key=lambda entry: entry.name))


# --- the store -------------------------------------------------------------------------------
class TrustStore:
    """Anchors by key id, and the hierarchies whose anchors count as trusted."""

    __slots__ = ("_accepted", "_anchors", "_by_id")
    _anchors: tuple[TrustAnchor, ...]
    _accepted: frozenset[str]
    _by_id: Mapping[KeyId, TrustAnchor]

    def __init__(self, anchors: Iterable[TrustAnchor], accepted: Iterable[str]) -> None:
        anchors = tuple(anchors)
        accepted = _names(accepted)
        by_id = MappingProxyType(_index(anchors, "trust store"))
        present = {anchor.hierarchy for anchor in anchors}
        unknown = accepted - KNOWN_HIERARCHIES - present
        if unknown:
            raise UnknownHierarchyError(
                f"unknown trust hierarchy {', '.join(sorted(unknown))}; known: "
                f"{', '.join(sorted(KNOWN_HIERARCHIES | present))}")
        object.__setattr__(self, "_anchors", anchors)
        object.__setattr__(self, "_accepted", accepted)
        object.__setattr__(self, "_by_id", by_id)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("TrustStore is immutable; use accepting() or with_file()")

    @classmethod
    def builtin(cls, accepted: Iterable[str] = DEFAULT_ACCEPTED) -> TrustStore:
        """Every trust file shipped in verifier/data/, accepting only `accepted`."""
        anchors: list[TrustAnchor] = []
        for entry in _builtin_files():
            anchors.extend(load_anchors(entry))
        return cls(anchors, accepted)

    @property
    def anchors(self) -> tuple[TrustAnchor, ...]:
        return self._anchors

    @property
    def accepted(self) -> frozenset[str]:
        return self._accepted

    @property
    def hierarchies(self) -> frozenset[str]:
        """Every hierarchy some anchor of this store belongs to."""
        return frozenset(anchor.hierarchy for anchor in self._anchors)

    def accepting(self, *hierarchies: str) -> TrustStore:
        """A store that also accepts `hierarchies` (e.g. "jpki-test", "simulated")."""
        return TrustStore(self._anchors, self._accepted | frozenset(hierarchies))

    def with_file(self, path: TrustPath) -> TrustStore:
        """A store with an operator's trust file added; its hierarchies are accepted."""
        extra = load_anchors(path)
        try:
            return TrustStore((*self._anchors, *extra),
                              self._accepted | {anchor.hierarchy for anchor in extra})
        except TrustFileError as error:
            raise TrustFileError(f"{path}: conflicts with the trust already loaded: "
                                 f"{error}") from None

    def lookup(self, key_id: KeyId) -> TrustAnchor | None:
        return self._by_id.get(key_id)

    def accepts(self, anchor: TrustAnchor) -> bool:
        return anchor.hierarchy in self._accepted

    def __repr__(self) -> str:
        return (f"TrustStore({len(self._anchors)} anchors, "
                f"accepting {', '.join(sorted(self._accepted)) or 'nothing'})")


def _names(accepted: Iterable[str]) -> frozenset[str]:
    # A bare string would otherwise become a set of its letters.
    return frozenset((accepted,) if isinstance(accepted, str) else accepted)

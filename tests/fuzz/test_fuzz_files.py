"""A forger's edits of the issued files, run through the whole verification.

Each example takes a genuine chip and changes one file the verifier reads: a bit flipped, a
byte set, a range overwritten, bytes inserted or deleted, the file cut short, a TLV length or
an offset-table entry that lies. Properties:

(a) `verify_card` returns a Result with every check exactly once; nothing is raised;
(b) when a signed piece of the file is no longer in it unchanged (card-face DF22..DF28, a
    certificate's body and signature, the text AP's hashed part and signed records:
    chip.signed_pieces), the verdict is never GENUINE. Unsigned parts (DF21, DF29 expiry,
    DF2A, filler, where the pieces stand) may legitimately still give GENUINE or anything else;
(c) an edit that touches nothing (a flip applied twice, a byte set to itself) stays GENUINE,
    so the property in (b) is not met by a verifier that rejects every card;
(d) an edit of unsigned bytes only, lengths kept — the offset tables' values, DF2A's, the
    month and day of DF29 — is never an accusation: GENUINE, or NOT_VERIFIED for an expiry
    that no longer reads as a date. (DF29's year is left out: code B ties it to the chip,
    see `code_b.consistent` in docs/evidence.md.)

Run time: about 3 s for 1,800 examples, the same ones on every run (derandomized).
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from testcards import PERSONAS
from tests.fuzz import chip as c
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.check_ids import CHECKS, CheckId
from verifier.documents.my_number.checks import verify_card
from verifier.engine.verdict import Result, Verdict

CI = settings(max_examples=1500, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FEW = settings(max_examples=300, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Edit:
    kind: str  # flip, set, overwrite, insert, delete, truncate
    pos: int
    payload: bytes = b""
    count: int = 0
    bit: int = 0

    def apply(self, data: bytes) -> bytes:
        if self.kind == "flip":
            return data[:self.pos] + bytes((data[self.pos] ^ 1 << self.bit,)) + data[self.pos + 1:]
        if self.kind in ("set", "overwrite"):
            return data[:self.pos] + self.payload + data[self.pos + len(self.payload):]
        if self.kind == "insert":
            return data[:self.pos] + self.payload + data[self.pos:]
        if self.kind == "delete":
            return data[:self.pos] + data[self.pos + self.count:]
        if self.kind == "truncate":
            return data[:self.pos]
        raise AssertionError(self.kind)

    def touches_signed(self, key: c.FileKey, original: bytes) -> bool:
        return not c.signed_pieces_kept(key, original, self.apply(original))


def _position(draw: st.DrawFn, data: bytes) -> int:
    # Aim at a region first, so the one-byte sex object gets as many hits as the photo.
    span = draw(st.sampled_from(c.regions(data)))
    return draw(st.integers(span.start, span.stop - 1))


def _length_lie(draw: st.DrawFn, data: bytes) -> Edit:
    """Rewrite one object's length in place, same width, to another value."""
    outer, children = c.layout(data)
    obj = draw(st.sampled_from([outer, *children]))
    width = obj.header - (2 if obj.tag > 0xFF else 1)
    if width == 1:
        value = draw(st.integers(0, 0x7F).filter(lambda v: v != obj.length))
        payload = bytes((value,))
    else:
        count = width - 1
        value = draw(st.integers(0, 256 ** count - 1).filter(lambda v: v != obj.length))
        payload = bytes((0x80 | count,)) + value.to_bytes(count, "big")
    return Edit("overwrite", obj.start + obj.header - width, payload)


def _offset_lie(draw: st.DrawFn, data: bytes) -> Edit:
    _, children = c.layout(data)
    table = children[0]
    entry = draw(st.integers(0, table.length // 2 - 1))
    value = draw(st.integers(0, 0xFFFF))
    return Edit("overwrite", table.value_start + 2 * entry, value.to_bytes(2, "big"))


@st.composite
def edits(draw: st.DrawFn, data: bytes, key: c.FileKey) -> Edit:
    kinds = ["flip", "set", "overwrite", "insert", "delete", "truncate", "length"]
    if key in ((p.AID_CARD_FACE, p.EF_CF_FACE), (p.AID_TEXT, p.EF_TX_BASIC_FOUR)):
        kinds.append("offsets")
    kind = draw(st.sampled_from(kinds))
    if kind == "length":
        return _length_lie(draw, data)
    if kind == "offsets":
        return _offset_lie(draw, data)
    pos = _position(draw, data)
    if kind == "flip":
        return Edit("flip", pos, bit=draw(st.integers(0, 7)))
    if kind == "set":
        return Edit("set", pos, bytes((draw(st.integers(0, 255)),)))
    if kind == "overwrite":
        room = len(data) - pos
        return Edit("overwrite", pos, draw(st.binary(min_size=1, max_size=min(room, 64))))
    if kind == "insert":
        return Edit("insert", pos, draw(st.binary(min_size=1, max_size=64)))
    if kind == "delete":
        return Edit("delete", pos, count=draw(st.integers(1, max(1, min(64, len(data) - pos)))))
    return Edit("truncate", pos)


def _check_shape(result: Result) -> None:
    assert isinstance(result, Result)
    assert sorted(ch.id for ch in result.checks) == sorted(CHECKS), result.checks


def _run(key: c.FileKey, edit: Edit, persona: int) -> tuple[Result, bool]:
    who = PERSONAS[persona]
    chip = c.genuine_chip(who)
    original = c.file_bytes(chip, key)
    edited = edit.apply(original)
    touched = edit.touches_signed(key, original)
    card = c.card(c.with_file(chip, key, edited), who)
    result = verify_card(card, c.options(), who.code_b, nonce=c.fixed_nonce)
    _check_shape(result)
    assert not (set(card.files_touched) & c.FORBIDDEN_TOUCHES)
    return result, touched


@CI
@given(st.data())
def test_edited_files_never_pass_when_signed_bytes_changed(data: st.DataObject) -> None:
    key = data.draw(st.sampled_from(c.READ_FILES), label="file")
    persona = data.draw(st.integers(0, len(PERSONAS) - 1), label="persona")
    original = c.file_bytes(c.genuine_chip(PERSONAS[persona]), key)
    edit = data.draw(edits(original, key), label="edit")
    result, touched = _run(key, edit, persona)
    event(f"signed bytes changed: {touched}; verdict {result.verdict.value}")
    if touched:
        assert result.verdict is not Verdict.GENUINE, (key, edit)


@FEW
@given(st.data())
def test_edits_that_change_nothing_stay_genuine(data: st.DataObject) -> None:
    key = data.draw(st.sampled_from(c.READ_FILES), label="file")
    persona = data.draw(st.integers(0, len(PERSONAS) - 1), label="persona")
    original = c.file_bytes(c.genuine_chip(PERSONAS[persona]), key)
    pos = _position(data.draw, original)
    edit = Edit("set", pos, original[pos:pos + 1])
    result, touched = _run(key, edit, persona)
    assert not touched
    assert result.verdict is Verdict.GENUINE, result.failing_check


#: (file, tag, first and last byte of the value an edit may touch; None: to its end).
UNSIGNED_VALUES = [
    ((p.AID_CARD_FACE, p.EF_CF_FACE), p.TAG_FACE_OFFSETS, 0, None),
    ((p.AID_CARD_FACE, p.EF_CF_FACE), p.TAG_FACE_EXPIRY, 4, None),  # MMDD
    ((p.AID_CARD_FACE, p.EF_CF_FACE), p.TAG_FACE_SECURITY_CODE_PNG, 0, None),
    ((p.AID_TEXT, p.EF_TX_BASIC_FOUR), p.TAG_TX_OFFSETS, 0, None),
]


@FEW
@given(st.data())
def test_edits_of_unsigned_values_are_never_an_accusation(data: st.DataObject) -> None:
    key, tag, first, last = data.draw(st.sampled_from(UNSIGNED_VALUES), label="object")
    persona = data.draw(st.integers(0, len(PERSONAS) - 1), label="persona")
    original = c.file_bytes(c.genuine_chip(PERSONAS[persona]), key)
    _, children = c.layout(original)
    target = next(ch for ch in children if ch.tag == tag)
    start, stop = target.value_start + first, target.end if last is None else last
    pos = data.draw(st.integers(start, stop - 1), label="pos")
    payload = data.draw(st.binary(min_size=1, max_size=stop - pos), label="payload")
    result, touched = _run(key, Edit("overwrite", pos, payload), persona)
    assert not touched
    event(f"verdict {result.verdict.value}; oddities {', '.join(result.oddities) or 'none'}")
    assert result.verdict in (Verdict.GENUINE, Verdict.NOT_VERIFIED), result.failing_check
    if result.verdict is Verdict.NOT_VERIFIED:
        failing = result.failing_check
        assert failing is not None and failing.id is CheckId.CARD_NOT_EXPIRED, failing


def test_unsigned_expiry_and_security_code_edits_may_pass() -> None:
    """DF2A (security code image) is not signed: a change there is no evidence of forgery."""
    key = (p.AID_CARD_FACE, p.EF_CF_FACE)
    chip = c.genuine_chip(PERSONAS[0])
    original = c.file_bytes(chip, key)
    _, children = c.layout(original)
    image = next(ch for ch in children if ch.tag == p.TAG_FACE_SECURITY_CODE_PNG)
    edit = Edit("flip", image.value_start + image.length // 2, bit=3)
    result, touched = _run(key, edit, 0)
    assert not touched
    assert result.verdict is Verdict.GENUINE

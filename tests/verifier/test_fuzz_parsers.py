"""Property tests: the parsers raise only the project's own errors, whatever the input, and
what is unsigned never makes them raise.

Hostile chips and clumsy typing must end in MalformedData (locating a record) /
UnsupportedLayout (reading its signed values) / CodeBInputError, never an IndexError,
ValueError or struct.error escaping. Inputs are arbitrary bytes and text, and mutations (bit
flips, truncations, length edits, insertions) of valid records. And a genuine record whose
unsigned wrapping is changed in any way the card might (offset table, expiry, security code,
filler, objects the record does not define) is always located, with its signed bytes unchanged.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from verifier.card.tlv import encode, parse_all, parse_one, total_length
from verifier.documents.my_number import code_b, records
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.crypto import verify_card_face, verify_certificate
from verifier.documents.my_number.records import RsaPublicKey
from verifier.errors import CodeBInputError, MalformedData, UnsupportedLayout

if TYPE_CHECKING:
    from conftest import Builders

FUZZ = settings(max_examples=400, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
MUTATIONS = settings(max_examples=600, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture,
                                            HealthCheck.too_slow])
LENGTH_BYTES = [0x00, 0x01, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0xFE, 0xFF]
OUTER_TAGS = [b"\xff\x20", b"\xff\x30", b"\x7f\x21", b"\xdf\x21", b"\x90", b"\x91"]



def _read_card_face(data: bytes) -> object:
    return records.read_card_face(records.locate_card_face(data))


def _read_certified_key(data: bytes) -> object:
    return records.read_certified_key(records.locate_cv_certificate(data))


def _read_text_basic_four(data: bytes) -> object:
    return records.read_text_basic_four(records.locate_text_basic_four(data))


def _basic_four_digest(data: bytes) -> object:
    return records.basic_four_digest(records.locate_text_integrity(data))


#: Locating raises MalformedData only; reading (which follows a verified signature in the
#: engine, and here follows locating alone) may also raise UnsupportedLayout.
PARSERS: dict[str, Callable[[bytes], object]] = {
    "locate_card_face": records.locate_card_face,
    "locate_cv_certificate": records.locate_cv_certificate,
    "parse_ap_basic_info": records.parse_ap_basic_info,
    "locate_text_basic_four": records.locate_text_basic_four,
    "locate_text_integrity": records.locate_text_integrity,
    "parse_rsa_key": records.parse_rsa_key,
    "parse_one": parse_one,
    "parse_all": parse_all,
}
READERS: dict[str, Callable[[bytes], object]] = {
    "read_card_face": _read_card_face,
    "read_certified_key": _read_certified_key,
    "read_text_basic_four": _read_text_basic_four,
    "basic_four_digest": _basic_four_digest,
}

# Bytes that start like one of the card's objects, so the parsers get past the first check.
chip_bytes = st.one_of(
    st.binary(max_size=600),
    st.builds(lambda tag, length, rest: tag + bytes([length]) + rest,
              st.sampled_from(OUTER_TAGS), st.sampled_from(LENGTH_BYTES), st.binary(max_size=600)),
)


def _only_malformed(parse: Callable[[bytes], object], data: bytes) -> object:
    try:
        return parse(data)
    except MalformedData:
        return None


@pytest.mark.parametrize("name", sorted(PARSERS))
@FUZZ
@given(data=chip_bytes)
def test_arbitrary_bytes(name: str, data: bytes) -> None:
    _only_malformed(PARSERS[name], data)


@pytest.mark.parametrize("name", sorted(READERS))
@FUZZ
@given(data=chip_bytes)
def test_arbitrary_bytes_read(name: str, data: bytes) -> None:
    with contextlib.suppress(MalformedData, UnsupportedLayout):
        READERS[name](data)


@FUZZ
@given(data=st.binary(max_size=40))
def test_total_length_arbitrary(data: bytes) -> None:
    try:
        result = total_length(data)
    except MalformedData:
        return
    assert result is None or result >= 2


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        index = draw(st.integers(0, len(data) - 1))
        operation = draw(st.sampled_from(["flip", "length", "truncate", "insert", "delete",
                                          "set"]))
        if operation == "flip":
            data[index] ^= 1 << draw(st.integers(0, 7))
        elif operation == "length":
            data[index] = draw(st.sampled_from(LENGTH_BYTES))
        elif operation == "truncate":
            del data[index:]
        elif operation == "insert":
            data[index:index] = draw(st.binary(min_size=1, max_size=4))
        elif operation == "delete":
            del data[index:index + draw(st.integers(1, 4))]
        else:
            data[index] = draw(st.integers(0, 255))
    return bytes(data)


@pytest.fixture(scope="module")
def valid(build: Builders) -> dict[str, tuple[bytes, Callable[[bytes], object]]]:
    """Each record built (and signed) once; mutations are cheap, signing is not."""
    return {
        "card_face": (build.face(filler=8), records.locate_card_face),
        "card_face_unpadded": (build.face(filler=0), records.locate_card_face),
        "certificate": (build.certificate(filler=8), records.locate_cv_certificate),
        "basic_info": (build.basic_info(), records.parse_ap_basic_info),
        "text_basic_four": (build.text_four(), records.locate_text_basic_four),
        "text_integrity": (build.integrity(), records.locate_text_integrity),
    }


@pytest.fixture(scope="module")
def signer(build: Builders) -> RsaPublicKey:
    return RsaPublicKey(modulus=build.signer.public_key().public_numbers().n, exponent=65537)


@pytest.mark.parametrize("name", ["card_face", "certificate", "basic_info", "text_basic_four",
                                  "text_integrity"])
@MUTATIONS
@given(data=st.data())
def test_mutated_records(valid: dict[str, tuple[bytes, Callable[[bytes], object]]],
                         signer: RsaPublicKey, name: str, data: st.DataObject) -> None:
    original, parse = valid[name]
    value = _only_malformed(parse, data.draw(mutated(original)))
    # Whatever is located must also go through the signature checks without an exception.
    if isinstance(value, records.CardFaceFile):
        assert isinstance(verify_card_face(signer, value), bool)
    elif isinstance(value, records.CvCertificate):
        assert isinstance(verify_certificate(signer, value), bool)


@MUTATIONS
@given(data=st.data())
def test_mutated_faces_never_verify_when_signed_bytes_change(
        valid: dict[str, tuple[bytes, Callable[[bytes], object]]], signer: RsaPublicKey,
        data: st.DataObject) -> None:
    original = valid["card_face_unpadded"][0]
    face = _only_malformed(records.locate_card_face, data.draw(mutated(original)))
    if not isinstance(face, records.CardFaceFile):
        event("refused by the parser")
        return
    event("parsed")
    good = records.locate_card_face(original)
    if face.signed_groups != good.signed_groups or face.signature != good.signature:
        assert not verify_card_face(signer, face)
    else:
        assert verify_card_face(signer, face)


# --- unsigned wrapping ----------------------------------------------------------------------
#: Tags no record of the card defines, in one-, two- and three-byte forms.
UNKNOWN_TAGS = [0x42, 0x53, 0x5F20, 0x5F25, 0x7F49, 0xDF2B, 0xDF30, 0xDF7F, 0x9F8101]
unknown_objects = st.builds(encode, st.sampled_from(UNKNOWN_TAGS), st.binary(max_size=40))
filler_runs = st.builds(lambda byte, count: byte * count,
                        st.sampled_from([b"\x00", b"\xff"]), st.integers(1, 32))
offsets = st.lists(st.integers(0, 0xFFFF), max_size=12)


@st.composite
def unsigned_face_changes(draw: st.DrawFn, objects: list[bytes]) -> tuple[list[bytes], object]:
    """A card face's objects (DF22..DF2A) with unsigned changes: DF29 and DF2A rewritten,
    repeated or dropped, filler and unknown objects anywhere between objects, and an offset
    table that may lie. The signed objects themselves are left as they are."""
    signed, expiry, code = objects[:7], objects[7], objects[8]
    tail = [encode(p.TAG_FACE_EXPIRY, draw(st.binary(max_size=12))) if draw(st.booleans())
            else expiry,
            encode(p.TAG_FACE_SECURITY_CODE_PNG, draw(st.binary(max_size=20)))
            if draw(st.booleans()) else code]
    tail = draw(st.lists(st.sampled_from(tail), max_size=4))  # dropped, repeated, reordered
    result = signed + tail
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(result)))
        extra = draw(st.one_of(filler_runs, unknown_objects))
        if at < len(result):
            result.insert(at, extra)
        elif extra.strip(b"\x00\xff"):
            result.append(extra)
        else:  # filler at the very end: inside FF20, after the last object
            result[-1] = result[-1] + extra
    lie = draw(st.one_of(st.none(), offsets))
    return result, (None if lie is None else (lambda _: lie))


@MUTATIONS
@given(data=st.data())
def test_unsigned_changes_to_a_card_face_are_never_evidence(
        build: Builders, signer: RsaPublicKey, data: st.DataObject) -> None:
    objects, lie = data.draw(unsigned_face_changes(build.face_objects()))
    face = records.locate_card_face(build.face_from(objects, lie=lie))  # type: ignore[arg-type]
    assert face.signed_groups == build.face_groups(build.parts)
    assert verify_card_face(signer, face)
    assert records.read_card_face(face).birth_date == records.read_card_face(
        records.locate_card_face(build.face())).birth_date
    event(f"oddities: {len(face.oddities)}")


@MUTATIONS
@given(extra=st.lists(st.one_of(filler_runs, unknown_objects), max_size=3),
       before=st.lists(st.one_of(filler_runs, unknown_objects), max_size=2),
       lie=st.one_of(st.none(), offsets))
def test_unsigned_changes_to_the_text_ap_and_certificate_are_never_evidence(
        build: Builders, extra: list[bytes], before: list[bytes], lie: list[int] | None) -> None:
    cert = build.certificate()
    located = records.locate_cv_certificate(cert)
    value = cert[5:5 + int.from_bytes(cert[3:5], "big")]
    changed = records.locate_cv_certificate(encode(p.TAG_CV_CERT, value + b"".join(extra)))
    assert (changed.body, changed.signature) == (located.body, located.signature)
    objects = build.text_objects()
    table = encode(p.TAG_TX_OFFSETS, b"".join(v.to_bytes(2, "big") for v in lie or []))
    four = records.locate_text_basic_four(
        encode(p.TAG_TX_BASIC_FOUR, b"".join(before) + (table if lie is not None else b"")
               + b"".join(objects)))
    assert four.hashed_part == b"".join(objects)
    assert records.read_text_basic_four(four).birth_date is not None
    integrity = build.integrity()
    inner = parse_one(integrity).value
    located_integrity = records.locate_text_integrity(
        encode(p.TAG_TX_INTEGRITY, inner + b"".join(extra)))
    assert located_integrity.signed_part == records.locate_text_integrity(integrity).signed_part


# --- typed input -----------------------------------------------------------------------------
typed_text = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789０１２３４５６７８９-/. 年月日元生昭和平成令和大正明治MTSHR",
            max_size=24),
)


@FUZZ
@given(text=typed_text)
def test_parse_code_b_arbitrary(text: str) -> None:
    try:
        code = code_b.parse_code_b(text)
    except CodeBInputError:
        return
    assert len(code.to_bytes()) == 14 and code.digits.isascii() and code.digits.isdigit()


@FUZZ
@given(text=typed_text)
def test_parse_birth_date_arbitrary(text: str) -> None:
    try:
        code_b.parse_birth_date(text)
    except CodeBInputError:
        return


@FUZZ
@given(birth=typed_text, expiry=typed_text, security=typed_text, gregorian=st.booleans())
def test_code_b_from_text_arbitrary(birth: str, expiry: str, security: str,
                                    gregorian: bool) -> None:
    try:
        code = code_b.code_b_from_text(birth, expiry, security, gregorian_birth=gregorian)
    except CodeBInputError:
        return
    assert len(code.digits) == 14


@FUZZ
@given(day=st.dates(), expiry=st.integers(2015, 2099),
       security=st.text(alphabet="0123456789", min_size=4, max_size=4))
def test_era_round_trip(day: object, expiry: int, security: str) -> None:
    try:
        era, year = code_b.to_era(day)  # type: ignore[arg-type]
    except CodeBInputError:
        return
    assert code_b.from_era(era, year, day.month, day.day) == day  # type: ignore[attr-defined]
    if year <= 99:
        code = code_b.code_b_from_parts(day, expiry, security)  # type: ignore[arg-type]
        assert code_b.birth_matches(code, day)  # type: ignore[arg-type]
        assert code_b.parse_birth_date(f"{era}{year}年{day.month}月{day.day}日").date == day  # type: ignore[attr-defined]

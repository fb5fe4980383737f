"""The records' shape decisions, one by one: what is evidence (signed bytes missing, twice, or
running past the end), what is a layout the readings do not cover, and what is only an oddity.
Then the parsers under random bytes: never an exception of another type."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.documents.residence import constants as c
from verifier.documents.residence import records, sm_crypto
from verifier.documents.residence import secure_messaging as sm
from verifier.documents.residence.card_type import (
    CardType,
    Generation,
    UnknownCardType,
    parse_card_type,
    parse_common_data,
)
from verifier.documents.residence.certificate import parse_card_certificate
from verifier.documents.residence.oddities import ResidenceOddity
from verifier.documents.residence.tlv import encode, encode_long, parse_one
from verifier.errors import MalformedData, UnsupportedLayout

SIG2 = encode(c.TAG_SIGNATURE_2, bytes(96)) + encode(c.TAG_CERTIFICATE_2, b"cert")
ENTRIES = b"".join(encode(tag, b"1" * size) for tag, size in c.PRINTED_RESIDENCE)
SPR_ENTRIES = b"".join(encode(tag, b"1" * size) for tag, size in c.PRINTED_SPR)


# --- card type ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("file", "card_type"), [
    (b"\xc1\x01\x31", CardType.RESIDENCE_1), (b"\xc1\x01\x32", CardType.SPR_1),
    (b"\xc1\x02\x30\x35", CardType.RESIDENCE_2), (b"\xc1\x02\x30\x36\x00\x00", CardType.SPR_2),
    (b"\xc1\x02\x30\x37", CardType.SPECIFIED_RESIDENCE),
    (b"\xc1\x02\x30\x38", CardType.SPECIFIED_SPR)])
def test_card_types(file: bytes, card_type: CardType) -> None:
    assert parse_card_type(file) is card_type
    assert card_type.supported is (card_type.code not in ("07", "08"))


@pytest.mark.parametrize("file", [b"", b"\xc1\x01\x33", b"\xc0\x01\x31", b"\xc1\x05\x31",
                                  b"\xc1\x02\x00\x05"])
def test_an_unknown_card_type_is_a_layout_not_evidence(file: bytes) -> None:
    with pytest.raises(UnknownCardType):
        parse_card_type(file)
    assert issubclass(UnknownCardType, UnsupportedLayout)


def test_common_data() -> None:
    assert parse_common_data(b"\xc0\x040002\x00\x00").version == "0002"


def test_two_byte_tags_and_long_lengths() -> None:
    item = parse_one(encode_long(c.TAG_ADDRESS_IMAGE, b"x" * 3))
    assert (item.tag, item.value) == (0xDFD1, b"xxx")
    assert parse_one(b"\xdf\xd1\x81\x02ab").value == b"ab"
    with pytest.raises(MalformedData):
        parse_one(b"\xd0\x83\x00\x00\x01a")  # 4-byte lengths are not this chip's


# --- the signature file ------------------------------------------------------------------------
def test_the_signature_file_with_its_padding() -> None:
    located = records.locate_signature_file(SIG2 + bytes(4), Generation.SECOND)
    assert (located.signature, located.certificate, located.oddities) == (bytes(96), b"cert", ())


@pytest.mark.parametrize("file", [
    encode(c.TAG_SIGNATURE_2, bytes(96)),  # no certificate
    encode(c.TAG_CERTIFICATE_2, b"cert"),  # no signature
    SIG2 + encode(c.TAG_SIGNATURE_2, bytes(96)),  # two signatures
    b"\xdc\x60" + bytes(10),  # a length past the end
    b"\x01\x02" + SIG2,  # not objects where they must be
    encode(c.TAG_SIGNATURE_1, bytes(256)) + encode(c.TAG_CERTIFICATE_1, b"c"),  # the other gen
])
def test_signed_bytes_missing_or_ambiguous_are_evidence(file: bytes) -> None:
    with pytest.raises(MalformedData):
        records.locate_signature_file(file, Generation.SECOND)


def test_unsigned_wrapping_is_an_oddity() -> None:
    filler = records.locate_signature_file(encode(c.TAG_SIGNATURE_2, bytes(96)) + b"\x00\x00"
                                           + encode(c.TAG_CERTIFICATE_2, b"cert"),
                                           Generation.SECOND)
    assert filler.oddities == (ResidenceOddity.FILLER,)
    trailing = records.locate_signature_file(SIG2 + encode(0xE0, b"x"), Generation.SECOND)
    assert trailing.oddities == (ResidenceOddity.TRAILING_OBJECT,)
    order = records.locate_signature_file(
        encode(c.TAG_CERTIFICATE_2, b"cert") + encode(c.TAG_SIGNATURE_2, bytes(96)),
        Generation.SECOND)
    assert order.oddities == (ResidenceOddity.ORDER,)
    tail = records.locate_signature_file(SIG2 + b"\x9f", Generation.SECOND)
    assert tail.oddities == (ResidenceOddity.UNPARSED_TAIL,)


# --- first-generation images -------------------------------------------------------------------
def test_first_generation_images_up_to_their_maxima() -> None:
    located = records.locate_front_and_photo(encode_long(c.TAG_NAME_IMAGE, b"F" * 7000),
                                             encode_long(c.TAG_PHOTO, b"P" * 3000) + bytes(4))
    assert (len(located.front_image), len(located.photo)) == (7000, 3000)


@pytest.mark.parametrize(("front", "photo"), [
    (encode_long(c.TAG_NAME_IMAGE, b"F" * 7001), encode(c.TAG_PHOTO, b"P")),
    (encode(c.TAG_NAME_IMAGE, b"F"), encode_long(c.TAG_PHOTO, b"P" * 3001)),
    (encode(c.TAG_PHOTO, b"F"), encode(c.TAG_PHOTO, b"P")),
    (encode(c.TAG_NAME_IMAGE, b"F") * 2, encode(c.TAG_PHOTO, b"P")),
])
def test_first_generation_images_no_genuine_card_holds(front: bytes, photo: bytes) -> None:
    with pytest.raises(MalformedData):
        records.locate_front_and_photo(front, photo)


# --- second-generation entries and images ------------------------------------------------------
def test_printed_entries_sizes() -> None:
    residence = records.locate_printed_entries(ENTRIES)
    assert residence.signed_part(CardType.RESIDENCE_2) == b"1" * 53
    spr = records.locate_printed_entries(SPR_ENTRIES)
    assert spr.signed_part(CardType.SPR_2) == b"1" * 34 + bytes(19)
    with pytest.raises(UnsupportedLayout):
        spr.signed_part(CardType.RESIDENCE_2)
    with pytest.raises(UnsupportedLayout):
        records.locate_printed_entries(ENTRIES + encode(0xCF, b"x")).signed_part(
            CardType.RESIDENCE_2)


@pytest.mark.parametrize("file", [b"", bytes(73), ENTRIES[:-3], ENTRIES + b"\x9f\x01"])
def test_printed_entries_that_cannot_be_told_are_evidence(file: bytes) -> None:
    with pytest.raises(MalformedData):
        records.locate_printed_entries(file)


def test_printed_entries_read_after_the_signature() -> None:
    file = b"".join(encode(tag, value) for tag, value in (
        (c.TAG_EXPIRY, b"20310630"), (c.TAG_BIRTH, b"19950412"), (c.TAG_SEX, b"1"),
        (c.TAG_NATIONALITY, b"VNM"), (c.TAG_STATUS, b"0000000012"),
        (c.TAG_PERIOD_OF_STAY, b"0500"), (c.TAG_PERMISSION_TYPE, b"01"),
        (c.TAG_PERMISSION_DATE, b"00000000"), (c.TAG_WORK_RESTRICTION, b"2"),
        (c.TAG_RESIDENCE_EXPIRY, b"20310630")))
    entries = records.read_printed_entries(records.locate_printed_entries(file))
    assert (entries.expiry.year, entries.birth.month, entries.nationality) == (2031, 4, "VNM")
    assert entries.permission_date is None  # a blank date is no date, not an error
    assert "VNM" not in repr(entries)


@pytest.mark.parametrize("file", [
    encode(c.TAG_EXPIRY, b"2031063X") + encode(c.TAG_BIRTH, b"19950412")
    + encode(c.TAG_SEX, b"1") + encode(c.TAG_NATIONALITY, b"VNM"),
    encode(c.TAG_EXPIRY, b"20310631") + encode(c.TAG_BIRTH, b"19950412")
    + encode(c.TAG_SEX, b"1") + encode(c.TAG_NATIONALITY, b"VNM"),
    encode(c.TAG_BIRTH, b"19950412") + encode(c.TAG_SEX, b"1") + encode(c.TAG_NATIONALITY, b"VNM"),
    ENTRIES + encode(c.TAG_SEX, b"2"),
    encode(c.TAG_EXPIRY, b"20310630") + encode(c.TAG_BIRTH, b"19950412")
    + encode(c.TAG_SEX, b"\xff") + encode(c.TAG_NATIONALITY, b"VNM"),
])
def test_signed_values_we_cannot_read_are_our_failure(file: bytes) -> None:
    with pytest.raises(UnsupportedLayout):
        records.read_printed_entries(records.locate_printed_entries(file))


def test_name_and_photo() -> None:
    file = encode_long(c.TAG_NAME_IMAGE, b"N" * 2500) + encode_long(c.TAG_PHOTO, b"P" * 3000)
    located = records.locate_name_and_photo(file + bytes(4))
    assert (located.name_image, located.photo) == (b"N" * 2500, b"P" * 3000)
    with pytest.raises(MalformedData):
        records.locate_name_and_photo(encode_long(c.TAG_NAME_IMAGE, b"N"))


def test_unsigned_files_are_never_evidence() -> None:
    assert records.read_card_number_file(encode(c.TAG_CARD_NUMBER, b"AB12345678CD") +
                                         bytes(2)).value == b"AB12345678CD"
    missing = records.read_address_image_file(b"")
    assert missing.value is None and ResidenceOddity.MISSING_UNSIGNED in missing.oddities
    junk = records.read_address_image_file(b"\xdf\xd1\x82\xff\xff")
    assert junk.value is None
    twice = records.read_address_image_file(encode(c.TAG_ADDRESS_IMAGE, b"a")
                                            + encode(c.TAG_ADDRESS_IMAGE, b"b"))
    assert twice.value is None and ResidenceOddity.DUPLICATE_UNSIGNED in twice.oddities
    back = records.read_back_entries([encode(0xD5, b"0"), b"\xd6\x05"])
    assert back.objects == ((0xD5, b"0"),)


# --- secure messaging answers ------------------------------------------------------------------
def test_sm_answers_that_cannot_be_opened() -> None:
    session = sm.Session(sm_crypto.Suite.AES, bytes(16))
    good = sm_crypto.aes_encrypt(bytes(16), sm_crypto.pad(b"hello", 16))
    assert sm.open_answer(session, encode(0x86, b"\x01" + good)).data == b"hello"
    for answer in (encode(0x87, b"\x01" + good), encode(0x86, b"\x02" + good),
                   encode(0x86, b"\x01" + good[:-1]), encode(0x86, b"\x01"),
                   encode(0x86, b"\x01" + sm_crypto.aes_encrypt(bytes(16), bytes(16))),
                   encode(0x86, b"\x01" + good) + encode(0x55, b"x"), b"\x86\x20"):
        with pytest.raises(sm.SmAnswerError):
            sm.open_answer(session, answer)


# --- random bytes ------------------------------------------------------------------------------
ALLOWED = (MalformedData, UnsupportedLayout)
files = st.one_of(st.binary(max_size=400),
                  st.lists(st.tuples(st.sampled_from([0xC5, 0xC6, 0xD0, 0xD1, 0xDA, 0xDB, 0xDC,
                                                      0xDD, 0xDFD1, 0xC1, 0x00]),
                                     st.binary(max_size=60)), max_size=6).map(
                      lambda items: b"".join(encode(tag, value) if tag else b"\x00" * len(value)
                                             for tag, value in items)))


@settings(max_examples=300, deadline=None)
@given(files)
def test_parsers_raise_only_their_own_errors(data: bytes) -> None:
    calls = [
        lambda: parse_card_type(data), lambda: parse_common_data(data),
        lambda: records.locate_signature_file(data, Generation.FIRST),
        lambda: records.locate_signature_file(data, Generation.SECOND),
        lambda: records.locate_front_and_photo(data, data),
        lambda: records.locate_name_and_photo(data),
        lambda: records.read_printed_entries(records.locate_printed_entries(data)),
        lambda: records.locate_printed_entries(data).signed_part(CardType.SPR_2),
        lambda: records.read_card_number_file(data),
        lambda: records.read_address_image_file(data),
        lambda: records.read_back_entries([data]),
        lambda: parse_card_certificate(data),
        lambda: parse_one(data),
    ]
    for call in calls:
        with contextlib.suppress(ALLOWED):
            call()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(list(sm_crypto.Suite)))
def test_sm_answers_raise_only_their_own_error(data: bytes, suite: sm_crypto.Suite) -> None:
    with contextlib.suppress(sm.SmAnswerError):
        sm.open_answer(sm.Session(suite, bytes(range(16))), data)

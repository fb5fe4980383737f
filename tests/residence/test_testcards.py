"""The simulated residence cards themselves: committed TEST-ONLY keys, the same bytes every
build, a card that behaves like the field (power, removal, a new one per insertion), the chip's
access rules, the printed faces, the images within the chip's limits, and the plug-in side."""

from __future__ import annotations

import io

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from PIL import Image

from apdu.errors import CardRemovedError, UnresponsiveCardError
from apdu.status import SW
from testcards import keystore
from testcards.profiles import PROFILES
from testcards.quirks import Quirks
from testcards.residence import authority, issuance, keys, render
from testcards.residence.builder import build_residence_card, printed
from testcards.residence.personas import RESIDENCE_PERSONAS
from testcards.residence.plugin import RESIDENCE_SOURCE, is_residence_profile
from testcards.residence.profiles import RESIDENCE_PROFILES
from tests.residence.conftest import seeded
from verifier.documents.residence import constants as c
from verifier.documents.residence import images
from verifier.documents.residence.card_number import CardNumber
from verifier.documents.residence.card_type import Generation
from verifier.documents.residence.reader import ResidenceReader


def send(card: object, hex_apdu: str) -> int:
    answer = card.transmit(bytes.fromhex(hex_apdu))  # type: ignore[attr-defined]
    return int.from_bytes(answer[-2:], "big")


def test_committed_keys_say_test_only_and_are_of_their_kind() -> None:
    pems = sorted(keys.KEY_DIR.glob("*.pem"))
    assert {path.name.removesuffix(keystore.KEY_SUFFIX) for path in pems} == set(keys.KEYS)
    publics = keys.committed_public_keys()
    assert len(set(publics.values())) == len(keys.KEYS)  # no key under two names
    ca_keys = {cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
               for cert in authority.simulated_ca_certificates()}
    assert ca_keys <= set(publics.values())


def test_the_same_bytes_every_build() -> None:
    profile, persona = RESIDENCE_PROFILES["residence-genuine-2"], RESIDENCE_PERSONAS[0]
    first = issuance.residence_chip(profile, persona)
    for cached in (issuance.residence_chip, issuance.second_generation_images,
                   authority.card_certificate, authority.ca_certificate):
        cached.cache_clear()
    assert issuance.residence_chip(profile, persona) == first


def test_profile_names_do_not_clash_with_the_my_number_ones() -> None:
    assert not set(RESIDENCE_PROFILES) & set(PROFILES)
    assert all(is_residence_profile(name) for name in RESIDENCE_PROFILES)
    assert not is_residence_profile("genuine")


def test_a_new_card_per_insertion() -> None:
    first = build_residence_card("residence-genuine-2")
    ResidenceReader(first, random=seeded()).recognise()
    reader = ResidenceReader(first, random=seeded())
    reader.recognise()
    reader.open(first.card_number)
    second = build_residence_card("residence-genuine-2")
    assert first.number_verified and not second.number_verified
    assert second.exchanges == 0 and second.verify_count == 0


def test_power_and_removal_as_in_the_field() -> None:
    card = build_residence_card("residence-genuine-1")
    reader = ResidenceReader(card, random=seeded())
    reader.recognise()
    reader.open(card.card_number)
    card.warm_reset()
    assert card.number_verified  # the session lives as long as power does
    card.power_down()
    with pytest.raises(UnresponsiveCardError):
        card.transmit(bytes.fromhex("00A4000C023F00"))
    card.power_up()
    assert not card.number_verified
    card.remove()
    with pytest.raises(CardRemovedError):
        card.transmit(bytes.fromhex("00A4000C023F00"))
    assert card.events == ["warm_reset", "power_down", "power_up", "removed"]


def test_tear_after_and_the_atrs() -> None:
    card = build_residence_card("residence-genuine-2", quirks=Quirks(tear_after=1))
    send(card, "00A4000C023F00")
    with pytest.raises(CardRemovedError):
        send(card, "00B08A0000")
    assert build_residence_card(quirks=Quirks(contactless=True)).atr[:2] == b"\x3b\x88"
    assert build_residence_card(quirks=Quirks(t0=True)).protocol_name == "T0"


def test_the_chips_access_rules() -> None:
    card = build_residence_card("residence-genuine-2")
    assert send(card, "00A4040C10" + c.AID_DF1.hex()) == SW.OK
    assert send(card, "08B0840000000496020000" + "0000") == SW.SECURITY_NOT_SATISFIED
    assert send(card, "00B0840000") == SW.SECURITY_NOT_SATISFIED
    # MUTUAL AUTHENTICATE needs a challenge just before it
    assert send(card, "0082000028" + "00" * 40 + "00") == SW.CONDITIONS_NOT_SATISFIED
    reader = ResidenceReader(card, random=seeded())
    reader.recognise()
    reader.open(card.card_number)
    assert send(card, "00A4040C10" + c.AID_DF1.hex()) == SW.OK
    assert send(card, "00B0840000") == SW.SECURITY_NOT_SATISFIED  # DF1 only under SM
    assert send(card, "00A4040C10" + c.AID_DF3.hex()) == SW.OK
    assert send(card, "00B0820000") in (SW.OK, SW.END_OF_FILE)


def test_the_blank_chip_and_the_specified_card() -> None:
    blank = build_residence_card("residence-blank-chip")
    assert send(blank, "00A4000C023F00") == SW.OK
    assert send(blank, "00B08A0000") == SW.FILE_NOT_FOUND
    assert send(blank, "00A4040C10" + c.AID_DF1.hex()) == SW.FILE_NOT_FOUND
    specified = build_residence_card("residence-specified")
    assert specified.transmit(bytes.fromhex("00B08A0000"))[:4] == b"\xc1\x02\x30\x37"
    assert send(specified, "00A4040C10" + c.AID_DF1.hex()) == SW.FILE_NOT_FOUND


@pytest.mark.parametrize("name", list(RESIDENCE_PROFILES))
def test_every_profile_prints_a_card_with_its_number(name: str) -> None:
    for persona in range(len(RESIDENCE_PERSONAS)):
        face = printed(name, persona)
        assert isinstance(face.card_number, CardNumber)
        assert face.card_type is RESIDENCE_PROFILES[name].card_type
        assert (face.status is None) is face.card_type.is_spr
        assert "invented" in repr(face) and face.name not in repr(face)


def test_personas_have_distinct_numbers() -> None:
    numbers = [persona.number for persona in RESIDENCE_PERSONAS]
    assert len(set(numbers)) == len(numbers)


def test_the_plug_in_source() -> None:
    source = RESIDENCE_SOURCE
    assert list(source.profiles) == list(RESIDENCE_PROFILES)
    assert source.persona_count == len(RESIDENCE_PERSONAS)
    for bad in (dict(profile="genuine", persona=0, quirks=""),
                dict(profile="residence-genuine-1", persona=99, quirks=""),
                dict(profile="residence-genuine-1", persona=0, quirks="sideways")):
        with pytest.raises(ValueError):
            source.check(**bad)  # type: ignore[arg-type]
    card, number = source.open("residence-genuine-1", persona=1, quirks="no-extended")
    reader = ResidenceReader(card)
    reader.recognise()
    reader.open(number)
    assert source.printed("residence-genuine-1", persona=1).card_number == number
    assert source.describe("residence-blank-chip").startswith("a printed")
    assert source.persona_key(1) == "santos"


@pytest.mark.parametrize("persona", RESIDENCE_PERSONAS, ids=lambda p: p.key)
def test_the_images_fit_the_chip_and_decode(persona: object) -> None:
    from testcards.residence.personas import ResidencePersona

    assert isinstance(persona, ResidencePersona)
    for card_type in RESIDENCE_PROFILES["residence-genuine-1"].card_type, \
            RESIDENCE_PROFILES["residence-spr-genuine-1"].card_type:
        front, photo = issuance.first_generation_images(persona, card_type)
        assert len(front) <= c.FRONT_IMAGE_SIGNED_BYTES and len(photo) <= c.PHOTO_MAX
        with Image.open(io.BytesIO(front)) as image:
            assert image.info.get("compression") == "group4"
        assert images.decode_tiff(front)[:4] == b"\x89PNG"
        assert images.decode_photo(photo)[:4] == b"\x89PNG"
    name, photo, address = issuance.second_generation_images(persona)
    assert len(name) <= c.NAME_IMAGE_MAX_2 and len(address) <= c.NAME_IMAGE_MAX_2
    assert images.decode_tiff(address)[:4] == b"\x89PNG"


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_images_no_genuine_card_holds_are_refused() -> None:
    from verifier.errors import MalformedData

    for junk in (b"", b"II*\x00junk", render.photo("x")):
        with pytest.raises(MalformedData):
            images.decode_tiff(junk)
    with pytest.raises(MalformedData):
        images.decode_photo(b"\x00" * 3001)


def test_simulated_ca_certificates_of_both_generations() -> None:
    certificates = authority.simulated_ca_certificates()
    assert [authority.ca_certificate(g) for g in Generation] == certificates
    assert authority.simulated_ca_pem().count(b"BEGIN CERTIFICATE") == 2
    assert all("simulated" in cert.subject.rfc4514_string() for cert in certificates)

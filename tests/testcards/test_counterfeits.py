"""Each profile differs from the genuine card exactly where its counterfeit should, and nowhere
else; personas build the code B the spec describes."""

from __future__ import annotations

from datetime import date

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

import testcards
from testcards import builder, keystore
from testcards.cardos import ChipSpec
from testcards.errors import UnknownPersonaError, UnknownProfileError
from testcards.profiles import Profile
from verifier.card.tlv import parse_all, parse_one
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.check_ids import CheckId
from verifier.engine.verdict import Verdict

CF_FACE = (p.AID_CARD_FACE, p.EF_CF_FACE)
CF_CERT = (p.AID_CARD_FACE, p.EF_CF_CERTIFICATE)
TX_BASIC = (p.AID_TEXT, p.EF_TX_BASIC_FOUR)
TX_INTEGRITY = (p.AID_TEXT, p.EF_TX_INTEGRITY)
TX_CERT = (p.AID_TEXT, p.EF_TX_CERTIFICATE)
PERSONA = testcards.PERSONAS[0]


def chip(profile: str) -> ChipSpec:
    return builder.chip_spec(profile, PERSONA)


def files(profile: str) -> dict[tuple[bytes, int], bytes]:
    return {(app.aid, f.fid): f.data for app in chip(profile).apps for f in app.files}


def changed_files(profile: str) -> set[tuple[bytes, int]]:
    genuine, other = files("genuine"), files(profile)
    assert set(genuine) == set(other)
    return {ref for ref in genuine if genuine[ref] != other[ref]}


def face(profile: str) -> dict[int, bytes]:
    outer = parse_one(files(profile)[CF_FACE])
    return {item.tag: item.value for item in parse_all(outer.value)}


def text(profile: str) -> dict[int, bytes]:
    outer = parse_one(files(profile)[TX_BASIC])
    return {item.tag: item.value for item in parse_all(outer.value)}


def cert_body(data: bytes) -> tuple[bytes, bytes]:
    body, signature = parse_all(parse_one(data).value)
    return body.value, signature.value


def signs(key: rsa.RSAPublicKey, signature: bytes, message: bytes) -> bool:
    try:
        key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def key_secret(profile: str, aid: bytes, fid: int) -> bytes:
    app = next(a for a in chip(profile).apps if a.aid == aid)
    return next(k.secret for k in app.keys if k.fid == fid)


def test_profile_table() -> None:
    assert list(testcards.PROFILES) == [
        "genuine", "blank-chip", "yes-card", "forged-issuer", "unknown-issuer", "tampered-photo",
        "tampered-birth", "cloned", "expired", "low-retries", "locked", "text-mismatch",
        "text-tampered"]
    genuine = testcards.PROFILES["genuine"]
    assert (genuine.expected, genuine.failing_check) == (Verdict.GENUINE, None)
    assert testcards.PROFILES["cloned"].failing_check is CheckId.CHIP_AUTHENTIC
    assert all(profile.name == name for name, profile in testcards.PROFILES.items())


def test_unknown_names() -> None:
    with pytest.raises(KeyError) as error:
        testcards.build_card("no-such")
    assert isinstance(error.value, UnknownProfileError)
    assert "genuine" in str(error.value) and "text-tampered" in str(error.value)
    with pytest.raises(UnknownPersonaError):
        testcards.build_card("genuine", persona=len(testcards.PERSONAS))


def test_blank_chip_and_yes_card() -> None:
    assert chip("blank-chip").apps == ()
    assert chip("yes-card").yes_card


def test_files_identical_where_nothing_was_forged() -> None:
    for profile in ("cloned", "low-retries", "locked"):
        assert changed_files(profile) == set()
    card_face = next(a for a in chip("cloned").apps if a.aid == p.AID_CARD_FACE)
    assert card_face.signing_key == keystore.CLONED_CHIP
    assert face("cloned")[p.TAG_FACE_CARD_KEY] == face("genuine")[p.TAG_FACE_CARD_KEY]


@pytest.mark.parametrize(("profile", "number"), [("forged-issuer", b"5000023"),
                                                 ("unknown-issuer", b"7000023")])
def test_other_issuers(profile: str, number: bytes) -> None:
    assert changed_files(profile) == {CF_CERT, TX_CERT}
    genuine_body, _ = cert_body(files("genuine")[CF_CERT])
    body, signature = cert_body(files(profile)[CF_CERT])
    assert body[:7] == number and body[7:16] == genuine_body[7:16]
    assert body[16:] == genuine_body[16:]  # the same certified key: consistent otherwise
    assert not signs(keystore.public_key(keystore.CA_CARD_FACE), signature, body)
    assert signs(keystore.public_key(keystore.FORGER_CA), signature, body)
    text_body, _ = cert_body(files(profile)[TX_CERT])
    assert text_body[:7] == number[:5] + b"33"


def test_tampered_photo() -> None:
    assert changed_files("tampered-photo") == {CF_FACE}
    genuine, tampered = face("genuine"), face("tampered-photo")
    assert {tag for tag in genuine if genuine[tag] != tampered[tag]} == {p.TAG_FACE_PHOTO_JP2}
    assert len(genuine[p.TAG_FACE_PHOTO_JP2]) == len(tampered[p.TAG_FACE_PHOTO_JP2])


def test_tampered_birth() -> None:
    assert changed_files("tampered-birth") == {CF_FACE}
    genuine, tampered = face("genuine"), face("tampered-birth")
    assert {tag for tag in genuine if genuine[tag] != tampered[tag]} == {p.TAG_FACE_BIRTH}
    assert tampered[p.TAG_FACE_BIRTH] == b"19770217"
    card = testcards.build_card("tampered-birth")
    assert card.code_b.digits == "52021720352285"  # 昭和52: the code typed from the altered face
    assert key_secret("tampered-birth", p.AID_CARD_FACE, p.EF_CF_KEY_CODE_B) == \
        card.code_b.to_bytes()


def test_expired() -> None:
    assert changed_files("expired") == {CF_FACE}
    genuine, expired = face("genuine"), face("expired")
    assert {tag for tag in genuine if genuine[tag] != expired[tag]} == {p.TAG_FACE_EXPIRY}
    assert expired[p.TAG_FACE_EXPIRY] == b"20240217"
    assert testcards.build_card("expired").code_b.digits == "55021720242285"


def test_text_mismatch_is_validly_signed() -> None:
    assert changed_files("text-mismatch") == {TX_BASIC, TX_INTEGRITY}
    genuine, other = text("genuine"), text("text-mismatch")
    assert {tag for tag in genuine if genuine[tag] != other[tag]} == {p.TAG_TX_BIRTH}
    assert other[p.TAG_TX_BIRTH] == b"19800218"
    h1, h2, signature = parse_all(parse_one(files("text-mismatch")[TX_INTEGRITY]).value)
    assert signs(keystore.public_key(keystore.SIGNER_TEXT), signature.value, h1.raw + h2.raw)


def test_text_tampered() -> None:
    assert changed_files("text-tampered") == {TX_BASIC}
    genuine, other = text("genuine"), text("text-tampered")
    assert {tag for tag in genuine if genuine[tag] != other[tag]} == {p.TAG_TX_NAME}


@pytest.mark.parametrize(("profile", "tries", "status"), [("low-retries", 2, 0x63C2),
                                                          ("locked", 0, 0x6984)])
def test_counters(profile: str, tries: int, status: int) -> None:
    card = testcards.build_card(profile)
    assert card.tries_left("card_face_b") == tries
    assert card.tries_left("text_b") == 10
    card.transmit(bytes.fromhex("00A4040C0A") + p.AID_CARD_FACE)
    answer = card.transmit(bytes.fromhex("00200092"))
    assert int.from_bytes(answer[-2:], "big") == status


# --- personas ---------------------------------------------------------------------------------
def test_default_persona_is_the_spec_example() -> None:
    assert (PERSONA.birth, PERSONA.expiry.year, PERSONA.security_code) == \
        (date(1980, 2, 17), 2035, "2285")
    assert PERSONA.code_b.digits == "55021720352285"
    assert testcards.build_card().code_b == PERSONA.code_b


def test_personas_cover_the_eras() -> None:
    codes = {person.key: person.code_b.digits for person in testcards.PERSONAS}
    assert codes["heisei-first-day"][:6] == "010108"  # 平成元年1月8日
    assert codes["showa-last-day"][:6] == "640107"  # 昭和64年1月7日
    assert codes["reiwa"][:6] == "030630"  # 令和3年
    assert codes["foreign"][:6] == "750809"  # Gregorian, as printed (an assumption)
    assert all(2030 <= person.expiry.year <= 2039 for person in testcards.PERSONAS)
    assert len({person.key for person in testcards.PERSONAS}) == len(testcards.PERSONAS)
    assert sum(person.foreign for person in testcards.PERSONAS) == 1


def test_a_made_up_persona_gets_the_spare_chip_key() -> None:
    other = testcards.Persona(key="made-up", name="臨時 三郎", address="京都府京都市見本区一丁目",
                              birth=date(2019, 5, 1), sex="1", expiry=date(2034, 5, 1),
                              security_code="1111")
    card = testcards.build_card_for(other, profile="genuine")
    assert card.code_b.digits == "01050120341111"  # 令和元年5月1日
    content = builder.chip_spec("genuine", other).apps[0].files[1].data
    spare = keystore.public_key(keystore.SPARE_CHIP).public_numbers().n.to_bytes(256, "big")
    assert spare in content


def test_a_new_counterfeit_is_one_table_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    # Variations combine without code: an expired card whose files were copied to another chip.
    combined = Profile("expired-clone", Verdict.INVALID_CARD, CheckId.CARD_NOT_EXPIRED,
                       "an expired card copied to another chip", expiry_year=2024, cloned=True)
    monkeypatch.setitem(testcards.PROFILES, combined.name, combined)
    # The caches are keyed by name: nothing of the made-up profile may outlive this test.
    monkeypatch.setattr(builder, "chip_spec", builder.chip_spec.__wrapped__)
    monkeypatch.setattr(builder, "printed_persona", builder.printed_persona.__wrapped__)
    card_face = next(a for a in chip("expired-clone").apps if a.aid == p.AID_CARD_FACE)
    assert card_face.signing_key == keystore.CLONED_CHIP
    assert face("expired-clone")[p.TAG_FACE_EXPIRY] == b"20240217"
    assert testcards.build_card("expired-clone").code_b.digits == "55021720242285"


def test_printed_face_follows_the_table() -> None:
    for name, profile in testcards.PROFILES.items():
        printed = testcards.printed_persona(name, PERSONA)
        assert (printed.birth.year - PERSONA.birth.year) == profile.printed_birth_shift_years
        assert printed.expiry.year == (profile.expiry_year or PERSONA.expiry.year)

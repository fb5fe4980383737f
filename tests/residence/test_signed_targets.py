"""The signed targets byte for byte, built here from the spec's formula (spec 4) straight from
the chip's files — not through the verifier's records — and held against what the verifier
builds and against the simulated Agency's signature under the certified key."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

from testcards.residence import authority, issuance, keys
from testcards.residence.authority import Issuer
from testcards.residence.personas import RESIDENCE_PERSONAS
from testcards.residence.profiles import RESIDENCE_PROFILES
from verifier.documents.residence import constants as c
from verifier.documents.residence import records, signature
from verifier.documents.residence.card_type import CardType, Generation
from verifier.documents.residence.certificate import CardCertificate, parse_card_certificate
from verifier.documents.residence.oddities import ResidenceOddity


def files(profile: str) -> dict[tuple[bytes, int], bytes]:
    chip = issuance.residence_chip(RESIDENCE_PROFILES[profile], RESIDENCE_PERSONAS[0])
    return {(df.aid, ef.sfi): ef.data for df in chip.dfs for ef in df.files}


def value(data: bytes, offset: int) -> tuple[int, bytes, int]:
    """(tag, value, end) of the object at `offset`, read by hand: tag of 1 or 2 bytes (2 when
    the first's low five bits are all set), length xx / 81 xx / 82 xx xx."""
    tag = data[offset]
    pos = offset + 1
    if tag & 0x1F == 0x1F:
        tag = tag << 8 | data[pos]
        pos += 1
    length = data[pos]
    pos += 1
    if length == 0x81:
        length, pos = data[pos], pos + 1
    elif length == 0x82:
        length, pos = int.from_bytes(data[pos:pos + 2], "big"), pos + 2
    return tag, data[pos:pos + length], pos + length


def objects(data: bytes) -> list[tuple[int, bytes]]:
    found, pos = [], 0
    while pos < len(data) and data[pos] not in (0x00, 0xFF):
        tag, content, pos = value(data, pos)
        found.append((tag, content))
    return found


def certified_key(certificate_value: bytes) -> object:
    end = 4 + int.from_bytes(certificate_value[2:4], "big")  # 30 82 LL LL
    return x509.load_der_x509_certificate(certificate_value[:end]).public_key()


@pytest.mark.parametrize("profile", ["residence-genuine-1", "residence-spr-genuine-1"])
def test_first_generation_target(profile: str) -> None:
    chip = files(profile)
    (_, front), = objects(chip[(c.AID_DF1, c.SFI1_FRONT_IMAGE)])
    (_, photo), = objects(chip[(c.AID_DF1, c.SFI1_PHOTO)])
    target = front + b"\x00" * (7000 - len(front)) + photo + b"\x00" * (3000 - len(photo))
    assert len(target) == 10_000
    located = records.locate_front_and_photo(chip[(c.AID_DF1, c.SFI1_FRONT_IMAGE)],
                                             chip[(c.AID_DF1, c.SFI1_PHOTO)])
    assert signature.first_generation_target(located) == target
    sig = dict(objects(chip[(c.AID_DF3, c.SFI1_SIGNATURE)]))
    key = certified_key(sig[0xDB])
    assert isinstance(key, rsa.RSAPublicKey) and key.key_size == 2048
    assert len(sig[0xDA]) == 256
    key.verify(sig[0xDA], target, padding.PKCS1v15(), hashes.SHA256())


@pytest.mark.parametrize(("profile", "size"), [("residence-genuine-2", 53),
                                               ("residence-spr-genuine-2", 34)])
def test_second_generation_target(profile: str, size: int) -> None:
    chip = files(profile)
    entries = objects(chip[(c.AID_DF1, c.SFI2_PRINTED_ENTRIES)])
    values = b"".join(content for _, content in entries)
    assert len(values) == size
    images = dict(objects(chip[(c.AID_DF1, c.SFI2_IMAGES)]))
    target = values + b"\x00" * (53 - size) + images[0xD1] + images[0xD0]
    located_entries = records.locate_printed_entries(chip[(c.AID_DF1, c.SFI2_PRINTED_ENTRIES)])
    located_images = records.locate_name_and_photo(chip[(c.AID_DF1, c.SFI2_IMAGES)])
    card_type = RESIDENCE_PROFILES[profile].card_type
    assert signature.second_generation_target(located_entries.signed_part(card_type),
                                              located_images) == target
    sig = dict(objects(chip[(c.AID_DF3, c.SFI2_SIGNATURE)]))
    assert len(sig[0xDC]) == 96
    key = certified_key(sig[0xDD])
    assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp384r1"
    der = utils.encode_dss_signature(int.from_bytes(sig[0xDC][:48], "big"),
                                     int.from_bytes(sig[0xDC][48:], "big"))
    key.verify(der, target, ec.ECDSA(hashes.SHA256()))


def test_the_address_image_is_outside_the_signed_target() -> None:
    chip = files("residence-genuine-2")
    (tag, address), = objects(chip[(c.AID_DF1, c.SFI2_ADDRESS_IMAGE)])
    assert tag == 0xDFD1
    entries = records.locate_printed_entries(chip[(c.AID_DF1, c.SFI2_PRINTED_ENTRIES)])
    images = records.locate_name_and_photo(chip[(c.AID_DF1, c.SFI2_IMAGES)])
    target = signature.second_generation_target(entries.signed_part(CardType.RESIDENCE_2),
                                                images)
    assert address not in target


def test_the_other_readings_padded_target() -> None:
    entries = records.PrintedEntriesFile((), ())
    images = records.NameAndPhoto(b"N" * 10, b"P" * 20, ())
    printed = b"E" * 53
    padded = signature.second_generation_target(printed, images, signature.TargetForm.PADDED)
    assert padded == printed + b"P" * 20 + bytes(2980) + b"N" * 10 + bytes(2490)
    assert entries.values == b""


def _second_generation_parts() -> tuple[CardCertificate, records.PrintedEntriesFile,
                                         records.NameAndPhoto]:
    chip = files("residence-genuine-2")
    certificate = parse_card_certificate(authority.card_certificate(Generation.SECOND,
                                                                    Issuer.SIMULATED))
    return (certificate, records.locate_printed_entries(chip[(c.AID_DF1,
                                                              c.SFI2_PRINTED_ENTRIES)]),
            records.locate_name_and_photo(chip[(c.AID_DF1, c.SFI2_IMAGES)]))


def _signer() -> ec.EllipticCurvePrivateKey:
    key = keys.private_key(keys.SIGNER_2)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


def test_the_other_readings_padded_target_verifies_with_an_oddity() -> None:
    certificate, entries, images = _second_generation_parts()
    printed = entries.signed_part(CardType.RESIDENCE_2)
    padded = signature.second_generation_target(printed, images, signature.TargetForm.PADDED)
    der = _signer().sign(padded, ec.ECDSA(hashes.SHA256()))
    r, s = utils.decode_dss_signature(der)
    signed = records.SignatureFile(Generation.SECOND,
                                   r.to_bytes(48, "big") + s.to_bytes(48, "big"), b"", ())
    finding = signature.verify_second_generation(certificate, signed, entries, images,
                                                 CardType.RESIDENCE_2)
    assert finding.valid and finding.oddities == (ResidenceOddity.SIGNED_TARGET_PADDED,)


def test_a_der_signature_verifies_with_an_oddity_and_junk_is_not_read() -> None:
    certificate, entries, images = _second_generation_parts()
    target = signature.second_generation_target(entries.signed_part(CardType.RESIDENCE_2),
                                                images)
    der = _signer().sign(target, ec.ECDSA(hashes.SHA256()))
    for value, status, oddities in (
            (der, signature.SignatureStatus.VALID, (ResidenceOddity.SIGNATURE_DER,)),
            (der + bytes(3), signature.SignatureStatus.VALID, (ResidenceOddity.SIGNATURE_DER,)),
            (bytes(95), signature.SignatureStatus.UNSUPPORTED, ()),
            (bytes(96), signature.SignatureStatus.INVALID, ())):
        signed = records.SignatureFile(Generation.SECOND, value, b"", ())
        finding = signature.verify_second_generation(
            certificate, signed, entries, images, CardType.RESIDENCE_2)
        assert (finding.status, finding.oddities) == (status, oddities)

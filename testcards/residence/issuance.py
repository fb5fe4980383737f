"""Issuing a simulated residence chip: a persona's data laid out in the files of its card type
(../shared/docs/residence-card-spec.md 2), signed as the spec says (4), then changed as the
profile's counterfeit needs. Pure functions over immutable values, cached: a chip's bytes are
built once per process, the same every run.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache

from testcards.residence import authority, render
from testcards.residence.cardos import Access, DfSpec, EfSpec, ResidenceChip
from testcards.residence.personas import ResidencePersona
from testcards.residence.profiles import Chip, Edit, ResidenceProfile
from verifier.documents.residence import constants as c
from verifier.documents.residence.card_type import CardType, Generation
from verifier.documents.residence.tlv import encode, encode_long

SPEC_VERSION_1 = b"0001"
SPEC_VERSION_2 = b"0002"
#: Physical file sizes (the other reading's capacities); the objects are followed by 00.
IMAGES_FILE_2 = 5508
ADDRESS_FILE_2 = 2505
SIGNATURE_FILE_2 = 704
CARD_NUMBER_FILE_2 = 14
FRONT_FILE_1 = c.FRONT_IMAGE_SIGNED_BYTES + 4
PHOTO_FILE_1 = c.PHOTO_SIGNED_BYTES + 4
CERTIFICATE_FIELD_1 = 1200  # DB: the certificate, 00-padded to the field's size
PERMISSION_DATE = date(2024, 4, 1)
ISSUE_DATE = date(2024, 4, 10)
SEX_PRINTED = {"1": "男", "2": "女", "3": "-"}


def _padded(data: bytes, size: int) -> bytes:
    return data.ljust(size, b"\x00")


def _flip(data: bytes) -> bytes:
    """One byte in the last quarter changed, the length kept."""
    at = len(data) * 3 // 4
    return data[:at] + bytes((data[at] ^ 0x5A,)) + data[at + 1:]


def _ymd(day: date) -> bytes:
    return day.strftime("%Y%m%d").encode("ascii")


def _ja(day: date) -> str:
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


def mf_files(card_type: CardType) -> tuple[EfSpec, ...]:
    version = SPEC_VERSION_1 if card_type.generation is Generation.FIRST else SPEC_VERSION_2
    return (EfSpec(c.SFI_MF_COMMON, c.FID_MF_COMMON, encode(c.TAG_COMMON_DATA, version),
                   Access.FREE),
            EfSpec(c.SFI_MF_CARD_TYPE, c.FID_MF_CARD_TYPE,
                   encode(c.TAG_CARD_TYPE, card_type.value), Access.FREE))


def _back_file(persona: ResidencePersona, *, first: bool) -> EfSpec:
    """DF2: one file of entries added after issue (a change of address, unsigned)."""
    if first:  # write date, municipality code, address (JIS X 0208, as cp932)
        data = (encode(0xD2, b"20250401") + encode(0xD3, b"131041")
                + encode(0xD4, persona.address.encode("cp932")))
    else:  # no permission, no application, no note
        data = encode(0xD5, b"0") + encode(0xD6, b"") + encode(0xD7, b"0")
    return EfSpec(0x01, 0x0001, data, Access.NUMBER)


# --- first generation ---------------------------------------------------------------------------
def front_lines(persona: ResidencePersona, card_type: CardType) -> tuple[str, list[str]]:
    """The title and lines printed on the front (what the chip's front image shows)."""
    person = [f"氏名 {persona.name}",
              f"生年月日 {_ja(persona.birth)}  性別 {SEX_PRINTED.get(persona.sex, '-')}  "
              f"国籍・地域 {persona.nationality_printed}",
              f"住居地 {persona.address}"]
    if card_type.is_spr:
        return "特別永住者証明書", [*person, f"有効期間の満了日 {_ja(persona.expiry)}",
                                  f"番号 {persona.card_number}"]
    return "在留カード", [*person, f"在留資格 {persona.status}",
                         f"在留期間（満了日） {persona.period[:2].lstrip('0') or '無期限'}年"
                         f"（{_ja(persona.expiry)}）",
                         f"許可年月日 {_ja(PERMISSION_DATE)}  交付年月日 {_ja(ISSUE_DATE)}",
                         f"このカードは {_ja(persona.expiry)} まで有効です。",
                         f"番号 {persona.card_number}"]


@lru_cache(maxsize=32)
def first_generation_images(persona: ResidencePersona, card_type: CardType) -> tuple[bytes, bytes]:
    title, lines = front_lines(persona, card_type)
    return render.front_image(lines, title=title, seed=persona.key), render.photo(persona.key)


def _first_generation(profile: ResidenceProfile, persona: ResidencePersona) -> ResidenceChip:
    front, photo = first_generation_images(persona, profile.card_type)
    target = (front.ljust(c.FRONT_IMAGE_SIGNED_BYTES, b"\x00")
              + photo.ljust(c.PHOTO_SIGNED_BYTES, b"\x00"))
    signature = authority.sign_first_generation(target, profile.issuer)
    if profile.edit is Edit.FLIP_PHOTO:
        photo = _flip(photo)
    certificate = authority.card_certificate(Generation.FIRST, profile.issuer)
    df1 = DfSpec(c.AID_DF1, (
        EfSpec(c.SFI1_FRONT_IMAGE, c.FID1_FRONT_IMAGE,
               _padded(encode_long(c.TAG_NAME_IMAGE, front), FRONT_FILE_1), Access.NUMBER_SM),
        EfSpec(c.SFI1_PHOTO, c.FID1_PHOTO, _padded(encode_long(c.TAG_PHOTO, photo),
                                                   PHOTO_FILE_1), Access.NUMBER_SM)))
    df3 = DfSpec(c.AID_DF3, (EfSpec(
        c.SFI1_SIGNATURE, c.FID1_SIGNATURE,
        encode(c.TAG_SIGNATURE_1, signature)
        + encode(c.TAG_CERTIFICATE_1, _padded(certificate, CERTIFICATE_FIELD_1)),
        Access.NUMBER),))
    df2 = DfSpec(c.AID_DF2, (_back_file(persona, first=True),))
    return ResidenceChip(mf_files(profile.card_type), (df1, df2, df3),
                         persona.card_number.encode("ascii"), aes=False)


# --- second generation --------------------------------------------------------------------------
def printed_entries(persona: ResidencePersona, card_type: CardType) -> list[tuple[int, bytes]]:
    """C5..CE as (tag, value): 53 bytes of values (34 on an SPR certificate)."""
    values = {c.TAG_EXPIRY: _ymd(persona.expiry), c.TAG_BIRTH: _ymd(persona.birth),
              c.TAG_SEX: persona.sex.encode(), c.TAG_NATIONALITY: persona.nationality.encode(),
              c.TAG_STATUS: persona.status_code.encode(),
              c.TAG_PERIOD_OF_STAY: persona.period.encode(), c.TAG_PERMISSION_TYPE: b"01",
              c.TAG_PERMISSION_DATE: _ymd(PERMISSION_DATE),
              c.TAG_WORK_RESTRICTION: persona.work_restriction.encode(),
              c.TAG_RESIDENCE_EXPIRY: _ymd(persona.expiry)}
    layout = c.PRINTED_SPR if card_type.is_spr else c.PRINTED_RESIDENCE
    entries = [(tag, values[tag]) for tag, _ in layout]
    for (tag, size), (_, value) in zip(layout, entries, strict=True):
        if len(value) != size:
            raise ValueError(f"entry {tag:X} of {len(value)} bytes, the chip's is {size}")
    return entries


def _extend_expiry(entries: list[tuple[int, bytes]]) -> list[tuple[int, bytes]]:
    def later(value: bytes) -> bytes:
        return b"%04d" % (int(value[:4]) + 5) + value[4:]

    return [(tag, later(value) if tag == c.TAG_EXPIRY else value) for tag, value in entries]


@lru_cache(maxsize=32)
def second_generation_images(persona: ResidencePersona) -> tuple[bytes, bytes, bytes]:
    """(name image, photo, address image)."""
    return (render.name_image(persona.name), render.photo(persona.key),
            render.address_image(persona.address))


def _second_generation(profile: ResidenceProfile, persona: ResidencePersona) -> ResidenceChip:
    name, photo, address = second_generation_images(persona)
    entries = printed_entries(persona, profile.card_type)
    values = b"".join(value for _, value in entries).ljust(c.PRINTED_SIGNED_BYTES, b"\x00")
    signature = authority.sign_second_generation(values + photo + name, profile.issuer)
    if profile.edit is Edit.FLIP_PHOTO:
        photo = _flip(photo)
    if profile.edit is Edit.EXTEND_EXPIRY:
        entries = _extend_expiry(entries)
    certificate = authority.card_certificate(Generation.SECOND, profile.issuer)
    signature_file = (encode(c.TAG_SIGNATURE_2, signature)
                      + encode(c.TAG_CERTIFICATE_2, certificate))
    df1 = DfSpec(c.AID_DF1, (
        EfSpec(c.SFI2_CARD_NUMBER, c.FID2_CARD_NUMBER, _padded(encode(
            c.TAG_CARD_NUMBER, persona.card_number.encode("ascii")), CARD_NUMBER_FILE_2),
            Access.NUMBER_SM),
        EfSpec(c.SFI2_PRINTED_ENTRIES, c.FID2_PRINTED_ENTRIES,
               b"".join(encode(tag, value) for tag, value in entries), Access.NUMBER_SM),
        EfSpec(c.SFI2_IMAGES, c.FID2_IMAGES, _padded(
            encode_long(c.TAG_NAME_IMAGE, name) + encode_long(c.TAG_PHOTO, photo),
            IMAGES_FILE_2), Access.NUMBER_SM),
        EfSpec(c.SFI2_ADDRESS_IMAGE, c.FID2_ADDRESS_IMAGE,
               _padded(encode_long(c.TAG_ADDRESS_IMAGE, address), ADDRESS_FILE_2),
               Access.NUMBER_SM)))
    df2 = DfSpec(c.AID_DF2, (_back_file(persona, first=False),))
    df3 = DfSpec(c.AID_DF3, (EfSpec(c.SFI2_SIGNATURE, c.FID2_SIGNATURE,
                                    _padded(signature_file, SIGNATURE_FILE_2), Access.NUMBER),))
    return ResidenceChip(mf_files(profile.card_type), (df1, df2, df3),
                         persona.card_number.encode("ascii"), aes=True)


def issued_persona(profile: ResidenceProfile, persona: ResidencePersona) -> ResidencePersona:
    """The persona as the issuer wrote it (the profile may fix the expiry)."""
    return persona if profile.expiry is None else replace(persona, expiry=profile.expiry)


@lru_cache(maxsize=64)
def residence_chip(profile: ResidenceProfile, persona: ResidencePersona) -> ResidenceChip:
    """Everything the chip of `profile` issued to `persona` holds."""
    if profile.chip is Chip.BLANK:
        return ResidenceChip()
    if profile.chip is Chip.SPECIFIED:
        return ResidenceChip(mf_files(profile.card_type), (),
                             persona.card_number.encode("ascii"))
    issued = issued_persona(profile, persona)
    if profile.card_type.generation is Generation.FIRST:
        return _first_generation(profile, issued)
    return _second_generation(profile, issued)


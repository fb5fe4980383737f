"""From (profile, persona, layout) to the immutable chip contents, and the cards built from
them."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from testcards import issuance, keystore
from testcards.card import SimulatedCard
from testcards.cardos import AppSpec, ChipSpec, FileSpec, KeySpec
from testcards.errors import UnknownLayoutError, UnknownPersonaError, UnknownProfileError
from testcards.layouts import LAYOUTS, STANDARD, File, Layout
from testcards.personas import PERSONAS, Persona
from testcards.profiles import PROFILES, Authority, Chip, FaceEdit, Profile, TextEdit
from testcards.quirks import NO_QUIRKS, Quirks
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.code_b import CodeB

TEXT_PIN = b"1234"  # the text AP's 4-digit PIN; modelled, never presented by the project
TEXT_PIN_TRIES = 3
# Modelled key EFs beyond what card-spec.md names (the project presents neither).
EF_TX_KEY_PIN = 0x0011
EF_TX_KEY_CODE_A = 0x0014


@dataclass(frozen=True)
class _Signers:
    """Who signs the certificates in EF 0004, and which issuer key id they name."""

    card_face_issuer: bytes
    text_issuer: bytes
    card_face_ca: str
    text_ca: str


_SIGNERS = {
    Authority.SIMULATED: _Signers(keystore.SIMULATED_CARD_FACE_ID, keystore.SIMULATED_TEXT_ID,
                                  keystore.CA_CARD_FACE, keystore.CA_TEXT),
    Authority.FORGED: _Signers(keystore.make_key_id(p.ISSUER_CARD_FACE_PRODUCTION),
                               keystore.make_key_id(p.ISSUER_TEXT_PRODUCTION),
                               keystore.FORGER_CA, keystore.FORGER_CA),
    Authority.UNKNOWN: _Signers(keystore.UNKNOWN_CARD_FACE_ID, keystore.UNKNOWN_TEXT_ID,
                                keystore.FORGER_CA, keystore.FORGER_CA),
}


def profile_names() -> str:
    return ", ".join(PROFILES)


def _profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise UnknownProfileError(f"no simulated-card profile {name!r}; "
                                  f"valid profiles: {profile_names()}") from None


def layout_names() -> str:
    return ", ".join(LAYOUTS)


def _layout(name: str) -> Layout:
    try:
        return LAYOUTS[name]
    except KeyError:
        raise UnknownLayoutError(f"no simulated-card layout {name!r}; "
                                 f"valid layouts: {layout_names()}") from None


@dataclass(frozen=True)
class _Issue:
    """How this card's files are wrapped, and whether one signed byte of the layout's file
    was changed after signing."""

    layout: Layout
    changed: File | None

    def changes(self, file: File) -> bool:
        return self.changed is file


#: The byte of a certificate body changed for `signed_byte_changed`: inside the modulus.
CERTIFICATE_BODY_BYTE = 2 * p.KEY_ID_LEN + 50


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def _issued_persona(profile: Profile, persona: Persona) -> Persona:
    """The persona as the issuer wrote it on the card, before any forger touched it."""
    if profile.expiry_year is None:
        return persona
    return replace(persona, expiry=_shift_years(persona.expiry,
                                                profile.expiry_year - persona.expiry.year))


@lru_cache(maxsize=128)
def printed_persona(profile: str, persona: Persona) -> Persona:
    """The persona as printed on this card's face: what a clerk reads and types code B from."""
    chosen = _profile(profile)
    issued = _issued_persona(chosen, persona)
    if not chosen.printed_birth_shift_years:
        return issued
    return replace(issued, birth=_shift_years(issued.birth, chosen.printed_birth_shift_years))


def _flip_photo(content: issuance.FaceContent, printed: Persona) -> issuance.FaceContent:
    """One byte of the codestream changed, the length kept (the offset table stays right)."""
    photo = content.photo_jp2
    middle = len(photo) * 3 // 4
    return replace(content, photo_jp2=photo[:middle] + bytes((photo[middle] ^ 0x5A,))
                   + photo[middle + 1:])


def _birth_as_printed(content: issuance.FaceContent, printed: Persona) -> issuance.FaceContent:
    return replace(content, birth=printed.birth.strftime("%Y%m%d"))


_FACE_EDITS: dict[FaceEdit, Callable[[issuance.FaceContent, Persona], issuance.FaceContent]] = {
    FaceEdit.NONE: lambda content, _: content,
    FaceEdit.FLIP_PHOTO: _flip_photo,
    FaceEdit.BIRTH_AS_PRINTED: _birth_as_printed,
}

_TEXT_EDITS: dict[TextEdit, Callable[[issuance.TextContent], issuance.TextContent]] = {
    TextEdit.NONE: lambda content: content,
    TextEdit.BIRTH_NEXT_DAY: lambda content: replace(content, birth=(
        date.fromisoformat(content.birth) + timedelta(days=1)).strftime("%Y%m%d")),
    TextEdit.NAME_FORGED: lambda content: replace(content, name="偽" + content.name[1:]),
}


def _as_laid_out(content: issuance.FaceContent, issued: Persona,
                  layout: Layout) -> issuance.FaceContent:
    return replace(content, birth=issued.birth.strftime(layout.signed_birth_format),
                   expiry=issued.expiry.strftime(layout.expiry_format))


def _card_face_app(profile: Profile, issued: Persona, printed: Persona, signers: _Signers,
                   code_b: CodeB, my_number: str, issue: _Issue) -> AppSpec:
    chip_key = keystore.chip_key_for(issued.key)
    signed = _as_laid_out(issuance.face_content(issued, chip_key=chip_key), issued,
                          issue.layout)
    signature = issuance.face_signature(signed, signer=keystore.SIGNER_CARD_FACE)
    stored = _FACE_EDITS[profile.face_edit](signed, printed)
    if issue.changes(File.CARD_FACE):
        stored = replace(stored, name_png=issuance.flip(stored.name_png,
                                                        len(stored.name_png) // 2))
    files = (
        FileSpec(p.EF_CF_AGE, issuance.age_record_file(signed, signer=keystore.SIGNER_CARD_FACE),
                 frozenset({p.EF_CF_KEY_BIRTH})),
        FileSpec(p.EF_CF_FACE, issuance.card_face_file(stored, signature=signature,
                                                       wrapping=issue.layout.face),
                 frozenset({p.EF_CF_KEY_CODE_B, p.EF_CF_KEY_CODE_A})),
        FileSpec(p.EF_CF_BASIC_INFO, issuance.basic_info_file(
            key_id=keystore.SIGNER_CARD_FACE_ID,
            municipality=issuance.municipality_code(issued.address), seed=issued.key)),
        FileSpec(p.EF_CF_CERTIFICATE, issuance.certificate(
            issuer_id=signers.card_face_issuer, subject_id=keystore.SIGNER_CARD_FACE_ID,
            subject_key=keystore.SIGNER_CARD_FACE, ca_key=signers.card_face_ca,
            wrapping=issue.layout.certificate, key_form=issue.layout.certificate_key,
            flip_body_at=CERTIFICATE_BODY_BYTE if issue.changes(File.CERTIFICATE) else None)),
        FileSpec(p.EF_CF_MY_NUMBER_IMAGE, issuance.my_number_image_file(my_number),
                 frozenset({p.EF_CF_KEY_CODE_A})),
    )
    keys = (KeySpec(p.EF_CF_KEY_BIRTH, code_b.to_bytes()[:6]),
            KeySpec(p.EF_CF_KEY_CODE_B, code_b.to_bytes(), tries=profile.code_b_tries),
            KeySpec(p.EF_CF_KEY_CODE_A, my_number.encode("ascii")))
    signing = keystore.CLONED_CHIP if profile.cloned else chip_key
    return AppSpec(p.AID_CARD_FACE, files, keys, signing_key=signing)


def _other_sex(content: issuance.TextContent) -> issuance.TextContent:
    """One signed byte of the text changed: the sex digit, 1 and 2 swapped (0 → 3, 9 → :)."""
    return replace(content, sex=chr(ord(content.sex) ^ 0x03))


def _text_app(profile: Profile, issued: Persona, signers: _Signers, code_b: CodeB,
              my_number: str, issue: _Issue) -> AppSpec:
    content = _TEXT_EDITS[profile.text_signed_edit](issuance.text_content(issued))
    ef1 = issuance.my_number_file(my_number)
    integrity = issuance.text_integrity_file(
        content, my_number=ef1, signer=keystore.SIGNER_TEXT, wrapping=issue.layout.integrity,
        flip_signed_at=issuance.SHA256_BYTES // 2 if issue.changes(File.TEXT_INTEGRITY) else None)
    content = _TEXT_EDITS[profile.text_tampered_edit](content)
    if issue.changes(File.TEXT_BASIC_FOUR):
        content = _other_sex(content)
    opened_by_b = frozenset({EF_TX_KEY_PIN, p.EF_TX_KEY_CODE_B})
    files = (
        FileSpec(p.EF_TX_MY_NUMBER, ef1, frozenset({EF_TX_KEY_PIN, EF_TX_KEY_CODE_A})),
        FileSpec(p.EF_TX_BASIC_FOUR,
                 issuance.text_basic_four_file(content, wrapping=issue.layout.text), opened_by_b),
        FileSpec(p.EF_TX_INTEGRITY, integrity, opened_by_b | {EF_TX_KEY_CODE_A}),
        FileSpec(p.EF_TX_CERTIFICATE, issuance.certificate(
            issuer_id=signers.text_issuer, subject_id=keystore.SIGNER_TEXT_ID,
            subject_key=keystore.SIGNER_TEXT, ca_key=signers.text_ca,
            wrapping=issue.layout.text_certificate,
            flip_body_at=(CERTIFICATE_BODY_BYTE if issue.changes(File.TEXT_CERTIFICATE)
                          else None))),
    )
    keys = (KeySpec(EF_TX_KEY_PIN, TEXT_PIN, max_tries=TEXT_PIN_TRIES, tries=TEXT_PIN_TRIES),
            KeySpec(EF_TX_KEY_CODE_A, my_number.encode("ascii")),
            KeySpec(p.EF_TX_KEY_CODE_B, code_b.to_bytes()))
    return AppSpec(p.AID_TEXT, files, keys)


_OTHER_CHIPS = {Chip.BLANK: ChipSpec(), Chip.YES_CARD: ChipSpec(yes_card=True)}


@lru_cache(maxsize=128)
def chip_spec(profile: str, persona: Persona, layout: str = STANDARD, *,
              signed_byte_changed: bool = False) -> ChipSpec:
    """Everything the chip holds for (profile, persona, layout); built once, shared read-only.
    `signed_byte_changed`: one signed byte of the layout's file altered after signing."""
    chosen = _profile(profile)
    laid_out = _layout(layout)
    issue = _Issue(laid_out, laid_out.file if signed_byte_changed else None)
    if chosen.chip in _OTHER_CHIPS:
        return _OTHER_CHIPS[chosen.chip]
    issued = _issued_persona(chosen, persona)
    printed = printed_persona(profile, persona)
    code_b = (printed if chosen.code_b_follows_print else issued).code_b
    signers = _SIGNERS[chosen.authority]
    my_number = issuance.fake_my_number(persona.key)
    return ChipSpec(apps=(
        _card_face_app(chosen, issued, printed, signers, code_b, my_number, issue),
        _text_app(chosen, issued, signers, code_b, my_number, issue),
        AppSpec(p.AID_JPKI),  # answers SELECT only
    ))


def build_card_for(persona: Persona, *, profile: str = "genuine", quirks: Quirks = NO_QUIRKS,
                   random: Callable[[int], bytes] = os.urandom, layout: str = STANDARD,
                   signed_byte_changed: bool = False) -> SimulatedCard:
    """A fresh card (own counters) of `profile` issued to any persona, its files wrapped as
    `layout` says (testcards/layouts.py)."""
    chip = chip_spec(profile, persona, layout, signed_byte_changed=signed_byte_changed)
    return SimulatedCard(chip, persona=printed_persona(profile, persona), profile=profile,
                         quirks=quirks, random=random)


def build_card(profile: str = "genuine", *, persona: int = 0, quirks: Quirks = NO_QUIRKS,
               random: Callable[[int], bytes] = os.urandom, layout: str = STANDARD,
               signed_byte_changed: bool = False) -> SimulatedCard:
    """A fresh card of a named profile for PERSONAS[persona]. `layout` names how its files
    are wrapped (testcards.layouts.LAYOUTS); `signed_byte_changed` alters one signed byte of
    the file that layout varies, after signing."""
    _profile(profile)
    _layout(layout)
    if not 0 <= persona < len(PERSONAS):
        raise UnknownPersonaError(f"no persona {persona}; valid: 0..{len(PERSONAS) - 1}")
    return build_card_for(PERSONAS[persona], profile=profile, quirks=quirks, random=random,
                          layout=layout, signed_byte_changed=signed_byte_changed)

"""Genuine cards whose unsigned wrapping differs, and what the verifier must make of each.

The card format is known from public readers, not from J-LIS, so a card of another generation
may wrap the same signed objects differently (design.md: "data no genuine card can hold" is read
narrowly). Each `Layout` here is one such wrapping, issued by the simulated CA like any genuine
card; `testcards.build_card(profile, layout=name)` applies it to any profile. Most must still
be GENUINE, with the oddities the verifier reports; a few are not: two of a signed object is
ambiguity (evidence), and a signed value in a form the verifier does not know, or no readable
expiry, is NOT_VERIFIED — never an accusation.

`build_card(..., signed_byte_changed=True)` changes one signed byte of the layout's file after
signing (`Layout.file`): the same wrapping around altered data must be caught
(`Layout.tampered_reason`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from testcards.issuance import PLAIN, Insert, KeyForm, Offsets, Wrapping
from verifier.card.tlv import encode
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.check_ids import CheckId
from verifier.engine.verdict import Reason, Verdict


class File(enum.Enum):
    """The file a layout varies, and whose signed byte its tampered twin changes."""

    CARD_FACE = "card-face"  # DF25 (the name image), one byte
    CERTIFICATE = "certificate"  # the card-face EF 0004 body, one byte of the modulus
    TEXT_CERTIFICATE = "text-certificate"  # the text AP's EF 0004 body, likewise
    TEXT_BASIC_FOUR = "text-basic-four"  # DF25 (sex), after DF32 was made
    TEXT_INTEGRITY = "text-integrity"  # DF31, after DF33 was made


#: Where the tampered twin's change is caught.
TAMPER_CAUGHT: dict[File, tuple[CheckId, Reason]] = {
    File.CARD_FACE: (CheckId.CARD_FACE_SIGNATURE, Reason.BAD_SIGNATURE),
    File.CERTIFICATE: (CheckId.CERTIFICATE_TRUSTED, Reason.BAD_CERTIFICATE_SIGNATURE),
    File.TEXT_CERTIFICATE: (CheckId.TEXT_AP_SIGNATURE, Reason.BAD_CERTIFICATE_SIGNATURE),
    File.TEXT_BASIC_FOUR: (CheckId.TEXT_AP_SIGNATURE, Reason.BAD_SIGNATURE),
    File.TEXT_INTEGRITY: (CheckId.TEXT_AP_SIGNATURE, Reason.BAD_SIGNATURE),
}


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    file: File
    #: The oddities a genuine card of this layout is reported with (Result.oddities).
    oddities: tuple[str, ...]
    expected: Verdict = Verdict.GENUINE
    failing_check: CheckId | None = None
    reason: Reason | None = None
    face: Wrapping = PLAIN
    #: DF29 as the issuer wrote it (strftime); DF22 as the issuer signed it.
    expiry_format: str = "%Y%m%d"
    signed_birth_format: str = "%Y%m%d"
    certificate: Wrapping = PLAIN
    certificate_key: KeyForm = KeyForm.STANDARD
    text_certificate: Wrapping = PLAIN
    text: Wrapping = PLAIN
    integrity: Wrapping = PLAIN

    @property
    def tampered(self) -> tuple[CheckId, Reason]:
        """The failing check and reason of this layout with one signed byte changed."""
        return TAMPER_CAUGHT[self.file]


STANDARD = "standard"
UNKNOWN_OBJECT = encode(0xDF2B, b"\x01\x02\x03\x04")
FILLER = b"\xff" * 16
_F, _C, _T, _I = File.CARD_FACE, File.CERTIFICATE, File.TEXT_BASIC_FOUR, File.TEXT_INTEGRITY
_NV, _EVIDENCE = Verdict.NOT_VERIFIED, Verdict.COUNTERFEIT_SUSPECTED

LAYOUTS: dict[str, Layout] = {layout.name: layout for layout in (
    Layout(STANDARD, "as card-spec.md describes it", _F, ()),
    # --- card face EF 0002: everything outside DF22..DF28 ------------------------------------
    Layout("object-after-security-code", "one more object after DF2A", _F,
           ("card_face.trailing_object",),
           face=Wrapping(inserts=(Insert(None, UNKNOWN_OBJECT),))),
    Layout("object-before-expiry", "an unknown object between DF28 and DF29", _F,
           ("card_face.trailing_object",),
           face=Wrapping(inserts=(Insert(p.TAG_FACE_EXPIRY, UNKNOWN_OBJECT),))),
    Layout("object-among-signed", "an unknown object between DF24 and DF25 (not hashed)", _F,
           ("card_face.unknown_object",),
           face=Wrapping(inserts=(Insert(p.TAG_FACE_NAME_PNG, UNKNOWN_OBJECT),))),
    Layout("offsets-off-by-one", "every DF21 entry one byte too far", _F,
           ("card_face.offset_table",), face=Wrapping(offsets=Offsets.OFF_BY_ONE)),
    Layout("offsets-wrong", "the DF21 entries in reverse order", _F,
           ("card_face.offset_table",), face=Wrapping(offsets=Offsets.WRONG)),
    Layout("no-offset-table", "no DF21 at all", _F,
           ("card_face.offset_table",), face=Wrapping(offsets=Offsets.MISSING)),
    Layout("filler-before-expiry-and-at-end", "16 FF bytes before DF29 and 16 at the end, inside "
           "FF20", _F, ("card_face.filler",),
           face=Wrapping(inserts=(Insert(p.TAG_FACE_EXPIRY, FILLER, listed=False),
                                  Insert(None, FILLER, listed=False)))),
    Layout("zeros-between-signed", "16 zero bytes between DF24 and DF25 (not hashed)", _F,
           ("card_face.filler",),
           face=Wrapping(inserts=(Insert(p.TAG_FACE_NAME_PNG, bytes(16), listed=False),))),
    Layout("security-code-twice", "DF2A twice", _F, ("card_face.duplicate_unsigned",),
           face=Wrapping(inserts=(Insert(None, copy_of=p.TAG_FACE_SECURITY_CODE_PNG),))),
    Layout("expiry-twice", "DF29 twice, the same date", _F, ("card_face.duplicate_unsigned",),
           face=Wrapping(inserts=(Insert(p.TAG_FACE_SECURITY_CODE_PNG,
                                         copy_of=p.TAG_FACE_EXPIRY),))),
    Layout("expiry-with-slashes", "DF29 written 2035/02/17", _F, ("card_face.expiry_format",),
           expiry_format="%Y/%m/%d"),
    Layout("expiry-with-dashes", "DF29 written 2035-02-17", _F, ("card_face.expiry_format",),
           expiry_format="%Y-%m-%d"),
    Layout("expiry-after-security-code", "DF2A before DF29", _F, ("card_face.order",),
           face=Wrapping(inserts=(Insert(None, copy_of=p.TAG_FACE_EXPIRY),),
                         drop=(p.TAG_FACE_EXPIRY,))),
    Layout("expiry-twice-differing", "DF29 twice with two dates: no expiry to go by", _F,
           ("card_face.duplicate_unsigned", "card_face.expiry_conflict"), _NV,
           CheckId.CARD_NOT_EXPIRED, Reason.UNSUPPORTED_LAYOUT,
           face=Wrapping(inserts=(Insert(p.TAG_FACE_SECURITY_CODE_PNG,
                                         encode(p.TAG_FACE_EXPIRY, b"20991231")),))),
    Layout("expiry-another-year", "DF29 in another year than the code B the chip accepts: "
           "unsigned, so no evidence, and no expiry to go by", _F,
           ("card_face.expiry_not_the_codes",), _NV, CheckId.CARD_NOT_EXPIRED,
           Reason.UNSUPPORTED_LAYOUT,
           face=Wrapping(inserts=(Insert(p.TAG_FACE_SECURITY_CODE_PNG,
                                         encode(p.TAG_FACE_EXPIRY, b"20360217")),),
                         drop=(p.TAG_FACE_EXPIRY,))),
    Layout("no-expiry", "no DF29: no expiry to go by", _F, ("card_face.missing_unsigned",), _NV,
           CheckId.CARD_NOT_EXPIRED, Reason.UNSUPPORTED_LAYOUT,
           face=Wrapping(drop=(p.TAG_FACE_EXPIRY,))),
    Layout("card-key-twice", "DF24 twice: which key is signed, and which one the challenge "
           "answers to, is ambiguous", _F, (), _EVIDENCE, CheckId.CARD_FACE_SIGNATURE,
           Reason.MALFORMED_DATA,
           face=Wrapping(inserts=(Insert(p.TAG_FACE_NAME_PNG, copy_of=p.TAG_FACE_CARD_KEY),))),
    Layout("birth-signed-with-slashes", "the issuer signed DF22 as 1980/02/17: a signed value in "
           "a form the verifier does not know", _F, (), _NV, CheckId.CARD_FACE_SIGNATURE,
           Reason.UNSUPPORTED_LAYOUT, signed_birth_format="%Y/%m/%d"),
    # --- certificates EF 0004: everything outside 5F4E and 5F37 -------------------------------
    Layout("certificate-trailing-object", "one more object after 5F37 in the card-face "
           "certificate", _C, ("certificate.trailing_object",),
           certificate=Wrapping(inserts=(Insert(None, encode(0x5F20, b"holder")),))),
    Layout("certificate-filler", "16 FF bytes at the end inside 7F21", _C,
           ("certificate.filler",),
           certificate=Wrapping(inserts=(Insert(None, FILLER, listed=False),))),
    Layout("certificate-key-exponent-last", "the CA signed a body whose key puts the modulus "
           "first: a form the verifier does not know", _C, (), _NV,
           CheckId.CERTIFICATE_TRUSTED, Reason.UNSUPPORTED_LAYOUT,
           certificate_key=KeyForm.EXPONENT_LAST),
    Layout("text-certificate-trailing-object", "one more object after 5F37 in the text AP's "
           "certificate", File.TEXT_CERTIFICATE, ("text_ap.certificate.trailing_object",),
           text_certificate=Wrapping(inserts=(Insert(None, encode(0x5F20, b"holder")),))),
    # --- text AP: EF 0002 before DF22, EF 0003 outside DF31..DF33 -----------------------------
    Layout("text-offsets-wrong", "the text AP's DF21 entries in reverse order", _T,
           ("text_ap.offset_table",), text=Wrapping(offsets=Offsets.WRONG)),
    Layout("text-no-offset-table", "no DF21 in the text AP's EF 0002", _T,
           ("text_ap.offset_table",), text=Wrapping(offsets=Offsets.MISSING)),
    Layout("text-object-before-name", "an unknown object between DF21 and DF22", _T,
           ("text_ap.unknown_object",),
           text=Wrapping(inserts=(Insert(p.TAG_TX_NAME, UNKNOWN_OBJECT),))),
    Layout("integrity-trailing-object", "one more object after DF33 in the text integrity "
           "record", _I, ("text_ap.integrity.trailing_object",),
           integrity=Wrapping(inserts=(Insert(None, encode(0xDF34, b"\x00")),))),
)}

"""What a persona's personal data looks like in text, as specific patterns ("needles").

Each needle is chosen so that it cannot occur by accident in what mynacheck legitimately
prints (verdicts, check ids, key ids, APDU headers and counts, timings, the card's expiry date,
which design.md allows in output and logs):

- name and address: the full strings (Japanese, or a full romanized name); parts like a
  family name are not used, since "見本" also appears inside other personas' addresses;
- birth date: every way it is written — YYYYMMDD, YYYY-MM-DD, YYYY/MM/DD, YYMMDD in the era
  year and in the Gregorian year, 和暦 text (S55.2.17, 昭和55年2月17日, 元年 for year 1).
  Digit strings are matched with no digit on either side, so "550217" is not found inside a
  longer number; the expiry date (allowed) never equals any of these for the personas;
- code B: all 14 digits; the security code alone is 4 digits and would match counts or
  timings, so it is matched only with context — after "security code"/"security_code", as
  a JSON string "2285", after "=", or as the 8-digit expiry-year+security-code tail of code B;
- the 個人番号 (the simulated card's fake one): 12 digits, never anywhere, even on request;
- images (name, address, photo, security-code PNG, decoded photo): a 32-character base64
  run from the middle of each (aligned, so it matches inside the base64 of the whole image)
  and 16 bytes of hex from the middle, plain, upper case and space-separated.
"""

from __future__ import annotations

import base64
import functools
import re
from dataclasses import dataclass
from datetime import date

import testcards
from testcards import issuance
from testcards.personas import Persona
from tests.fuzz import chip as c
from verifier.documents.my_number import constants as p

ERAS = (("令和", "R", date(2019, 5, 1)), ("平成", "H", date(1989, 1, 8)),
        ("昭和", "S", date(1926, 12, 25)))


@dataclass(frozen=True)
class Needle:
    label: str
    pattern: re.Pattern[str]
    personal: bool = True  # False: never shown, even when personal data is asked for

    def found_in(self, text: str) -> bool:
        return self.pattern.search(text) is not None


def _digits(label: str, digits: str, *, personal: bool = True) -> Needle:
    # Not inside a longer number, nor the fraction of a decimal (a timing like 12.550217).
    return Needle(label, re.compile(rf"(?<![0-9.]){re.escape(digits)}(?![0-9])"), personal)


def _literal(label: str, text: str, *, personal: bool = True) -> Needle:
    return Needle(label, re.compile(re.escape(text)), personal)


def _era(day: date) -> tuple[str, str, int]:
    for name, letter, start in ERAS:
        if day >= start:
            return name, letter, day.year - start.year + 1
    raise ValueError(day)


def birth_needles(day: date, who: str) -> list[Needle]:
    name, letter, year = _era(day)
    era_years = [str(year), f"{year:02d}"] + (["元"] if year == 1 else [])
    out = [
        _digits(f"{who} birth YYYYMMDD", day.strftime("%Y%m%d")),
        _literal(f"{who} birth YYYY-MM-DD", day.strftime("%Y-%m-%d")),
        _literal(f"{who} birth YYYY/MM/DD", day.strftime("%Y/%m/%d")),
        _digits(f"{who} birth era YYMMDD", f"{year:02d}{day:%m%d}"),
        _digits(f"{who} birth Gregorian YYMMDD", day.strftime("%y%m%d")),
    ]
    for y in era_years:
        for m, d in ((str(day.month), str(day.day)), (f"{day.month:02d}", f"{day.day:02d}")):
            out.append(_literal(f"{who} birth 和暦", f"{name}{y}年{m}月{d}日"))
            if y != "元":
                out.append(Needle(f"{who} birth era short",
                                  re.compile(rf"(?<![0-9A-Za-z]){letter}{y}\.{m}\.{d}(?![0-9])")))
    return out


def image_needles(label: str, image: bytes) -> list[Needle]:
    middle = (len(image) // 2) // 3 * 3
    chunk = image[middle:middle + 24]
    b64 = base64.b64encode(chunk).decode("ascii")
    raw = image[middle:middle + 16]
    return [_literal(f"{label} base64", b64),
            _literal(f"{label} hex", raw.hex()),
            _literal(f"{label} HEX", raw.hex().upper()),
            _literal(f"{label} hex spaced", raw.hex(" ")),
            _literal(f"{label} HEX spaced", raw.hex(" ").upper())]


def security_code_needles(printed: Persona) -> list[Needle]:
    code = re.escape(printed.security_code)
    return [
        Needle("security code in context",
               re.compile(rf"security[ _-]?code\W{{0,4}}{code}(?![0-9])", re.IGNORECASE),
               personal=False),
        Needle("security code as JSON string", re.compile(rf'"{code}"'), personal=False),
        Needle("security code after =", re.compile(rf"=\s*{code}(?![0-9])"), personal=False),
        _digits("expiry year + security code", f"{printed.expiry.year}{printed.security_code}",
                personal=False),
    ]


def chip_images(profile: str, persona: Persona) -> dict[str, bytes]:
    chip = testcards.chip_spec(profile, persona)
    try:
        face = c.file_bytes(chip, (p.AID_CARD_FACE, p.EF_CF_FACE))
    except KeyError:
        return {}  # blank chip, yes-card: no images
    data = bytes(face)
    _, children = c.layout(data)
    tags = {p.TAG_FACE_NAME_PNG: "name PNG", p.TAG_FACE_ADDRESS_PNG: "address PNG",
            p.TAG_FACE_PHOTO_JP2: "photo JP2", p.TAG_FACE_SECURITY_CODE_PNG: "security code PNG"}
    return {tags[ch.tag]: data[ch.value_start:ch.end] for ch in children if ch.tag in tags}


def needles_for(profile: str, index: int) -> list[Needle]:
    """Everything personal of PERSONAS[index] on a card of `profile`, printed and on the chip."""
    persona = testcards.PERSONAS[index]
    printed = testcards.printed_persona(profile, persona)
    out = [_literal("name", persona.name), _literal("address", persona.address),
           _literal("name as altered in text AP", persona.name[1:])]
    out += birth_needles(persona.birth, "chip")
    if printed.birth != persona.birth:
        out += birth_needles(printed.birth, "printed")
    for code in {persona.code_b.digits, printed.code_b.digits}:
        out.append(_digits("code B", code, personal=False))
    out += security_code_needles(printed)
    out.append(_digits("個人番号", issuance.fake_my_number(persona.key), personal=False))
    images = chip_images(profile, persona)
    for label, image in images.items():
        out += image_needles(label, image)
    if "photo JP2" in images:
        out += image_needles("photo PNG", decoded_photo(images["photo JP2"]))
    return out


@functools.cache
def decoded_photo(jp2: bytes) -> bytes:
    from verifier.card.images import decode_photo

    return decode_photo(jp2)


#: Fixed example text of the product that happens to be persona 0's birth date (persona 0 is
#: card-spec.md's example): the hint of a birth-date input error. Not data from any card.
INNOCENT = ("write the birth date like 昭和55年2月17日, S55.2.17 or 1980-02-17",)


def leaks(text: str, needles: list[Needle], *, personal_allowed: bool = False) -> list[str]:
    """Labels of the needles found in `text` (those allowed by the request left out)."""
    for phrase in INNOCENT:
        text = text.replace(phrase, "")
    return sorted({n.label for n in needles
                   if not (personal_allowed and n.personal) and n.found_in(text)})

"""The residence chip's files as typed records: first located, then read once verified (the same
two stages as the My Number Card's records, docs/evidence.md).

Each file is a run of BER-TLV objects (tags of one or two bytes, lengths of one to three) and
then its padding (00, on some cards FF). Pure and I/O-free; every shape problem is a typed
error, decided by the evidence rule:

- Evidence (`MalformedData`): the signed bytes cannot be determined — a signed object or the
  signature/certificate missing or given twice, a length running past the end or bytes that
  are not an object where signed bytes must still be, an image larger than the maximum the
  signed target pads it to (no genuine card holds it).
- Not covered by the readings (`UnsupportedLayout`, 確認できず): the printed entries' values
  do not add up to the 53 (34) bytes of the signed target; after the signature verified, a
  value not in the form this program reads (the Agency signed it: our reading failed).
- Oddities (`ResidenceOddity`): everything unsigned that differs — filler between objects, an
  unknown object after the signed ones, another order, a missing address image.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from verifier.documents.residence import constants as c
from verifier.documents.residence.card_type import CardType, Generation
from verifier.documents.residence.oddities import ResidenceOddity
from verifier.documents.residence.tlv import Tlv, parse_one
from verifier.errors import MalformedData, UnsupportedLayout

_FILLER = re.compile(rb"[\x00\xff]+")


# --- walking a file -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Objects:
    """A file's objects in order (offsets from the file start) and what was odd about it."""

    items: tuple[Tlv, ...]
    oddities: tuple[ResidenceOddity, ...]

    def all(self, tag: int) -> list[Tlv]:
        return [item for item in self.items if item.tag == tag]

    def one(self, tag: int) -> Tlv:
        """A needed object: the walk made sure there is exactly one."""
        return next(item for item in self.items if item.tag == tag)

    def __repr__(self) -> str:
        return f"Objects({' '.join(f'{i.tag:X}' for i in self.items)}, {self.oddities})"


def walk(data: bytes, *, needed: Iterable[int], what: str, all_signed: bool = False) -> Objects:
    """The objects of a file by the rules of the module docstring. `needed`: the signed objects
    (and the signature), each exactly once. `all_signed`: every object of the file is signed,
    so anything but padding that does not read as an object is evidence."""
    needed = frozenset(needed)
    if len(data) > c.MAX_FILE_BYTES:
        raise MalformedData(f"{what} of {len(data)} bytes is larger than any file on the card")
    items: list[Tlv] = []
    oddities: list[ResidenceOddity] = []
    seen: set[int] = set()
    pos = 0
    while pos < len(data):
        filler = _FILLER.match(data, pos)
        if filler is not None:
            if filler.end() == len(data):
                break  # the file's padding
            oddities.append(ResidenceOddity.FILLER)
            pos = filler.end()
            continue
        try:
            item = parse_one(data, pos)
        except MalformedData as error:
            if needed <= seen and not all_signed:
                oddities.append(ResidenceOddity.UNPARSED_TAIL)
                break
            raise MalformedData(f"{what}: {error}, where signed bytes must be") from None
        if item.tag in needed:
            if item.tag in seen:
                raise MalformedData(f"{what}: {item.tag:X} twice, so what is signed is "
                                    "ambiguous")
            seen.add(item.tag)
        items.append(item)
        pos += len(item.raw)
    missing = sorted(needed - seen)
    if missing:
        raise MalformedData(f"{what}: no " + ", ".join(f"{tag:X}" for tag in missing))
    return Objects(tuple(items), tuple(oddities))


def _layout_oddities(objects: Objects, known: tuple[int, ...],
                     needed: frozenset[int]) -> list[ResidenceOddity]:
    found: list[ResidenceOddity] = []
    tags = [item.tag for item in objects.items]
    last_needed = max((i for i, tag in enumerate(tags) if tag in needed), default=-1)
    for index, tag in enumerate(tags):
        if tag not in known:
            found.append(ResidenceOddity.UNKNOWN_OBJECT if index < last_needed
                         else ResidenceOddity.TRAILING_OBJECT)
    counts = Counter(tags)
    if any(counts[tag] > 1 for tag in known if tag not in needed):
        found.append(ResidenceOddity.DUPLICATE_UNSIGNED)
    order = [tag for tag in dict.fromkeys(tags) if tag in known]
    if order != sorted(order, key=known.index):
        found.append(ResidenceOddity.ORDER)
    return found


def _unique(oddities: Iterable[ResidenceOddity]) -> tuple[ResidenceOddity, ...]:
    return tuple(dict.fromkeys(oddities))


# --- DF3: the signature and the certificate -----------------------------------------------------
@dataclass(frozen=True)
class SignatureFile:
    """DF3's file located: the Agency's signature over the signed target (DA / DC) and the card
    certificate (DB / DD, as stored: it may carry 00 padding)."""

    generation: Generation
    signature: bytes
    certificate: bytes
    oddities: tuple[ResidenceOddity, ...]

    def __repr__(self) -> str:
        return (f"SignatureFile(gen {self.generation}, {len(self.signature)}-byte signature, "
                f"{len(self.certificate)}-byte certificate)")


def signature_tags(generation: Generation) -> tuple[int, int]:
    if generation is Generation.FIRST:
        return c.TAG_SIGNATURE_1, c.TAG_CERTIFICATE_1
    return c.TAG_SIGNATURE_2, c.TAG_CERTIFICATE_2


def locate_signature_file(file_bytes: bytes, generation: Generation) -> SignatureFile:
    what = "signature file (DF3)"
    tags = signature_tags(generation)
    needed = frozenset(tags)
    objects = walk(file_bytes, needed=needed, what=what)
    return SignatureFile(
        generation=generation, signature=objects.one(tags[0]).value,
        certificate=objects.one(tags[1]).value,
        oddities=_unique((*objects.oddities, *_layout_oddities(objects, tags, needed))))


# --- first generation: DF1 --------------------------------------------------------------------
@dataclass(frozen=True)
class FrontAndPhoto:
    """First-generation DF1 located: the front-of-card image (D0, TIFF) and the photo (D1,
    JPEG 2000), the two values the check code DA signs, not yet trusted."""

    front_image: bytes
    photo: bytes
    oddities: tuple[ResidenceOddity, ...]

    def __repr__(self) -> str:
        return f"FrontAndPhoto(<{len(self.front_image)}-byte image, {len(self.photo)}-byte photo>)"


def _image(file_bytes: bytes, tag: int, limit: int | None, what: str) -> tuple[bytes,
                                                                               list[ResidenceOddity]]:
    objects = walk(file_bytes, needed=(tag,), what=what)
    value = objects.one(tag).value
    if limit is not None and len(value) > limit:
        raise MalformedData(f"{what}: a {len(value)}-byte image where the signed target holds "
                            f"at most {limit}")
    return value, [*objects.oddities, *_layout_oddities(objects, (tag,), frozenset((tag,)))]


def locate_front_and_photo(front_file: bytes, photo_file: bytes) -> FrontAndPhoto:
    """The two DF1 files of a first-generation card (one object each)."""
    front, odd_front = _image(front_file, c.TAG_NAME_IMAGE, c.FRONT_IMAGE_SIGNED_BYTES,
                              "front-of-card image (DF1)")
    photo, odd_photo = _image(photo_file, c.TAG_PHOTO, c.PHOTO_SIGNED_BYTES, "photo (DF1)")
    return FrontAndPhoto(front_image=front, photo=photo,
                         oddities=_unique((*odd_front, *odd_photo)))


# --- second generation: DF1 -------------------------------------------------------------------
@dataclass(frozen=True)
class NameAndPhoto:
    """Second-generation DF1 EF03 located: the name image (D0, MMR TIFF) and the photo (D1,
    JPEG 2000), both signed, not yet trusted."""

    name_image: bytes
    photo: bytes
    oddities: tuple[ResidenceOddity, ...]

    def __repr__(self) -> str:
        return f"NameAndPhoto(<{len(self.name_image)}-byte image, {len(self.photo)}-byte photo>)"


def locate_name_and_photo(file_bytes: bytes) -> NameAndPhoto:
    what = "name image and photo (DF1 EF03)"
    tags = (c.TAG_NAME_IMAGE, c.TAG_PHOTO)
    objects = walk(file_bytes, needed=tags, what=what)
    return NameAndPhoto(
        name_image=objects.one(c.TAG_NAME_IMAGE).value, photo=objects.one(c.TAG_PHOTO).value,
        oddities=_unique((*objects.oddities,
                          *_layout_oddities(objects, tags, frozenset(tags)))))


@dataclass(frozen=True)
class PrintedEntriesFile:
    """DF1 EF02 located: every object's value is signed, concatenated in file order."""

    items: tuple[Tlv, ...]
    oddities: tuple[ResidenceOddity, ...]

    @property
    def values(self) -> bytes:
        return b"".join(item.value for item in self.items)

    def signed_part(self, card_type: CardType) -> bytes:
        """The signed target's first 53 bytes: a residence card's 53 bytes of values, an SPR
        certificate's 34 padded with 00. Any other total is a layout neither reading covers."""
        values = self.values
        expected = c.PRINTED_SPR_BYTES if card_type.is_spr else c.PRINTED_RESIDENCE_BYTES
        if len(values) != expected:
            raise UnsupportedLayout(f"printed entries (DF1 EF02): {len(values)} bytes of "
                                    f"values, the signed target takes {expected}")
        return values.ljust(c.PRINTED_SIGNED_BYTES, b"\x00")

    def __repr__(self) -> str:
        return f"PrintedEntriesFile(<{len(self.items)} entries>)"


def locate_printed_entries(file_bytes: bytes) -> PrintedEntriesFile:
    objects = walk(file_bytes, needed=(), what="printed entries (DF1 EF02)", all_signed=True)
    if not objects.items:
        raise MalformedData("printed entries (DF1 EF02): no entries")
    known = tuple(tag for tag, _ in c.PRINTED_RESIDENCE)
    return PrintedEntriesFile(items=objects.items, oddities=_unique(
        (*objects.oddities, *_layout_oddities(objects, known, frozenset(known)))))


@dataclass(frozen=True)
class PrintedEntries:
    """The printed entries' values, read after the signature verified. Codes are kept as the
    chip writes them (their tables are not part of the checks)."""

    expiry: date  # C5: the card's expiry
    birth: date  # C6
    sex: str  # C7: "1" male, "2" female, "3" not stated
    nationality: str  # C8: nationality / region code
    status: str | None  # C9: status of residence code
    period_of_stay: str | None  # CE: YYMM, DDD, 0000 (indefinite)
    permission_type: str | None  # CA (residence card only)
    permission_date: date | None  # CB
    work_restriction: str | None  # CC
    residence_expiry: date | None  # CD: the period of stay's end

    def __repr__(self) -> str:
        return "PrintedEntries(<personal data>)"


def _text(value: bytes, what: str) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise UnsupportedLayout(f"{what} is not UTF-8") from None


def _date(value: bytes, what: str) -> date:
    text = _text(value, what)
    if not (len(text) == 8 and text.isascii() and text.isdigit()):
        raise UnsupportedLayout(f"{what} is not 8 digits")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise UnsupportedLayout(f"{what} is not a calendar date") from None


def read_printed_entries(located: PrintedEntriesFile) -> PrintedEntries:
    """The values. Call only after the signature verified over `located.signed_part`."""
    what = "printed entries (DF1 EF02)"
    by_tag: dict[int, bytes] = {}
    for item in located.items:
        if item.tag in by_tag:
            raise UnsupportedLayout(f"{what}: {item.tag:X} twice")
        by_tag[item.tag] = item.value
    for tag in (c.TAG_EXPIRY, c.TAG_BIRTH, c.TAG_SEX, c.TAG_NATIONALITY):
        if tag not in by_tag:
            raise UnsupportedLayout(f"{what}: no {tag:X}")

    def text(tag: int) -> str | None:
        value = by_tag.get(tag)
        return None if value is None else _text(value, f"{what} {tag:X}").rstrip("\x00 ")

    def optional_date(tag: int) -> date | None:
        value = by_tag.get(tag)
        # Permission and period dates are blank on some entries; only the card's own expiry
        # and the birth date must be dates.
        if value is None:
            return None
        try:
            return _date(value, f"{what} {tag:X}")
        except UnsupportedLayout:
            return None

    return PrintedEntries(
        expiry=_date(by_tag[c.TAG_EXPIRY], f"{what} expiry"),
        birth=_date(by_tag[c.TAG_BIRTH], f"{what} birth date"),
        sex=text(c.TAG_SEX) or "", nationality=text(c.TAG_NATIONALITY) or "",
        status=text(c.TAG_STATUS), period_of_stay=text(c.TAG_PERIOD_OF_STAY),
        permission_type=text(c.TAG_PERMISSION_TYPE),
        permission_date=optional_date(c.TAG_PERMISSION_DATE),
        work_restriction=text(c.TAG_WORK_RESTRICTION),
        residence_expiry=optional_date(c.TAG_RESIDENCE_EXPIRY),
    )


# --- unsigned second-generation files -----------------------------------------------------------
@dataclass(frozen=True)
class Unsigned:
    """An unsigned object's value (None when missing or unreadable) and the file's oddities."""

    value: bytes | None
    oddities: tuple[ResidenceOddity, ...]

    def __repr__(self) -> str:
        size = "none" if self.value is None else f"{len(self.value)} bytes"
        return f"Unsigned(<{size}>, {self.oddities})"


def read_unsigned(file_bytes: bytes, tag: int) -> Unsigned:
    """The card number file (C2) or the address image file (DFD1): never evidence, whatever
    they hold. A missing object, two of them, or bytes that are not objects: no value."""
    try:
        objects = walk(file_bytes, needed=(), what=f"{tag:X} file")
    except MalformedData:
        return Unsigned(None, (ResidenceOddity.UNPARSED_TAIL,))
    found = objects.all(tag)
    odd = [*objects.oddities, *_layout_oddities(objects, (tag,), frozenset())]
    if not found:
        odd.append(ResidenceOddity.MISSING_UNSIGNED)
    value = found[0].value if len({item.value for item in found}) == 1 else None
    return Unsigned(value, _unique(odd))


def read_card_number_file(file_bytes: bytes) -> Unsigned:
    """DF1 EF01: C2, the card number as the chip stores it (unsigned)."""
    return read_unsigned(file_bytes, c.TAG_CARD_NUMBER)


def read_address_image_file(file_bytes: bytes) -> Unsigned:
    """DF1 EF04: DFD1, the address image (MMR TIFF), unsigned: addresses change after issue."""
    return read_unsigned(file_bytes, c.TAG_ADDRESS_IMAGE)


@dataclass(frozen=True)
class BackEntries:
    """DF2's objects (entries added after issue: address changes, permissions, status of an
    application), unsigned, as (tag, value) in file order; shown, never judged."""

    objects: tuple[tuple[int, bytes], ...]
    oddities: tuple[ResidenceOddity, ...]

    def __repr__(self) -> str:
        return f"BackEntries(<{len(self.objects)} objects>)"


def read_back_entries(files: Iterable[bytes]) -> BackEntries:
    objects: list[tuple[int, bytes]] = []
    oddities: list[ResidenceOddity] = []
    for file_bytes in files:
        try:
            walked = walk(file_bytes, needed=(), what="back entries (DF2)")
        except MalformedData:
            oddities.append(ResidenceOddity.UNPARSED_TAIL)
            continue
        objects.extend((item.tag, item.value) for item in walked.items)
        oddities.extend(walked.oddities)
    return BackEntries(tuple(objects), _unique(oddities))

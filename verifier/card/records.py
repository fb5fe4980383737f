"""The card's records, each fully parsed and checked when loaded (card-spec.md sections 2 and 5).

Chip data is hostile input: every shape problem surfaces here as `MalformedData`, so the checks
never meet a half-parsed record. Nothing here verifies a signature (crypto.py does) or decodes an
image (images.py does, after the signature verified).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from verifier.card import constants as p
from verifier.card.tlv import Tlv, parse_all, parse_one
from verifier.card.values import KeyId, Sex, parse_yyyymmdd
from verifier.errors import MalformedData

SHA256_BYTES = 32
MUNICIPALITY_DIGITS = 5
BI_LAYOUT_BYTES = 4
RSA_EXPONENT_MAX_BYTES = 4
FILLER_BYTES = frozenset({0x00, 0xFF})


# --- shared pieces ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RsaPublicKey:
    """An RSA-2048 public key as the card stores it (tags 90 and 91); checked when built."""

    modulus: int
    exponent: int

    def __post_init__(self) -> None:
        if self.modulus.bit_length() != p.RSA_BITS:
            raise MalformedData(f"RSA modulus is {self.modulus.bit_length()} bits, "
                                f"not {p.RSA_BITS}")
        if self.modulus % 2 == 0:
            raise MalformedData("RSA modulus is even")
        if self.exponent < 3 or self.exponent % 2 == 0 or self.exponent >= self.modulus:
            raise MalformedData("RSA public exponent is not usable")


def parse_rsa_key(value: bytes) -> RsaPublicKey:
    """`90 03 010001 91 82 0100 <modulus>`: exactly the two objects, in that order."""
    items = parse_all(value)
    _expect_tags(items, (p.TAG_RSA_EXPONENT, p.TAG_RSA_MODULUS), "RSA public key")
    exponent, modulus = items
    if not 1 <= len(exponent.value) <= RSA_EXPONENT_MAX_BYTES:
        raise MalformedData(f"RSA exponent of {len(exponent.value)} bytes")
    if len(modulus.value) != p.RSA_BYTES:
        raise MalformedData(f"RSA modulus of {len(modulus.value)} bytes, not {p.RSA_BYTES}")
    return RsaPublicKey(modulus=int.from_bytes(modulus.value, "big"),
                        exponent=int.from_bytes(exponent.value, "big"))


def _check_size(file_bytes: bytes, what: str) -> None:
    if len(file_bytes) > p.MAX_FILE_BYTES:
        raise MalformedData(f"{what} of {len(file_bytes)} bytes is larger than any file "
                            "on the card")


def _outer(file_bytes: bytes, tag: int, what: str) -> tuple[Tlv, int]:
    """The file's outer object (what follows it is filler and is ignored) and its header size."""
    _check_size(file_bytes, what)
    outer = parse_one(bytes(file_bytes))
    if outer.tag != tag:
        raise MalformedData(f"{what}: tag {outer.tag:X}, expected {tag:X}")
    return outer, len(outer.raw) - len(outer.value)


def _children(outer: Tlv, header_len: int) -> list[Tlv]:
    """The objects inside `outer`, offsets counted from the start of the file.

    Bytes that are all FF or 00 from some object boundary to the end of the value are filler.
    """
    value = outer.value
    items: list[Tlv] = []
    pos = 0
    # Where the filler starts, found once: rescanning the rest per object would make a file
    # of many tiny objects cost quadratic time.
    limit = len(value.rstrip(bytes(FILLER_BYTES)))
    while pos < limit:
        item = parse_one(value, pos)
        items.append(Tlv(item.tag, item.value, item.raw, outer.offset + header_len + pos))
        pos += len(item.raw)
    return items


def _expect_tags(items: Sequence[Tlv], tags: Sequence[int], what: str) -> None:
    found = [item.tag for item in items]
    if found != list(tags):
        shown = " ".join(f"{tag:X}" for tag in found)
        raise MalformedData(f"{what}: objects {shown or 'none'}, expected "
                            + " ".join(f"{tag:X}" for tag in tags))


def _split_required_optional(items: Sequence[Tlv], required: Sequence[int],
                             optional: Sequence[int], what: str) -> dict[int, Tlv]:
    """Objects must be `required` in order, then any of `optional` in order, nothing else."""
    _expect_tags(items[:len(required)], required, what)
    rest = [item.tag for item in items[len(required):]]
    position = 0
    for tag in rest:
        if tag not in optional[position:]:
            raise MalformedData(f"{what}: unexpected or misplaced object {tag:X}")
        position = optional.index(tag) + 1
    return {item.tag: item for item in items}


def _check_offset_table(table: Tlv, objects: Sequence[Tlv], what: str) -> None:
    """One big-endian u16 per object = where its tag starts in the file; a lie is an error."""
    if len(table.value) != 2 * len(objects):
        raise MalformedData(f"{what}: offset table of {len(table.value)} bytes for "
                            f"{len(objects)} objects")
    for index, item in enumerate(objects):
        claimed = int.from_bytes(table.value[2 * index: 2 * index + 2], "big")
        if claimed != item.offset:
            raise MalformedData(f"{what}: offset table puts {item.tag:X} at {claimed}, "
                                f"it is at {item.offset}")


def _sex(value: bytes, what: str) -> Sex:
    if len(value) != 1 or not value.isascii():
        raise MalformedData(f"{what} is not one ASCII character")
    return Sex.from_code(value.decode("ascii"))


def _utf8(value: bytes, what: str) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedData(f"{what} is not UTF-8") from None


def _exact(value: bytes, size: int, what: str) -> bytes:
    if len(value) != size:
        raise MalformedData(f"{what} is {len(value)} bytes, expected {size}")
    return value


# --- card-face AP EF 0002 --------------------------------------------------------------------
@dataclass(frozen=True)
class CardFace:
    birth_date: date  # Gregorian
    sex: Sex
    card_key: RsaPublicKey  # the chip's own key (DF24), used for the challenge
    name_png: bytes
    address_png: bytes
    photo_jp2: bytes  # undecoded until the signature verified (rule 4)
    signature: bytes
    expiry: date | None  # after the signature, so not signed
    security_code_png: bytes | None  # not signed either
    signed_groups: tuple[bytes, bytes, bytes]  # the complete TLVs behind each of the 3 hashes

    def __repr__(self) -> str:
        # Personal data stays out of logs and tracebacks (rule 2).
        return f"CardFace(<{len(self.photo_jp2)}-byte photo>, signature={len(self.signature)} B)"


_FACE_REQUIRED = (p.TAG_FACE_OFFSETS, *p.FACE_OBJECTS[:7])
_FACE_OPTIONAL = p.FACE_OBJECTS[7:]


def parse_card_face(file_bytes: bytes) -> CardFace:
    what = "card face (EF 0002)"
    outer, header_len = _outer(file_bytes, p.TAG_FACE, what)
    items = _children(outer, header_len)
    found = _split_required_optional(items, _FACE_REQUIRED, _FACE_OPTIONAL, what)
    _check_offset_table(items[0], items[1:], what)
    groups = tuple(b"".join(found[tag].raw for tag in group) for group in p.FACE_SIGNED_GROUPS)
    if len(groups) != 3:  # a change of profile.FACE_SIGNED_GROUPS must come here too
        raise MalformedData(f"{what}: {len(groups)} signed groups")
    expiry = found.get(p.TAG_FACE_EXPIRY)
    security_code = found.get(p.TAG_FACE_SECURITY_CODE_PNG)
    return CardFace(
        birth_date=parse_yyyymmdd(found[p.TAG_FACE_BIRTH].value, f"{what} birth date"),
        sex=_sex(found[p.TAG_FACE_SEX].value, f"{what} sex"),
        card_key=parse_rsa_key(found[p.TAG_FACE_CARD_KEY].value),
        name_png=found[p.TAG_FACE_NAME_PNG].value,
        address_png=found[p.TAG_FACE_ADDRESS_PNG].value,
        photo_jp2=found[p.TAG_FACE_PHOTO_JP2].value,
        signature=_exact(found[p.TAG_FACE_SIGNATURE].value, p.RSA_BYTES, f"{what} signature"),
        expiry=None if expiry is None else parse_yyyymmdd(expiry.value, f"{what} expiry"),
        security_code_png=None if security_code is None else security_code.value,
        signed_groups=(groups[0], groups[1], groups[2]),
    )


# --- card-verifiable certificate EF 0004 (both APs) ------------------------------------------
@dataclass(frozen=True)
class CvCertificate:
    issuer_key_id: KeyId  # 証明者鍵ID: which CA key signed this
    subject_key_id: KeyId  # 被証明者鍵ID
    public_key: RsaPublicKey
    body: bytes  # the 297 signed bytes (the 5F4E value)
    signature: bytes


def parse_cv_certificate(file_bytes: bytes) -> CvCertificate:
    what = "certificate (EF 0004)"
    outer, header_len = _outer(file_bytes, p.TAG_CV_CERT, what)
    items = _children(outer, header_len)
    _expect_tags(items, (p.TAG_CV_BODY, p.TAG_CV_SIGNATURE), what)
    body = _exact(items[0].value, p.CV_BODY_LEN, f"{what} body")
    signature = _exact(items[1].value, p.RSA_BYTES, f"{what} signature")
    ids = 2 * p.KEY_ID_LEN
    return CvCertificate(issuer_key_id=KeyId(body[:p.KEY_ID_LEN]),
                         subject_key_id=KeyId(body[p.KEY_ID_LEN:ids]),
                         public_key=parse_rsa_key(body[ids:]), body=body, signature=signature)


# --- card-face AP EF 0003 --------------------------------------------------------------------
@dataclass(frozen=True)
class ApBasicInfo:
    layout: bytes
    key_id: KeyId
    version: int
    municipality: str  # 全国地方公共団体コード, 5 digits


def parse_ap_basic_info(file_bytes: bytes) -> ApBasicInfo:
    what = "AP basic info (EF 0003)"
    outer, header_len = _outer(file_bytes, p.TAG_BASIC_INFO, what)
    items = _children(outer, header_len)
    # DF35's meaning is not established; it is allowed and left alone.
    found = _split_required_optional(
        items, (p.TAG_BI_LAYOUT, p.TAG_BI_KEY_ID, p.TAG_BI_VERSION, p.TAG_BI_MUNICIPALITY),
        (p.TAG_BI_OPAQUE,), what)
    municipality = found[p.TAG_BI_MUNICIPALITY].value
    if not (len(municipality) == MUNICIPALITY_DIGITS and municipality.isascii()
            and municipality.isdigit()):
        raise MalformedData(f"{what}: municipality code is not {MUNICIPALITY_DIGITS} digits")
    return ApBasicInfo(
        layout=_exact(found[p.TAG_BI_LAYOUT].value, BI_LAYOUT_BYTES, f"{what} layout"),
        key_id=KeyId(_exact(found[p.TAG_BI_KEY_ID].value, p.KEY_ID_LEN, f"{what} key id")),
        version=_exact(found[p.TAG_BI_VERSION].value, 1, f"{what} version")[0],
        municipality=municipality.decode("ascii"),
    )


# --- text AP EF 0002 and 0003 ----------------------------------------------------------------
@dataclass(frozen=True)
class TextBasicFour:
    name: str
    address: str
    birth_date: date
    sex: Sex
    hashed_part: bytes  # DF22 to the end of the FF20 value: what DF32 of EF 0003 hashes

    def __repr__(self) -> str:
        return "TextBasicFour(<personal data>)"


_TEXT_OBJECTS = (p.TAG_TX_NAME, p.TAG_TX_ADDRESS, p.TAG_TX_BIRTH, p.TAG_TX_SEX)


def parse_text_basic_four(file_bytes: bytes) -> TextBasicFour:
    what = "text basic four (text EF 0002)"
    outer, header_len = _outer(file_bytes, p.TAG_TX_BASIC_FOUR, what)
    items = _children(outer, header_len)
    _expect_tags(items, (p.TAG_TX_OFFSETS, *_TEXT_OBJECTS), what)
    _check_offset_table(items[0], items[1:], what)
    _, name, address, birth, sex = items
    start_in_value = name.offset - outer.offset - header_len
    return TextBasicFour(
        name=_utf8(name.value, f"{what} name"),
        address=_utf8(address.value, f"{what} address"),
        birth_date=parse_yyyymmdd(birth.value, f"{what} birth date"),
        sex=_sex(sex.value, f"{what} sex"),
        hashed_part=outer.value[start_in_value:],
    )


@dataclass(frozen=True)
class TextIntegrity:
    hash_my_number: bytes  # SHA-256 of text EF 0001, which this project never reads
    hash_basic_four: bytes
    signed_part: bytes  # DF31 and DF32 TLVs as they stand
    signature: bytes


def parse_text_integrity(file_bytes: bytes) -> TextIntegrity:
    what = "text integrity record (text EF 0003)"
    outer, header_len = _outer(file_bytes, p.TAG_TX_INTEGRITY, what)
    items = _children(outer, header_len)
    _expect_tags(items, (p.TAG_TX_HASH_MY_NUMBER, p.TAG_TX_HASH_BASIC_FOUR, p.TAG_TX_SIGNATURE),
                 what)
    my_number, basic_four, signature = items
    return TextIntegrity(
        hash_my_number=_exact(my_number.value, SHA256_BYTES, f"{what} DF31"),
        hash_basic_four=_exact(basic_four.value, SHA256_BYTES, f"{what} DF32"),
        signed_part=my_number.raw + basic_four.raw,
        signature=_exact(signature.value, p.RSA_BYTES, f"{what} signature"),
    )

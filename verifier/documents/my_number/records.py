"""The card's records (card-spec.md sections 2 and 5): first located, then read once verified.

Chip data is hostile input, and only signed bytes are evidence (design.md, rule 7). So each
signed record is handled in two stages:

1. `locate_*` finds exactly the bytes its signature covers, and reads the unsigned details
   around them leniently: a problem with the signed bytes themselves (missing, twice, a length
   past the end, junk where they must be) is `MalformedData` — evidence; anything unsigned that
   differs from the known layout is an `Oddity`, recorded and never raised.
2. `read_*` parses the signed values (dates, sex, keys), and is called only after the signature
   over them verified. The issuer signed those bytes, so a value that does not parse as
   expected is `UnsupportedLayout`: our reading of the format failed, not the card.

Nothing here verifies a signature (crypto.py does) or decodes an image (images.py does, after
the signature verified).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from verifier.card.contents import Contents, layout_oddities, read_contents, unique, walk
from verifier.card.oddities import Oddity
from verifier.card.tlv import Tlv, parse_all
from verifier.card.values import Sex, parse_yyyymmdd
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.key_id import KeyId
from verifier.errors import InternalError, MalformedData, UnsupportedLayout

SHA256_BYTES = 32
MUNICIPALITY_DIGITS = 5
BI_LAYOUT_BYTES = 4
RSA_EXPONENT_MAX_BYTES = 4
DATE_DIGITS = 8


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


@contextmanager
def _signed(what: str) -> Iterator[None]:
    """Inside bytes whose signature verified, a shape we do not know is our failure."""
    try:
        yield
    except MalformedData as error:
        raise UnsupportedLayout(f"{what}: {error}") from None


def _expect_tags(items: Sequence[Tlv], tags: Sequence[int], what: str) -> None:
    found = [item.tag for item in items]
    if found != list(tags):
        shown = " ".join(f"{tag:X}" for tag in found)
        raise MalformedData(f"{what}: objects {shown or 'none'}, expected "
                            + " ".join(f"{tag:X}" for tag in tags))


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
_FACE_SIGNED = tuple(tag for group in p.FACE_SIGNED_GROUPS for tag in group)  # DF22..DF27
_FACE_NEEDED = frozenset((*_FACE_SIGNED, p.TAG_FACE_SIGNATURE))
_FACE_KNOWN = (p.TAG_FACE_OFFSETS, *p.FACE_OBJECTS)


@dataclass(frozen=True)
class CardFaceFile:
    """Card-face EF 0002 located: the signed objects and the signature, not yet trusted, and
    the unsigned expiry and security code image as far as they could be read."""

    signed: dict[int, Tlv]  # DF22..DF27, each exactly once
    signature: bytes  # DF28's value, whatever its size: a wrong one simply fails to verify
    expiry: date | None  # DF29, unsigned: None when missing, unreadable or contradictory
    security_code_png: bytes | None  # DF2A, unsigned
    oddities: tuple[Oddity, ...]

    @property
    def signed_groups(self) -> tuple[bytes, bytes, bytes]:
        """The complete TLVs, as they stand in the file, behind each of the three hashes."""
        groups = tuple(b"".join(self.signed[tag].raw for tag in group)
                       for group in p.FACE_SIGNED_GROUPS)
        if len(groups) != 3:  # constants.FACE_SIGNED_GROUPS changed without this code
            raise InternalError(f"{len(groups)} signed groups in the card face")
        return groups[0], groups[1], groups[2]

    def __repr__(self) -> str:
        # Personal data stays out of logs and tracebacks (rule 2).
        return f"CardFaceFile(<{len(self.signed)} signed objects>, oddities={self.oddities})"


@dataclass(frozen=True)
class CardFace:
    """The card face's signed values, read after DF28 verified, and the unsigned extras."""

    birth_date: date  # Gregorian
    sex: Sex
    card_key: RsaPublicKey  # the chip's own key (DF24), used for the challenge
    name_png: bytes
    address_png: bytes
    photo_jp2: bytes  # undecoded until the signature verified (rule 4)
    expiry: date | None  # after the signature, so not signed
    security_code_png: bytes | None  # not signed either

    def __repr__(self) -> str:
        return f"CardFace(<{len(self.photo_jp2)}-byte photo>)"


def locate_card_face(file_bytes: bytes) -> CardFaceFile:
    what = "card face (EF 0002)"
    _, _, contents = read_contents(file_bytes, tag=p.TAG_FACE, needed=_FACE_NEEDED, what=what)
    oddities = [*contents.oddities, *layout_oddities(
        contents, known=_FACE_KNOWN, needed=_FACE_NEEDED, table=p.TAG_FACE_OFFSETS)]
    expiry = _expiry(contents.all(p.TAG_FACE_EXPIRY), oddities)
    codes = contents.all(p.TAG_FACE_SECURITY_CODE_PNG)
    if not codes:
        oddities.append(Oddity.MISSING_UNSIGNED)
    return CardFaceFile(
        signed={tag: contents.one(tag) for tag in _FACE_SIGNED},
        signature=contents.one(p.TAG_FACE_SIGNATURE).value,
        expiry=expiry,
        security_code_png=codes[0].value if len({c.value for c in codes}) == 1 else None,
        oddities=unique(oddities),
    )


def _expiry(objects: list[Tlv], oddities: list[Oddity]) -> date | None:
    """DF29, unsigned: 8 digits, or exactly 8 digits among other characters (an oddity).
    Missing, unreadable or two different dates: no expiry, never an error."""
    if not objects:
        oddities.append(Oddity.MISSING_UNSIGNED)
        return None
    if len(objects) > 1:
        oddities.append(Oddity.DUPLICATE_UNSIGNED)
    dates = {_expiry_date(item.value, oddities) for item in objects}
    if None in dates:
        return None
    if len(dates) > 1:
        oddities.append(Oddity.EXPIRY_CONFLICT)
        return None
    return dates.pop()


def _expiry_date(value: bytes, oddities: list[Oddity]) -> date | None:
    digits = value
    if not (len(value) == DATE_DIGITS and value.isascii() and value.isdigit()):
        digits = bytes(byte for byte in value if 0x30 <= byte <= 0x39)
        if len(digits) != DATE_DIGITS:
            oddities.append(Oddity.EXPIRY_UNREADABLE)
            return None
        oddities.append(Oddity.EXPIRY_FORMAT)
    try:
        return parse_yyyymmdd(digits, "expiry")
    except MalformedData:
        oddities.append(Oddity.EXPIRY_UNREADABLE)
        return None


def read_card_face(located: CardFaceFile) -> CardFace:
    """The signed values. Call only after DF28 verified over `located.signed_groups`."""
    what = "card face (EF 0002)"
    signed = located.signed
    with _signed(what):
        return CardFace(
            birth_date=parse_yyyymmdd(signed[p.TAG_FACE_BIRTH].value, f"{what} birth date"),
            sex=_sex(signed[p.TAG_FACE_SEX].value, f"{what} sex"),
            card_key=parse_rsa_key(signed[p.TAG_FACE_CARD_KEY].value),
            name_png=signed[p.TAG_FACE_NAME_PNG].value,
            address_png=signed[p.TAG_FACE_ADDRESS_PNG].value,
            photo_jp2=signed[p.TAG_FACE_PHOTO_JP2].value,
            expiry=located.expiry,
            security_code_png=located.security_code_png,
        )


# --- card-verifiable certificate EF 0004 (both APs) ------------------------------------------
_CV_NEEDED = frozenset((p.TAG_CV_BODY, p.TAG_CV_SIGNATURE))


@dataclass(frozen=True)
class CvCertificate:
    """EF 0004 located: the body a CA signs, its signature, and the issuer to look up."""

    issuer_key_id: KeyId  # 証明者鍵ID: which CA key signed this
    body: bytes  # the 5F4E value, all of it signed
    signature: bytes  # the 5F37 value
    oddities: tuple[Oddity, ...]


@dataclass(frozen=True)
class CertifiedKey:
    """What a certificate certifies, read after the CA's signature over the body verified."""

    subject_key_id: KeyId  # 被証明者鍵ID
    public_key: RsaPublicKey


def locate_cv_certificate(file_bytes: bytes) -> CvCertificate:
    what = "certificate (EF 0004)"
    _, _, contents = read_contents(file_bytes, tag=p.TAG_CV_CERT, needed=_CV_NEEDED, what=what)
    body = contents.one(p.TAG_CV_BODY).value
    if len(body) < p.KEY_ID_LEN:
        raise MalformedData(f"{what}: a body of {len(body)} bytes names no issuer")
    oddities = [*contents.oddities, *layout_oddities(
        contents, known=(p.TAG_CV_BODY, p.TAG_CV_SIGNATURE), needed=_CV_NEEDED)]
    return CvCertificate(issuer_key_id=KeyId(body[:p.KEY_ID_LEN]), body=body,
                         signature=contents.one(p.TAG_CV_SIGNATURE).value,
                         oddities=unique(oddities))


def read_certified_key(certificate: CvCertificate) -> CertifiedKey:
    """Subject key id and key from the body. Call only after the CA's signature verified."""
    body = certificate.body
    ids = 2 * p.KEY_ID_LEN
    with _signed("certificate (EF 0004) body"):
        if len(body) < ids:
            raise MalformedData(f"{len(body)} bytes, too short for two key ids")
        return CertifiedKey(subject_key_id=KeyId(body[p.KEY_ID_LEN:ids]),
                            public_key=parse_rsa_key(body[ids:]))


# --- card-face AP EF 0003 --------------------------------------------------------------------
@dataclass(frozen=True)
class ApBasicInfo:
    layout: bytes
    key_id: KeyId
    version: int
    municipality: str  # 全国地方公共団体コード, 5 digits


_BI_REQUIRED = frozenset((p.TAG_BI_LAYOUT, p.TAG_BI_KEY_ID, p.TAG_BI_VERSION,
                         p.TAG_BI_MUNICIPALITY))


def parse_ap_basic_info(file_bytes: bytes) -> ApBasicInfo:
    """EF 0003 is not signed and the verification never reads it; DF35's meaning is not
    established and it is left alone, as is any other object."""
    what = "AP basic info (EF 0003)"
    _, _, contents = read_contents(file_bytes, tag=p.TAG_BASIC_INFO, needed=_BI_REQUIRED,
                                   what=what)
    municipality = contents.one(p.TAG_BI_MUNICIPALITY).value
    if not (len(municipality) == MUNICIPALITY_DIGITS and municipality.isascii()
            and municipality.isdigit()):
        raise MalformedData(f"{what}: municipality code is not {MUNICIPALITY_DIGITS} digits")
    return ApBasicInfo(
        layout=_exact(contents.one(p.TAG_BI_LAYOUT).value, BI_LAYOUT_BYTES, f"{what} layout"),
        key_id=KeyId(_exact(contents.one(p.TAG_BI_KEY_ID).value, p.KEY_ID_LEN,
                            f"{what} key id")),
        version=_exact(contents.one(p.TAG_BI_VERSION).value, 1, f"{what} version")[0],
        municipality=municipality.decode("ascii"),
    )


# --- text AP EF 0002 and 0003 ----------------------------------------------------------------
_TEXT_OBJECTS = (p.TAG_TX_NAME, p.TAG_TX_ADDRESS, p.TAG_TX_BIRTH, p.TAG_TX_SEX)
_TEXT_KNOWN = (p.TAG_TX_OFFSETS, *_TEXT_OBJECTS)


@dataclass(frozen=True)
class TextBasicFourFile:
    """Text EF 0002 located: the part DF32 hashes (DF22 to the end of the FF20 value), and the
    unsigned objects before it (the offset table)."""

    hashed_part: bytes
    hashed_at: int  # where the hashed part starts in the file
    before: Contents  # the objects up to and including the first DF22
    oddities: tuple[Oddity, ...]

    def __repr__(self) -> str:
        return f"TextBasicFourFile(<{len(self.hashed_part)} hashed bytes>)"


@dataclass(frozen=True)
class TextBasicFour:
    name: str
    address: str
    birth_date: date
    sex: Sex
    oddities: tuple[Oddity, ...]  # the located file's, and the offset table's

    def __repr__(self) -> str:
        return "TextBasicFour(<personal data>)"


def locate_text_basic_four(file_bytes: bytes) -> TextBasicFourFile:
    """Only DF22 must be found: from its tag to the end of the FF20 value every byte is
    hashed, so what stands there is judged by the hash, and read only after it matched."""
    what = "text basic four (text EF 0002)"
    item, header_len, before = read_contents(file_bytes, tag=p.TAG_TX_BASIC_FOUR,
                                             needed=frozenset((p.TAG_TX_NAME,)), what=what,
                                             until=p.TAG_TX_NAME)
    name = before.objects[-1]
    start = name.offset - header_len
    unknown = [tag for tag in (o.tag for o in before.objects) if tag not in _TEXT_KNOWN]
    oddities = [*before.oddities, *([Oddity.UNKNOWN_OBJECT] if unknown else [])]
    if len(before.all(p.TAG_TX_OFFSETS)) > 1:
        oddities.append(Oddity.DUPLICATE_UNSIGNED)
    return TextBasicFourFile(hashed_part=item.value[start:], hashed_at=name.offset,
                             before=before, oddities=unique(oddities))


def read_text_basic_four(located: TextBasicFourFile) -> TextBasicFour:
    """The four values. Call only after the hashed part matched DF32 and DF33 verified."""
    what = "text basic four (text EF 0002)"
    needed = frozenset(_TEXT_OBJECTS)
    with _signed(what):
        hashed = walk(located.hashed_part, base=located.hashed_at, needed=needed, what=what)
        name, address, birth, sex = (hashed.one(tag) for tag in _TEXT_OBJECTS)
        values = (_utf8(name.value, f"{what} name"), _utf8(address.value, f"{what} address"),
                  parse_yyyymmdd(birth.value, f"{what} birth date"), _sex(sex.value, f"{what} sex"))
    whole = Contents(located.before.objects[:-1] + hashed.objects,
                     located.before.oddities + hashed.oddities)
    oddities = [*located.oddities, *hashed.oddities,
                *layout_oddities(whole, known=_TEXT_KNOWN, needed=needed, table=p.TAG_TX_OFFSETS)]
    return TextBasicFour(name=values[0], address=values[1], birth_date=values[2], sex=values[3],
                         oddities=unique(oddities))


_INTEGRITY_NEEDED = frozenset((p.TAG_TX_HASH_MY_NUMBER, p.TAG_TX_HASH_BASIC_FOUR,
                               p.TAG_TX_SIGNATURE))


@dataclass(frozen=True)
class TextIntegrity:
    """Text EF 0003 located: DF33 signs the DF31 and DF32 objects as they stand."""

    signed_part: bytes  # DF31 then DF32, complete TLVs
    hash_basic_four: bytes  # DF32's value: a SHA-256, once DF33 verified
    signature: bytes
    oddities: tuple[Oddity, ...]


def locate_text_integrity(file_bytes: bytes) -> TextIntegrity:
    what = "text integrity record (text EF 0003)"
    _, _, contents = read_contents(file_bytes, tag=p.TAG_TX_INTEGRITY, needed=_INTEGRITY_NEEDED,
                                   what=what)
    my_number, basic_four = (contents.one(p.TAG_TX_HASH_MY_NUMBER),
                             contents.one(p.TAG_TX_HASH_BASIC_FOUR))
    oddities = [*contents.oddities, *layout_oddities(
        contents, known=(p.TAG_TX_HASH_MY_NUMBER, p.TAG_TX_HASH_BASIC_FOUR, p.TAG_TX_SIGNATURE),
        needed=_INTEGRITY_NEEDED)]
    return TextIntegrity(signed_part=my_number.raw + basic_four.raw,
                         hash_basic_four=basic_four.value,
                         signature=contents.one(p.TAG_TX_SIGNATURE).value,
                         oddities=unique(oddities))


def basic_four_digest(integrity: TextIntegrity) -> bytes:
    """DF32's SHA-256. Call only after DF33 verified over DF31 and DF32."""
    with _signed("text integrity record (text EF 0003)"):
        return _exact(integrity.hash_basic_four, SHA256_BYTES, "DF32")

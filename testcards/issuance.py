"""Issuing a simulated card: a persona's data laid out in the card's files (card-spec.md).

Pure functions over immutable values, cached, so a card's bytes are built once per process and
every run builds the same bytes. Counters and session state live in each SimulatedCard, never here.

The unsigned wrapping of each file is a parameter (`Wrapping`: objects or filler added, an
offset table that lies or is missing), so a genuine card of another layout can be issued:
testcards/layouts.py names the variants. The default wrapping is the card-spec's.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from functools import lru_cache

from testcards import keystore, render
from testcards.personas import Persona
from testcards.signing import digest_info, sign_digest_info, sign_sha256
from verifier.card.tlv import encode, encode_long
from verifier.documents.my_number import constants as p

SHA256_BYTES = 32
CARD_FACE_FILE_SIZE = 10240  # fixed EF size; the object is followed by FF filler
TEXT_BASIC_FOUR_FILE_SIZE = 512
LONG = 2  # `82 LL LL`, as the card writes its outer objects
AP_LAYOUT_ID = bytes.fromhex("00000001")
AP_VERSION = 1
#: Municipality codes (JIS X 0401/0402, public) of the places the personas' addresses name.
MUNICIPALITIES = (("東京都千代田区", "13101"), ("大阪府大阪市北区", "27127"),
                  ("北海道札幌市中央区", "01101"), ("福岡県福岡市博多区", "40132"),
                  ("愛知県名古屋市中区", "23106"), ("神奈川県横浜市中区", "14104"))
UNKNOWN_MUNICIPALITY = "99999"


class Offsets(enum.Enum):
    """How an offset table (DF21) is written."""

    HONEST = "honest"  # one u16 per listed object: where its tag starts in the file
    OFF_BY_ONE = "off-by-one"  # every entry one byte too far
    WRONG = "wrong"  # the honest entries in reverse order
    MISSING = "missing"  # no offset table at all


class KeyForm(enum.Enum):
    """How an RSA key value (DF24, a certificate body) is written."""

    STANDARD = "standard"  # 90 exponent, then 91 modulus
    EXPONENT_LAST = "exponent-last"  # 91 modulus, then 90 exponent: a form no reader knows


@dataclass(frozen=True)
class Insert:
    """Bytes added inside a file's outer object, before the first object of tag `before`
    (None: at the end, inside the outer object)."""

    before: int | None
    raw: bytes = b""
    #: Instead of `raw`: another copy of the object of this tag, as it stands.
    copy_of: int | None = None
    #: Whether the offset table lists it (objects: yes; filler: no).
    listed: bool = True


@dataclass(frozen=True)
class Wrapping:
    """The unsigned wrapping of one file: what is added, dropped, and how offsets are told."""

    inserts: tuple[Insert, ...] = ()
    drop: tuple[int, ...] = ()  # tags of objects left out
    offsets: Offsets = Offsets.HONEST


PLAIN = Wrapping()


@dataclass(frozen=True)
class _Piece:
    tag: int | None  # None: filler
    raw: bytes
    listed: bool


def _wrap(objects: list[tuple[int, bytes]], wrapping: Wrapping) -> list[_Piece]:
    """The complete TLVs in file order, with the wrapping's additions placed."""
    pieces = [_Piece(tag, raw, True) for tag, raw in objects if tag not in wrapping.drop]
    for insert in wrapping.inserts:
        raw = (insert.raw if insert.copy_of is None
               else next(raw for tag, raw in objects if tag == insert.copy_of))
        tag = insert.copy_of if insert.copy_of is not None else None
        at = (len(pieces) if insert.before is None
              else next(i for i, piece in enumerate(pieces) if piece.tag == insert.before))
        pieces.insert(at, _Piece(tag, raw, insert.listed))
    return pieces


@dataclass(frozen=True)
class FaceContent:
    """The objects of card-face EF 0002, as values (tags and lengths are added on assembly)."""

    birth: str  # YYYYMMDD
    sex: str
    card_key: bytes  # DF24 value: 90 03 010001 91 82 0100 <modulus>
    name_png: bytes
    address_png: bytes
    photo_jp2: bytes
    expiry: str  # YYYYMMDD
    security_code_png: bytes

    def signed_objects(self) -> tuple[tuple[int, bytes], ...]:
        return ((p.TAG_FACE_BIRTH, self.birth.encode("ascii")),
                (p.TAG_FACE_SEX, self.sex.encode("ascii")),
                (p.TAG_FACE_CARD_KEY, self.card_key),
                (p.TAG_FACE_NAME_PNG, self.name_png),
                (p.TAG_FACE_ADDRESS_PNG, self.address_png),
                (p.TAG_FACE_PHOTO_JP2, self.photo_jp2))

    def signed_groups(self) -> tuple[bytes, bytes, bytes]:
        """The complete TLVs of each group whose SHA-256 makes the 96-byte digest."""
        tlvs = dict(self.signed_objects())
        first, second, third = (b"".join(encode(tag, tlvs[tag]) for tag in group)
                                for group in p.FACE_SIGNED_GROUPS)
        return first, second, third


@dataclass(frozen=True)
class TextContent:
    """The basic four of the text AP (EF 0002)."""

    name: str
    address: str
    birth: str  # YYYYMMDD
    sex: str


# --- keys and certificates -------------------------------------------------------------------
@lru_cache(maxsize=128)
def rsa_key_value(key_name: str, form: KeyForm = KeyForm.STANDARD) -> bytes:
    """`90 03 010001 91 82 0100 <modulus>` for a committed key (DF24, certificate bodies)."""
    numbers = keystore.public_key(key_name).public_numbers()
    exponent = encode(p.TAG_RSA_EXPONENT,
                      numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big"))
    modulus = encode_long(p.TAG_RSA_MODULUS, numbers.n.to_bytes(p.RSA_BYTES, "big"),
                          length_bytes=LONG)
    return exponent + modulus if form is KeyForm.STANDARD else modulus + exponent


def flip(data: bytes, index: int) -> bytes:
    """`data` with the byte at `index` changed (its length kept)."""
    return data[:index] + bytes((data[index] ^ 0x5A,)) + data[index + 1:]


@lru_cache(maxsize=128)
def certificate(*, issuer_id: bytes, subject_id: bytes, subject_key: str, ca_key: str,
                wrapping: Wrapping = PLAIN, key_form: KeyForm = KeyForm.STANDARD,
                flip_body_at: int | None = None) -> bytes:
    """EF 0004: `7F21 82 0233 {5F4E 82 0129 <body>, 5F37 82 0100 <signature>}` (568 bytes).
    `flip_body_at`: one byte of the body changed after the CA signed it."""
    body = issuer_id + subject_id + rsa_key_value(subject_key, key_form)
    signature = sign_sha256(ca_key, body)
    if flip_body_at is not None:
        body = flip(body, flip_body_at)
    objects = [(p.TAG_CV_BODY, encode_long(p.TAG_CV_BODY, body, length_bytes=LONG)),
               (p.TAG_CV_SIGNATURE, encode_long(p.TAG_CV_SIGNATURE, signature,
                                                length_bytes=LONG))]
    return encode_long(p.TAG_CV_CERT, b"".join(piece.raw for piece in _wrap(objects, wrapping)),
                       length_bytes=LONG)


def municipality_code(address: str) -> str:
    return next((code for prefix, code in MUNICIPALITIES if address.startswith(prefix)),
                UNKNOWN_MUNICIPALITY)


def _opaque(seed: str, length: int) -> bytes:
    stream = b""
    counter = 0
    while len(stream) < length:
        stream += hashlib.sha256(f"{seed}/{counter}".encode()).digest()
        counter += 1
    return stream[:length]


@lru_cache(maxsize=128)
def basic_info_file(*, key_id: bytes, municipality: str, seed: str) -> bytes:
    """Card-face EF 0003: FF30 {DF31 layout, DF32 key id, DF33 version, DF34 code, DF35 opaque}."""
    return encode(p.TAG_BASIC_INFO, b"".join((
        encode(p.TAG_BI_LAYOUT, AP_LAYOUT_ID),
        encode(p.TAG_BI_KEY_ID, key_id),
        encode(p.TAG_BI_VERSION, bytes((AP_VERSION,))),
        encode(p.TAG_BI_MUNICIPALITY, municipality.encode("ascii")),
        encode(p.TAG_BI_OPAQUE, _opaque(f"basic-info/{seed}", 16 + p.RSA_BYTES)))))


# --- the card face ---------------------------------------------------------------------------
@lru_cache(maxsize=128)
def face_content(persona: Persona, *, chip_key: str) -> FaceContent:
    return FaceContent(
        birth=persona.birth.strftime("%Y%m%d"), sex=persona.sex,
        card_key=rsa_key_value(chip_key),
        name_png=render.text_png(persona.name), address_png=render.address_png(persona.address),
        photo_jp2=render.photo_jp2(persona.key),
        expiry=persona.expiry.strftime("%Y%m%d"),
        security_code_png=render.security_code_png(persona.security_code))


def face_digest_info(content: FaceContent) -> bytes:
    """DigestInfo(SHA-256) whose OCTET STRING holds the three group hashes (115 bytes)."""
    return digest_info(b"".join(hashlib.sha256(group).digest()
                                for group in content.signed_groups()))


@lru_cache(maxsize=128)
def face_signature(content: FaceContent, *, signer: str) -> bytes:
    return sign_digest_info(signer, face_digest_info(content))


def _with_offsets(outer_tag: int, offsets_tag: int, pieces: list[_Piece],
                  offsets: Offsets = Offsets.HONEST) -> bytes:
    """Outer `82 LL LL` object: offset table (u16 per listed piece, from the file start, as
    `offsets` says), then the pieces."""
    body = b"".join(piece.raw for piece in pieces)
    if offsets is Offsets.MISSING:
        return encode_long(outer_tag, body, length_bytes=LONG)
    listed = sum(piece.listed for piece in pieces)
    header_len = len(encode_long(outer_tag, b"", length_bytes=LONG))
    position = header_len + len(encode(offsets_tag, bytes(2 * listed)))
    entries: list[int] = []
    for piece in pieces:
        if piece.listed:
            entries.append(position)
        position += len(piece.raw)
    if offsets is Offsets.OFF_BY_ONE:
        entries = [entry + 1 for entry in entries]
    elif offsets is Offsets.WRONG:
        entries.reverse()
    table = encode(offsets_tag, b"".join(entry.to_bytes(2, "big") for entry in entries))
    return encode_long(outer_tag, table + body, length_bytes=LONG)


def _pad(data: bytes, size: int) -> bytes:
    if len(data) > size:
        raise ValueError(f"{len(data)} bytes do not fit a {size}-byte file")
    return data + b"\xff" * (size - len(data))


@lru_cache(maxsize=128)
def card_face_file(content: FaceContent, *, signature: bytes,
                   wrapping: Wrapping = PLAIN) -> bytes:
    """Card-face EF 0002: FF20 {DF21 offsets, DF22..DF27, DF28 signature, DF29, DF2A} + FF."""
    objects = [(tag, encode(tag, value)) for tag, value in content.signed_objects()]
    objects += [(p.TAG_FACE_SIGNATURE, encode(p.TAG_FACE_SIGNATURE, signature)),
                (p.TAG_FACE_EXPIRY, encode(p.TAG_FACE_EXPIRY, content.expiry.encode())),
                (p.TAG_FACE_SECURITY_CODE_PNG,
                 encode(p.TAG_FACE_SECURITY_CODE_PNG, content.security_code_png))]
    return _pad(_with_offsets(p.TAG_FACE, p.TAG_FACE_OFFSETS, _wrap(objects, wrapping),
                              wrapping.offsets), CARD_FACE_FILE_SIZE)


@lru_cache(maxsize=128)
def age_record_file(content: FaceContent, *, signer: str) -> bytes:
    """Card-face EF 0001: FF10 {DF11 birth, DF12 card key, DF13 signature over the TLVs before}."""
    signed = encode(0xDF11, content.birth.encode("ascii")) + encode(0xDF12, content.card_key)
    return encode(0xFF10, signed + encode(0xDF13, sign_sha256(signer, signed)))


def my_number_image_file(seed: str) -> bytes:
    """Card-face EF 0005 stand-in: opened by 照合番号A only, so a test can prove nobody reads it."""
    return encode(0xFF40, encode(0xDF41, b"SIMULATED-MY-NUMBER-IMAGE/" + seed.encode()))


# --- the text AP -----------------------------------------------------------------------------
def text_content(persona: Persona) -> TextContent:
    return TextContent(name=persona.name, address=persona.address,
                       birth=persona.birth.strftime("%Y%m%d"), sex=persona.sex)


def fake_my_number(seed: str) -> str:
    """An obviously fake 12-digit number: six zeros, then six digits from the seed."""
    number = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:4], "big") % 1_000_000
    return f"000000{number:06d}"


def my_number_file(digits: str) -> bytes:
    """Text EF 0001: `FF10 0C <12 digits>` + FF FF (17 bytes). Never read by the verifier."""
    return encode(0xFF10, digits.encode("ascii")) + b"\xff\xff"


def _text_objects(content: TextContent) -> list[tuple[int, bytes]]:
    return [(p.TAG_TX_NAME, encode(p.TAG_TX_NAME, content.name.encode("utf-8"))),
            (p.TAG_TX_ADDRESS, encode(p.TAG_TX_ADDRESS, content.address.encode("utf-8"))),
            (p.TAG_TX_BIRTH, encode(p.TAG_TX_BIRTH, content.birth.encode("ascii"))),
            (p.TAG_TX_SEX, encode(p.TAG_TX_SEX, content.sex.encode("ascii")))]


@lru_cache(maxsize=128)
def text_basic_four_file(content: TextContent, *, wrapping: Wrapping = PLAIN) -> bytes:
    """Text EF 0002: FF20 {DF21 offsets (4 x u16), DF22 name, DF23 address, DF24 birth, DF25
    sex} + FF filler. Insert only before DF22: from DF22 on, every byte is hashed (DF32)."""
    if any(insert.before != p.TAG_TX_NAME for insert in wrapping.inserts) or wrapping.drop:
        raise ValueError("the text AP's unsigned wrapping is before DF22 only")
    return _pad(_with_offsets(p.TAG_TX_BASIC_FOUR, p.TAG_TX_OFFSETS,
                              _wrap(_text_objects(content), wrapping), wrapping.offsets),
                TEXT_BASIC_FOUR_FILE_SIZE)


def text_hashed_part(content: TextContent) -> bytes:
    """DF22 to the end of the FF20 value: what DF32 hashes (the offset table excluded)."""
    return b"".join(raw for _, raw in _text_objects(content))


@lru_cache(maxsize=128)
def text_integrity_file(content: TextContent, *, my_number: bytes, signer: str,
                        wrapping: Wrapping = PLAIN, flip_signed_at: int | None = None) -> bytes:
    """Text EF 0003: FF30 {DF31 SHA-256(EF 0001), DF32 SHA-256(DF22..end), DF33 signature}.
    `flip_signed_at`: one byte of DF31 changed after DF33 was made."""
    my_number_hash = hashlib.sha256(my_number).digest()
    basic_four_hash = hashlib.sha256(text_hashed_part(content)).digest()
    signed = (encode(p.TAG_TX_HASH_MY_NUMBER, my_number_hash)
              + encode(p.TAG_TX_HASH_BASIC_FOUR, basic_four_hash))
    signature = sign_sha256(signer, signed)
    if flip_signed_at is not None:
        my_number_hash = flip(my_number_hash, flip_signed_at)
    objects = [(p.TAG_TX_HASH_MY_NUMBER, encode(p.TAG_TX_HASH_MY_NUMBER, my_number_hash)),
               (p.TAG_TX_HASH_BASIC_FOUR, encode(p.TAG_TX_HASH_BASIC_FOUR, basic_four_hash)),
               (p.TAG_TX_SIGNATURE, encode(p.TAG_TX_SIGNATURE, signature))]
    return encode(p.TAG_TX_INTEGRITY, b"".join(piece.raw for piece in _wrap(objects, wrapping)))


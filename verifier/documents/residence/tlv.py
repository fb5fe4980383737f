"""BER-TLV as the residence chip writes it (spec 2): tags of one or two bytes, lengths of one to
three (`xx`, `81 xx`, `82 xx xx`).

Not the My Number Card's parser: there a tag byte after the first with bit 8 set announces a
third byte (strict BER), while this chip's two-byte tag DF D1 has bit 8 set in its second byte
and stops there. Every failure is `MalformedData`; no IndexError escapes.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.errors import MalformedData

MULTI_BYTE_TAG = 0x1F
MAX_LENGTH_BYTES = 2  # after the 8x byte: 81 xx, 82 xx xx


@dataclass(frozen=True)
class Tlv:
    tag: int
    value: bytes
    raw: bytes  # tag, length and value as they stood
    offset: int  # where the tag starts in the input

    def __repr__(self) -> str:
        return f"Tlv({self.tag:X}, <{len(self.value)} bytes> at {self.offset})"


def header(data: bytes, offset: int = 0) -> tuple[int, int, int]:
    """(tag, header length, value length) of the object at `offset`."""
    if offset >= len(data):
        raise MalformedData(f"no tag at offset {offset}")
    tag, pos = data[offset], offset + 1
    if tag & MULTI_BYTE_TAG == MULTI_BYTE_TAG:
        if pos >= len(data):
            raise MalformedData(f"truncated tag at offset {offset}")
        tag, pos = tag << 8 | data[pos], pos + 1
    if pos >= len(data):
        raise MalformedData(f"no length at offset {offset}")
    first = data[pos]
    pos += 1
    if first < 0x80:
        return tag, pos - offset, first
    count = first & 0x7F
    if not 1 <= count <= MAX_LENGTH_BYTES:
        raise MalformedData(f"length form {first:02X} at offset {offset}")
    if pos + count > len(data):
        raise MalformedData(f"truncated length at offset {offset}")
    length = int.from_bytes(data[pos:pos + count], "big")
    return tag, pos + count - offset, length


def parse_one(data: bytes, offset: int = 0) -> Tlv:
    tag, header_len, length = header(data, offset)
    start = offset + header_len
    end = start + length
    if end > len(data):
        raise MalformedData(f"tag {tag:X} at offset {offset} claims {length} bytes, "
                            f"{len(data) - start} remain")
    return Tlv(tag, bytes(data[start:end]), bytes(data[offset:end]), offset)


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes((length,))
    if length <= 0xFF:
        return bytes((0x81, length))
    if length <= 0xFFFF:
        return b"\x82" + length.to_bytes(2, "big")
    raise MalformedData(f"a value of {length} bytes is too long for this chip's objects")


def encode(tag: int, value: bytes) -> bytes:
    """Tag (one or two bytes), minimal length, value."""
    return tag.to_bytes(2 if tag > 0xFF else 1, "big") + encode_length(len(value)) + value


def encode_long(tag: int, value: bytes) -> bytes:
    """With a two-byte length `82 xx xx` whatever the size, as the chip writes its images."""
    return tag.to_bytes(2 if tag > 0xFF else 1, "big") + b"\x82" + len(value).to_bytes(2, "big") \
        + value

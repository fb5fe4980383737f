"""A strict, bounded BER-TLV parser for the card's records.

Every failure is `MalformedData`: chip data is hostile input, and no IndexError may escape.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.errors import MalformedData

MAX_TAG_BYTES = 3
MAX_LENGTH_BYTES = 3  # 16 MiB, far above anything a 15-bit-addressed file can hold


@dataclass(frozen=True)
class Tlv:
    tag: int
    value: bytes
    raw: bytes  # tag, length and value exactly as they stood in the input
    offset: int  # where the tag starts in the input

    @property
    def end(self) -> int:
        return self.offset + len(self.raw)


def _read_tag(data: bytes, offset: int) -> tuple[int, int]:
    if offset >= len(data):
        raise MalformedData(f"no tag at offset {offset}")
    first = data[offset]
    tag, pos = first, offset + 1
    if first & 0x1F == 0x1F:  # multi-byte tag: continuation bytes carry bit 8
        while True:
            if pos >= len(data):
                raise MalformedData(f"truncated tag at offset {offset}")
            if pos - offset >= MAX_TAG_BYTES:
                raise MalformedData(f"tag longer than {MAX_TAG_BYTES} bytes at offset {offset}")
            byte = data[pos]
            tag = tag << 8 | byte
            pos += 1
            if not byte & 0x80:
                break
    return tag, pos


def _read_length(data: bytes, offset: int) -> tuple[int, int]:
    if offset >= len(data):
        raise MalformedData(f"no length at offset {offset}")
    first = data[offset]
    if first < 0x80:
        return first, offset + 1
    count = first & 0x7F
    if count == 0:
        raise MalformedData(f"indefinite length at offset {offset}")
    if count > MAX_LENGTH_BYTES:
        raise MalformedData(f"{count}-byte length at offset {offset}")
    if offset + 1 + count > len(data):
        raise MalformedData(f"truncated length at offset {offset}")
    return int.from_bytes(data[offset + 1 : offset + 1 + count], "big"), offset + 1 + count


def header(data: bytes, offset: int = 0) -> tuple[int, int, int]:
    """(tag, header length, value length) of the TLV at `offset`, without its value."""
    tag, pos = _read_tag(data, offset)
    length, pos = _read_length(data, pos)
    return tag, pos - offset, length


def parse_one(data: bytes, offset: int = 0) -> Tlv:
    tag, header_len, length = header(data, offset)
    start = offset + header_len
    end = start + length
    if end > len(data):
        raise MalformedData(
            f"tag {tag:X} at offset {offset} claims {length} bytes, {len(data) - start} remain")
    return Tlv(tag, bytes(data[start:end]), bytes(data[offset:end]), offset)


def parse_all(data: bytes, *, base_offset: int = 0) -> list[Tlv]:
    """Consecutive TLVs that fill `data` exactly; offsets are reported from `base_offset`."""
    items: list[Tlv] = []
    pos = 0
    while pos < len(data):
        item = parse_one(data, pos)
        items.append(Tlv(item.tag, item.value, item.raw, base_offset + pos))
        pos += len(item.raw)
    return items


def total_length(prefix: bytes) -> int | None:
    """Bytes the first TLV occupies, once `prefix` holds its whole header; None until then."""
    try:
        _, header_len, length = header(prefix)
    except MalformedData:
        # Only a header cut short by the prefix deserves "read more"; anything else is bad data.
        if len(prefix) >= 1 + MAX_TAG_BYTES + 1 + MAX_LENGTH_BYTES:
            raise
        return None
    return header_len + length


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes((length,))
    size = (length.bit_length() + 7) // 8
    if size > MAX_LENGTH_BYTES:
        raise MalformedData(f"value of {length} bytes is too long to encode")
    return bytes((0x80 | size,)) + length.to_bytes(size, "big")


def encode(tag: int, value: bytes) -> bytes:
    """Tag, minimal-form length, value."""
    size = max(1, (tag.bit_length() + 7) // 8)
    return tag.to_bytes(size, "big") + encode_length(len(value)) + value


def encode_long(tag: int, value: bytes, *, length_bytes: int) -> bytes:
    """Tag with a fixed-width long-form length, as the card writes `82 LL LL` for short data."""
    size = max(1, (tag.bit_length() + 7) // 8)
    return (tag.to_bytes(size, "big") + bytes((0x80 | length_bytes,))
            + len(value).to_bytes(length_bytes, "big") + value)

"""The residence chip's images made displayable as PNG, with limits checked before decoding.

Call only on images the Agency's signature covered (design.md rule 4; the address image of the
second generation is the exception the clerk is told about: it is unsigned). The TIFFs are the
front of a first-generation card and the second generation's MMR (Group 4) name and address
images; the photo is JPEG 2000, decoded as the My Number Card's is. Pillow is imported inside
the functions so nothing loads it before a card is read.
"""

from __future__ import annotations

from verifier.card.images import decode_photo as _decode_jp2
from verifier.card.images import to_png
from verifier.documents.residence import constants as c
from verifier.errors import MalformedData

#: A front-of-card image is a card-sized scan at low resolution; four mega-pixels is far more
#: than 7000 bytes of TIFF can describe honestly.
MAX_TIFF_PIXELS = 4_000_000
MAX_PHOTO_PIXELS = 1_000_000


def decode_tiff(tiff: bytes, *, max_pixels: int = MAX_TIFF_PIXELS) -> bytes:
    """PNG bytes of a TIFF; `MalformedData` for anything else or anything too big."""
    if len(tiff) > c.MAX_FILE_BYTES:
        raise MalformedData(f"image of {len(tiff)} bytes is larger than any file on the card")
    return to_png(tiff, "TIFF", max_pixels=max_pixels, what="image", other_modes="L")


def decode_photo(jp2: bytes, *, max_pixels: int = MAX_PHOTO_PIXELS) -> bytes:
    """PNG bytes of the JPEG 2000 photo (both generations)."""
    if len(jp2) > c.PHOTO_MAX:
        raise MalformedData(f"photo of {len(jp2)} bytes is larger than the chip holds")
    return _decode_jp2(jp2, max_pixels=max_pixels)

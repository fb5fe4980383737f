"""The chip photo (JPEG 2000) made displayable as PNG, with limits checked before decoding.

Call only after the card-face signature verified (design.md rule 4): the codec is the largest
attack surface in the project, so it sees only bytes J-LIS signed, and even then only bounded ones.
Pillow is imported inside the functions so the CLI does not load it at start-up.
"""

from __future__ import annotations

import io

from verifier.card import limits as p
from verifier.errors import MalformedData

PNG_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA", "I;16"})


def decode_photo(jp2: bytes, *, max_pixels: int = p.MAX_PHOTO_PIXELS) -> bytes:
    """PNG bytes of a JPEG 2000 photo; `MalformedData` for anything else or anything too big."""
    if len(jp2) > p.MAX_FILE_BYTES:
        raise MalformedData(f"photo of {len(jp2)} bytes is larger than any file on the card")
    # Named, so that Pillow opens it without importing every other format it knows.
    from PIL import Image, Jpeg2KImagePlugin

    try:
        with Image.open(io.BytesIO(jp2), formats=(Jpeg2KImagePlugin.Jpeg2KImageFile.format,)) \
                as image:
            width, height = image.size
            # The header gives the size; refuse before the decoder allocates anything.
            if width <= 0 or height <= 0 or width * height > max_pixels:
                raise MalformedData(f"photo of {width}x{height} pixels is over the limit")
            image.load()
            decoded = image if image.mode in PNG_MODES else image.convert("RGB")
            out = io.BytesIO()
            decoded.save(out, format="PNG")
    except MalformedData:
        raise
    except Exception as error:  # hostile input may fail anywhere in the codec
        raise MalformedData(f"photo is not a readable JPEG 2000 image "
                            f"({type(error).__name__})") from None
    return out.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) of a PNG, from its header only."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(png), formats=("PNG",)) as image:
            width, height = image.size
    except Exception as error:  # same reason as decode_photo
        raise MalformedData(f"not a PNG image ({type(error).__name__})") from None
    return width, height

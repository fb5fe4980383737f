"""The chip photo (JPEG 2000) made displayable as PNG, with limits checked before decoding.

Call only after the card-face signature verified (design.md rule 4): the codec is the largest
attack surface in the project, so it sees only bytes J-LIS signed, and even then only bounded ones.
Pillow is imported inside the functions so the CLI does not load it at start-up.
"""

from __future__ import annotations

import importlib
import io

from verifier.card import limits as p
from verifier.errors import MalformedData

PNG_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA", "I;16"})
#: The Pillow plugin of each format a chip's images come in.
_PLUGINS = {"JPEG2000": "Jpeg2KImagePlugin", "TIFF": "TiffImagePlugin"}


def decode_photo(jp2: bytes, *, max_pixels: int = p.MAX_PHOTO_PIXELS) -> bytes:
    """PNG bytes of a JPEG 2000 photo; `MalformedData` for anything else or anything too big."""
    if len(jp2) > p.MAX_FILE_BYTES:
        raise MalformedData(f"photo of {len(jp2)} bytes is larger than any file on the card")
    return to_png(jp2, "JPEG2000", max_pixels=max_pixels, what="photo", other_modes="RGB")


def to_png(data: bytes, codec: str, *, max_pixels: int, what: str, other_modes: str) -> bytes:
    """PNG bytes of an image in the one format `codec` names (Pillow's name: "JPEG2000",
    "TIFF"), refused before the decoder allocates anything when its header claims more than
    `max_pixels`; a mode PNG cannot hold becomes `other_modes`. `MalformedData` for anything
    else: hostile input may fail anywhere in a codec."""
    from PIL import Image

    # The one plugin imported, so that Pillow opens it without loading every format it knows.
    importlib.import_module(f"PIL.{_PLUGINS[codec]}")
    try:
        with Image.open(io.BytesIO(data), formats=(codec,)) as image:
            width, height = image.size
            if width <= 0 or height <= 0 or width * height > max_pixels:
                raise MalformedData(f"{what} of {width}x{height} pixels is over the limit")
            image.load()
            decoded = image if image.mode in PNG_MODES else image.convert(other_modes)
            out = io.BytesIO()
            decoded.save(out, format="PNG")
    except MalformedData:
        raise
    except Exception as error:
        raise MalformedData(f"{what} is not a readable {codec} image "
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

"""Bounds for hostile input, the same for every document read with ISO/IEC 7816-4 commands."""

from typing import Final

#: READ BINARY addresses 15 bits (and extended Le 65536): no file any card hands out is larger.
MAX_FILE_BYTES: Final = 65536
#: Decode limit for a photo or an image from a chip (rule 4).
MAX_PHOTO_PIXELS: Final = 4_000_000

"""Images a simulated residence chip stores, drawn with Pillow and the font testcards/render.py
uses: the first generation's front-of-card image (TIFF), the second generation's name and
address images (MMR = CCITT Group 4 TIFF, Pillow with libtiff), and the colour photo (JPEG
2000) of both. Pure and deterministic: the same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont, Jpeg2KImagePlugin, TiffImagePlugin

from testcards.errors import SimulationError
from testcards.render import font_path
from verifier.documents.residence import constants as c

FRONT_SIZE = (480, 302)  # the card's 85.6 x 54 mm at about 142 dpi
FRONT_TEXT = 14
FRONT_TITLE = 18
FRONT_PHOTO_BOX = (372, 36, 470, 166)
NAME_TEXT = 22
ADDRESS_TEXT = 16
ADDRESS_CHARS_PER_LINE = 20
PHOTO_SIZE = (96, 120)
#: JPEG 2000 compression ratios tried in turn until the photo fits the chip's 3000 bytes.
PHOTO_RATES = (12, 16, 24, 32, 48, 64)
TIFF_FORMAT = TiffImagePlugin.TiffImageFile.format


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_path(), size)


def _group4(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, TIFF_FORMAT, compression="group4")
    return out.getvalue()


def _fit(data: bytes, limit: int, what: str) -> bytes:
    if len(data) > limit:
        raise SimulationError(f"the simulated {what} is {len(data)} bytes; the chip holds "
                              f"{limit}")
    return data


def _text_image(lines: Sequence[str], size: int, *, margin: int = 4) -> Image.Image:
    font = _font(size)
    step = size + size // 3
    width = max(int(font.getlength(line)) for line in lines) + 2 * margin
    image = Image.new("1", (max(width, 1), step * len(lines) + 2 * margin), 1)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((margin, margin + row * step), line, font=font, fill=0)
    return image


def name_image(name: str) -> bytes:
    """The name in Roman letters as printed, Group 4 TIFF (second generation, D0)."""
    return _fit(_group4(_text_image([name], NAME_TEXT)), c.NAME_IMAGE_MAX_2, "name image")


def address_image(address: str) -> bytes:
    """The address wrapped as on the card, Group 4 TIFF (second generation, DFD1)."""
    step = ADDRESS_CHARS_PER_LINE
    lines = [address[i:i + step] for i in range(0, len(address), step)] or [""]
    return _fit(_group4(_text_image(lines, ADDRESS_TEXT)), c.NAME_IMAGE_MAX_2, "address image")


def _line_face(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], seed: str) -> None:
    """A face drawn in lines inside `box` (the front image is bilevel)."""
    t = hashlib.sha256(seed.encode()).digest()
    left, top, right, bottom = box
    cx, width = (left + right) // 2, right - left
    head_w, head_h = width // 3 + t[0] % 6, width // 2 + t[1] % 8
    head_top = top + 14 + t[2] % 6
    draw.ellipse((cx - head_w, head_top, cx + head_w, head_top + head_h), outline=0, width=2)
    eye_y = head_top + head_h * 2 // 5
    for side in (-1, 1):
        ex = cx + side * (head_w // 2)
        draw.ellipse((ex - 3, eye_y - 2, ex + 3, eye_y + 2), fill=0)
    mouth_y = head_top + head_h * 3 // 4
    draw.arc((cx - 10, mouth_y - 6, cx + 10, mouth_y + 4), 20, 160, fill=0, width=2)
    draw.arc((left + 4, head_top + head_h - 4, right - 4, bottom + 40), 200, 340, fill=0,
             width=2)


def front_image(lines: Sequence[str], *, title: str, seed: str) -> bytes:
    """The front of a first-generation card as the chip stores it (D0): a bilevel TIFF of the
    printed lines and the photo's place, within the signed target's 7000 bytes."""
    image = Image.new("1", FRONT_SIZE, 1)
    draw = ImageDraw.Draw(image)
    draw.text((8, 6), title, font=_font(FRONT_TITLE), fill=0)
    y = 12 + FRONT_TITLE
    for line in lines:
        draw.text((8, y), line, font=_font(FRONT_TEXT), fill=0)
        y += FRONT_TEXT + 8
    draw.rectangle(FRONT_PHOTO_BOX, outline=0)
    _line_face(draw, FRONT_PHOTO_BOX, seed)
    return _fit(_group4(image), c.FRONT_IMAGE_SIGNED_BYTES, "front-of-card image")


def photo(seed: str) -> bytes:
    """A synthetic colour face, varied per `seed`, as a JP2 of at most 3000 bytes."""
    t = hashlib.sha256(f"residence-photo/{seed}".encode()).digest()
    width, height = PHOTO_SIZE
    image = Image.new("RGB", PHOTO_SIZE, (190 + t[0] % 50, 200 + t[1] % 40, 215 + t[2] % 40))
    draw = ImageDraw.Draw(image)
    cx = width // 2
    skin = (150 + t[3] % 80, 110 + t[4] % 70, 80 + t[5] % 60)
    hair = (t[6] % 90, t[7] % 70, t[8] % 60)
    head_w, head_h = 26 + t[9] % 8, 34 + t[10] % 8
    top = 24 + t[11] % 6
    draw.ellipse((cx - 48, top + 2 * head_h - 8, cx + 48, height + 60),
                 fill=(40 + t[12] % 120, 40 + t[13] % 120, 60 + t[14] % 120))
    draw.ellipse((cx - head_w - 4, top - 8, cx + head_w + 4, top + head_h + 10), fill=hair)
    draw.ellipse((cx - head_w, top, cx + head_w, top + 2 * head_h), fill=skin)
    eye_y = top + head_h - 2
    for side in (-1, 1):
        draw.ellipse((cx + side * 10 - 3, eye_y - 2, cx + side * 10 + 3, eye_y + 2),
                     fill=(30, 30, 30))
    draw.arc((cx - 9, eye_y + 14, cx + 9, eye_y + 24), 20, 160, fill=(120, 40, 40), width=2)
    assert Jpeg2KImagePlugin.Jpeg2KImageFile.format == "JPEG2000"
    for rate in PHOTO_RATES:
        out = io.BytesIO()
        image.save(out, "JPEG2000", irreversible=True, quality_mode="rates",
                   quality_layers=[rate], no_jp2=False)
        if len(out.getvalue()) <= c.PHOTO_MAX - 200:
            return out.getvalue()
    raise SimulationError("the simulated photo does not fit the chip's 3000 bytes")

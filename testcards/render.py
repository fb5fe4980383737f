"""Images printed on (and stored in) the simulated card face, drawn with Pillow.

Names, addresses and the security code are 1-bit PNGs rendered with a real Japanese font; the
photo is a synthetic greyscale face saved as JPEG 2000 (JP2 container), a few KB like the chip's.
Every function is pure and deterministic: the same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, Jpeg2KImagePlugin

from testcards.errors import FontNotFoundError

FONT_PACKAGE = "fonts-ipaexfont-gothic"
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
TEXT_SIZE = 28
ADDRESS_CHARS_PER_LINE = 16
SECURITY_CODE_SIZE = (30, 14)  # the card surveyed has 24x12; a little more keeps 4 digits legible
PHOTO_SIZE = (180, 240)
PHOTO_RATE = 10  # JPEG 2000 compression ratio: 43,200 pixels / 10 ≈ 4 KB


@lru_cache(maxsize=1)
def font_path() -> str:
    """A font with Japanese glyphs: known Debian paths first, then fontconfig."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    fc_match = shutil.which("fc-match")
    if fc_match is not None:
        found = subprocess.run([fc_match, "-f", "%{file}", "IPAexGothic:lang=ja"],
                               capture_output=True, text=True, check=False).stdout.strip()
        if found and Path(found).is_file() and "ipa" in found.lower():
            return found
    raise FontNotFoundError(f"no Japanese font found for the simulated card face; install the "
                            f"Debian package {FONT_PACKAGE} (apt-get install {FONT_PACKAGE})")


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_path(), size)


def _png_1bit(image: Image.Image) -> bytes:
    # Threshold by hand so anti-aliased glyph edges don't become dither noise.
    bilevel = image.point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)
    out = io.BytesIO()
    bilevel.save(out, "PNG", optimize=True)
    return out.getvalue()


def _text_image(lines: list[str], *, size: int, margin: int = 4) -> Image.Image:
    font = _font(size)
    line_height = size + size // 4
    width = max(int(font.getlength(line)) for line in lines) + 2 * margin
    image = Image.new("L", (max(width, 1), line_height * len(lines) + 2 * margin), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((margin, margin + row * line_height), line, font=font, fill=0)
    return image


def text_png(text: str, *, size: int = TEXT_SIZE) -> bytes:
    """One line of text as a 1-bit PNG (the name as printed)."""
    return _png_1bit(_text_image([text], size=size))


def address_png(text: str, *, size: int = TEXT_SIZE) -> bytes:
    """The address wrapped as on the card face, as a 1-bit PNG."""
    step = ADDRESS_CHARS_PER_LINE
    lines = [text[i:i + step] for i in range(0, len(text), step)] or [""]
    return _png_1bit(_text_image(lines, size=size))


def security_code_png(code: str) -> bytes:
    """The 4-digit security code, 30x14 pixels, 1 bit."""
    width, height = SECURITY_CODE_SIZE
    image = Image.new("L", (width, height), 255)
    ImageDraw.Draw(image).text((1, 0), code, font=_font(height - 2), fill=0)
    return _png_1bit(image)


def _traits(seed: str) -> bytes:
    return hashlib.sha256(seed.encode("utf-8")).digest()


def photo_jp2(seed: str) -> bytes:
    """A synthetic greyscale face, varied per `seed`, as a JP2 of a few KB."""
    t = _traits(seed)
    width, height = PHOTO_SIZE
    image = Image.new("L", PHOTO_SIZE, 200 + t[0] % 40)
    draw = ImageDraw.Draw(image)
    cx = width // 2
    head_w, head_h = 46 + t[1] % 16, 62 + t[2] % 14
    head_top = 58 + t[3] % 10
    skin, hair = 150 + t[4] % 60, 20 + t[5] % 70
    # shoulders, neck, hair behind the head, head
    draw.ellipse((cx - 85, head_top + 2 * head_h - 10, cx + 85, height + 120), fill=60 + t[6] % 60)
    draw.rectangle((cx - 16, head_top + 2 * head_h - 30, cx + 16, head_top + 2 * head_h + 10),
                   fill=skin - 15)
    hair_drop = 10 + t[7] % 40
    draw.ellipse((cx - head_w - 6, head_top - 10, cx + head_w + 6, head_top + head_h + hair_drop),
                 fill=hair)
    draw.ellipse((cx - head_w, head_top, cx + head_w, head_top + 2 * head_h), fill=skin)
    draw.chord((cx - head_w, head_top - 4, cx + head_w, head_top + head_h - 10 + t[8] % 20),
               180, 360, fill=hair)
    # eyes, brows, nose, mouth
    eye_y = head_top + head_h - 4 + t[9] % 8
    eye_dx, eye_r = 16 + t[10] % 8, 4 + t[11] % 3
    for side in (-1, 1):
        ex = cx + side * eye_dx
        draw.ellipse((ex - eye_r - 3, eye_y - eye_r, ex + eye_r + 3, eye_y + eye_r), fill=235)
        draw.ellipse((ex - eye_r + 1, eye_y - eye_r + 1, ex + eye_r - 1, eye_y + eye_r - 1),
                     fill=30)
        brow_y = eye_y - 12 - t[12] % 4
        draw.line((ex - 9, brow_y + side * (t[13] % 3), ex + 9, brow_y), fill=hair, width=3)
    nose_y = eye_y + 18 + t[14] % 6
    draw.line((cx, eye_y + 4, cx - 4, nose_y, cx + 3, nose_y), fill=skin - 50, width=2)
    mouth_y, mouth_w = nose_y + 16 + t[15] % 6, 12 + t[16] % 10
    smile = t[17] % 3
    draw.arc((cx - mouth_w, mouth_y - 6 - 4 * smile, cx + mouth_w, mouth_y + 6),
             20, 160, fill=90, width=3)
    out = io.BytesIO()
    # The plug-in is imported by name above: Pillow then saves without importing every other
    # format it knows (tens of milliseconds at each start).
    assert Jpeg2KImagePlugin.Jpeg2KImageFile.format == "JPEG2000"
    image.save(out, "JPEG2000", irreversible=True, quality_mode="rates",
               quality_layers=[PHOTO_RATE], no_jp2=False)
    return out.getvalue()

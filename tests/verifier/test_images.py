"""Decoding the chip photo: JPEG 2000 only, bounded, and every failure a MalformedData."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from verifier.card.images import decode_photo, png_size
from verifier.documents.my_number import constants as p
from verifier.errors import MalformedData

ROOT = Path(__file__).resolve().parents[2]


def _encode(image: Image.Image, fmt: str = "JPEG2000", **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def test_greyscale_photo_becomes_png() -> None:
    jp2 = _encode(Image.new("L", (90, 120), 77))
    assert jp2[4:8] == b"jP  "  # the JP2 container, as on the card
    png = decode_photo(jp2)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png_size(png) == (90, 120)
    with Image.open(io.BytesIO(png)) as decoded:
        assert decoded.getpixel((10, 10)) == 77


def test_colour_photo_becomes_png() -> None:
    png = decode_photo(_encode(Image.new("RGB", (30, 40), (200, 10, 10))))
    assert png_size(png) == (30, 40)


def test_pixel_limit_is_a_parameter() -> None:
    jp2 = _encode(Image.new("L", (100, 100)))
    assert png_size(decode_photo(jp2, max_pixels=10_000)) == (100, 100)
    with pytest.raises(MalformedData, match="over the limit"):
        decode_photo(jp2, max_pixels=9_999)


def test_size_is_refused_from_the_header_before_decoding() -> None:
    # A header claiming a huge image followed by too little data: the answer is "too big",
    # not a decoder error, so the refusal came before any decoding.
    header_only = _encode(Image.new("L", (3000, 2000)))[:200]
    with pytest.raises(MalformedData, match="over the limit"):
        decode_photo(header_only)
    assert p.MAX_PHOTO_PIXELS < 3000 * 2000


def test_byte_limit() -> None:
    with pytest.raises(MalformedData, match="larger"):
        decode_photo(b"\x00" * (p.MAX_FILE_BYTES + 1))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "BMP", "GIF"])
def test_other_formats_are_refused(fmt: str) -> None:
    with pytest.raises(MalformedData):
        decode_photo(_encode(Image.new("L", (20, 20)), fmt))


@pytest.mark.parametrize("data", [b"", b"\x00\x00\x00\x0cjP  \r\n\x87\n", b"\xff\x4f\xff\x51",
                                  b"garbage" * 100])
def test_garbage_is_refused(data: bytes) -> None:
    with pytest.raises(MalformedData):
        decode_photo(data)


def test_truncated_photo_is_refused() -> None:
    jp2 = _encode(Image.effect_noise((64, 64), 40).convert("L"))
    for cut in (len(jp2) // 4, len(jp2) // 2, len(jp2) - 10):
        with pytest.raises(MalformedData):
            decode_photo(jp2[:cut])


def test_png_size_refuses_non_png() -> None:
    with pytest.raises(MalformedData):
        png_size(b"not a png")


def test_pillow_stays_out_of_import() -> None:
    code = "import sys, verifier.card.images; print('PIL' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "False"

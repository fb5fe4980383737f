"""How the second generator's faces reach the OCR: its own camera, scanner and perturbations.

Pillow only. Every function takes its randomness from the `rng` given, so a seed gives the same
pixels every time.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter

from testcards.faces2.draw import colour_noise

FRAME = (1280, 960)
SCAN_DPI = 200
Step = Callable[[Image.Image, random.Random], Image.Image]


def _desk(size: tuple[int, int], rng: random.Random) -> Image.Image:
    tone = rng.choice(((90, 70, 55), (60, 60, 66), (150, 140, 125), (40, 45, 40)))
    desk = Image.new("RGB", size, tone)
    draw = ImageDraw.Draw(desk)
    for _ in range(40):  # grain
        y = rng.uniform(0, size[1])
        shade = tuple(max(0, min(255, c + rng.randint(-12, 12))) for c in tone)
        draw.line((0, y, size[0], y + rng.uniform(-30, 30)), fill=shade,
                  width=rng.randint(2, 9))
    return desk.filter(ImageFilter.GaussianBlur(2))


def _rounded_mask(size: tuple[int, int], radius: int) -> Image.Image:
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius=radius,
                                           fill=255)
    return mask


def camera(card: Image.Image, rng: random.Random, *, card_width: int | None = None,
           angle: float | None = None) -> Image.Image:
    """The card lying on a desk under a camera: its own scale, tilt, light and noise."""
    width = card_width or rng.randint(820, 1000)
    scaled = card.resize((width, round(card.height * width / card.width)),
                         Image.Resampling.BICUBIC)
    turned = angle if angle is not None else rng.uniform(-2.0, 2.0)
    mask = _rounded_mask(scaled.size, round(width * 0.037)).rotate(
        turned, expand=True, resample=Image.Resampling.BICUBIC)
    scaled = scaled.rotate(turned, expand=True, resample=Image.Resampling.BICUBIC)
    frame = _desk(FRAME, rng)
    x = (FRAME[0] - scaled.width) // 2 + rng.randint(-50, 50)
    y = (FRAME[1] - scaled.height) // 2 + rng.randint(-50, 50)
    frame.paste(scaled, (x, y), mask)
    frame = _light(frame, rng)
    frame = colour_noise(frame, rng, rng.randint(6, 12))
    return frame.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.7)))


def _light(frame: Image.Image, rng: random.Random) -> Image.Image:
    """Light falling off towards one side."""
    ramp = Image.linear_gradient("L").rotate(rng.uniform(0, 360)).resize(frame.size)
    low = rng.randint(200, 235)
    ramp = ramp.point(lambda v: low + (255 - low) * v // 255)
    return Image.merge("RGB", [ImageChops.multiply(band, ramp) for band in frame.split()])


def scanner(card: Image.Image, rng: random.Random) -> Image.Image:
    """The card anywhere on an A4 flatbed at 200 dpi, a little crooked."""
    page = Image.new("RGB", (round(210 * SCAN_DPI / 25.4), round(297 * SCAN_DPI / 25.4)),
                     (248, 248, 246))
    width = round(85.6 * SCAN_DPI / 25.4)
    scaled = card.resize((width, round(card.height * width / card.width)),
                         Image.Resampling.LANCZOS)
    turned = rng.uniform(-3, 3)
    mask = _rounded_mask(scaled.size, 25).rotate(turned, expand=True,
                                                 resample=Image.Resampling.BICUBIC)
    scaled = scaled.rotate(turned, expand=True, resample=Image.Resampling.BICUBIC)
    x = rng.randint(20, page.width - scaled.width - 20)
    y = rng.randint(20, page.height // 2)
    page.paste(scaled, (x, y), mask)
    return colour_noise(page, rng, 4).filter(ImageFilter.GaussianBlur(0.5))


# --- perturbations of the frame ----------------------------------------------------------------
def _none(frame: Image.Image, rng: random.Random) -> Image.Image:
    return frame


def _mild_blur(frame: Image.Image, rng: random.Random) -> Image.Image:
    return frame.filter(ImageFilter.GaussianBlur(rng.uniform(1.2, 1.8)))


def _perspective(frame: Image.Image, rng: random.Random) -> Image.Image:
    w, h = frame.size
    # The source quadrilateral that fills the frame: the camera sees the card from one side.
    k = rng.uniform(0.06, 0.11)
    side = rng.choice(("left", "right", "top", "bottom"))
    quad = {"left": (0, -k * h, 0, h + k * h, w, h, w, 0),
            "right": (0, 0, 0, h, w, h + k * h, w, -k * h),
            "top": (-k * w, 0, 0, h, w, h, w + k * w, 0),
            "bottom": (0, 0, -k * w, h, w + k * w, h, w, 0)}[side]
    return frame.transform(frame.size, Image.Transform.QUAD, quad, Image.Resampling.BICUBIC,
                           fillcolor=(70, 60, 50))


def _dim(frame: Image.Image, rng: random.Random) -> Image.Image:
    dark = ImageEnhance.Brightness(frame).enhance(rng.uniform(0.3, 0.42))
    dark = ImageEnhance.Color(dark).enhance(0.8)
    return colour_noise(dark, rng, rng.randint(10, 16))


def _glare(frame: Image.Image, rng: random.Random) -> Image.Image:
    w, h = frame.size
    mask = Image.new("L", frame.size, 0)
    cx, cy = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h
    rx, ry = rng.uniform(0.1, 0.2) * w, rng.uniform(0.06, 0.12) * h
    ImageDraw.Draw(mask).ellipse((cx - rx, cy - ry, cx + rx, cy + ry),
                                 fill=rng.randint(170, 230))
    mask = mask.filter(ImageFilter.GaussianBlur(min(rx, ry) * 0.6))
    return Image.composite(Image.new("RGB", frame.size, (255, 255, 245)), frame, mask)


def thumb(card: Image.Image, rng: random.Random) -> Image.Image:
    """A thumb on one edge of the card face (it may cover part of a field)."""
    w, h = card.size
    held = card.copy()
    draw = ImageDraw.Draw(held)
    edge = rng.choice(("right", "bottom", "left"))
    r = rng.uniform(0.08, 0.12) * w
    if edge == "right":
        cx, cy = w + r * 0.3, rng.uniform(0.3, 0.95) * h
    elif edge == "bottom":
        cx, cy = rng.uniform(0.2, 0.9) * w, h + r * 0.2
    else:
        cx, cy = -r * 0.3, rng.uniform(0.3, 0.9) * h
    skin = rng.choice(((215, 170, 140), (190, 140, 110), (235, 195, 170)))
    draw.ellipse((cx - r, cy - r * 1.3, cx + r, cy + r * 1.3), fill=skin)
    return held


@dataclass(frozen=True)
class Capture:
    name: str
    perturb: Step = _none
    scanner: bool = False
    jpeg_quality: int | None = None
    angle: float | None = None  # the card's turn in the frame, degrees (random sign)
    card_width: int | None = None
    on_card: Step = _none


def _turned(capture: Capture, rng: random.Random) -> float | None:
    if capture.angle is None:
        return None
    return rng.choice((-1, 1)) * rng.uniform(capture.angle * 0.6, capture.angle)


#: What a counter produces: the issue's targets hold on these.
COUNTER: Mapping[str, Capture] = MappingProxyType({c.name: c for c in (
    Capture("clean"),
    Capture("mild-blur", _mild_blur),
    Capture("rotate-10", angle=10.0),
    Capture("perspective", _perspective),
    Capture("dim", _dim),
    Capture("jpeg-40", jpeg_quality=40),
    Capture("scan-200dpi", scanner=True),
)})
#: Worse, or in the way: measured (no confident wrong code), not held to the targets.
HARD: Mapping[str, Capture] = MappingProxyType({c.name: c for c in (
    Capture("glare", _glare),
    Capture("thumb", on_card=thumb),
    Capture("far", _mild_blur, card_width=520),
)})
ALL: Mapping[str, Capture] = MappingProxyType({**COUNTER, **HARD})


def frame_bytes(card: Image.Image, name: str, rng: random.Random) -> bytes:
    how = ALL[name]
    card = how.on_card(card, rng)
    if how.scanner:
        frame = scanner(card, rng)
    else:
        frame = camera(card, rng, card_width=how.card_width, angle=_turned(how, rng))
    frame = how.perturb(frame, rng)
    out = io.BytesIO()
    if how.jpeg_quality is not None:
        frame.save(out, "JPEG", quality=how.jpeg_quality)
    else:
        frame.save(out, "PNG", compress_level=1)
    return out.getvalue()


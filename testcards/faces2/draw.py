"""Drawing for the second generator: text in mixed fonts on a millimetre grid, printed backgrounds.

Written apart from testcards.printed_face on purpose (other rules, other fonts, other
backgrounds), so that what the OCR was tuned on there says nothing about how it reads these.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from testcards.faces2 import fonts

CARD_MM = (85.6, 53.98)
Colour = tuple[int, int, int]


def _is_latin(ch: str) -> bool:
    return ch.isascii()


@dataclass
class Pen:
    """Writes on a card face; positions and sizes in millimetres."""

    image: Image.Image
    dpi: int
    japanese: str
    latin: str | None  # None: the Japanese font draws digits and letters too

    def __post_init__(self) -> None:
        self.draw = ImageDraw.Draw(self.image)

    def px(self, mm: float) -> int:
        return round(mm * self.dpi / 25.4)

    def mm(self, px: float) -> float:
        return px * 25.4 / self.dpi

    def _font_for(self, ch: str, size: int) -> ImageFont.FreeTypeFont:
        name = self.latin if self.latin is not None and _is_latin(ch) else self.japanese
        return fonts.font(name, size)

    def width(self, text: str, size_mm: float, *, tracking: float = 0.0) -> float:
        size = self.px(size_mm)
        total = 0.0
        for ch in text:
            font = self._font_for(ch, size)
            total += font.getlength(ch) + self.px(tracking)
        return self.mm(total)

    def text(self, x: float, baseline: float, text: str, size_mm: float, fill: Colour, *,
             tracking: float = 0.0) -> float:
        """Draws `text` with its baseline at `baseline`; returns where it ends (mm)."""
        size = self.px(size_mm)
        cursor = float(self.px(x))
        y = self.px(baseline)
        for ch in text:
            font = self._font_for(ch, size)
            if not ch.isspace():
                self.draw.text((cursor, y), ch, font=font, fill=fill, anchor="ls")
            cursor += font.getlength(ch) + self.px(tracking)
        return self.mm(cursor)

    def box(self, left: float, top: float, right: float, bottom: float, colour: Colour,
            *, width_mm: float = 0.2) -> None:
        self.draw.rectangle((self.px(left), self.px(top), self.px(right), self.px(bottom)),
                            outline=colour, width=max(1, self.px(width_mm)))


# --- printed backgrounds ---------------------------------------------------------------------
def background(size: tuple[int, int], dpi: int, rng: random.Random, *,
               base: Colour) -> Image.Image:
    """A security-printed look: tint bands, a rosette, microtext, a faint emblem; chosen by rng."""
    width, height = size
    image = Image.new("RGB", size, base)
    draw = ImageDraw.Draw(image)
    px = dpi / 25.4
    # Tint: two colours blended along a random direction.
    other = tuple(max(0, min(255, c + rng.randint(-22, 8))) for c in base)
    angle = rng.uniform(0, math.pi)
    ca, sa = math.cos(angle), math.sin(angle)
    steps = 48
    for i in range(steps):
        t = i / (steps - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(base, other, strict=True))
        # Bands perpendicular to the direction, wide enough to cover the card.
        offset = (t - 0.5) * (width * abs(ca) + height * abs(sa))
        cx, cy = width / 2 + offset * ca, height / 2 + offset * sa
        half = (width + height)
        band = (width + height) / steps / 2 + 2
        polygon = [(cx - sa * half - ca * band, cy + ca * half - sa * band),
                   (cx + sa * half - ca * band, cy - ca * half - sa * band),
                   (cx + sa * half + ca * band, cy - ca * half + sa * band),
                   (cx - sa * half + ca * band, cy + ca * half + sa * band)]
        draw.polygon(polygon, fill=colour)
    if rng.random() < 0.7:
        _rosette(draw, width, height, px, rng)
    if rng.random() < 0.5:
        _microtext(image, dpi, rng)
    if rng.random() < 0.6:
        _waves(draw, width, height, px, rng)
    if rng.random() < 0.4:
        _emblem(draw, width, height, px, rng)
    return image


def _pale(rng: random.Random, strength: int = 40) -> Colour:
    palette = ((255, 200, 220), (200, 220, 255), (210, 240, 210), (240, 230, 190),
               (230, 210, 250))
    r, g, b = rng.choice(palette)
    mix = strength / 100
    return (round(255 - (255 - r) * mix), round(255 - (255 - g) * mix),
            round(255 - (255 - b) * mix))


def _rosette(draw: ImageDraw.ImageDraw, width: int, height: int, px: float,
             rng: random.Random) -> None:
    cx, cy = rng.uniform(0.2, 0.8) * width, rng.uniform(0.2, 0.8) * height
    big = rng.uniform(12, 25) * px
    petals = rng.randint(5, 11)
    colour = _pale(rng, rng.randint(30, 60))
    for ring in range(rng.randint(6, 14)):
        radius = big * (0.3 + ring / 16)
        points = []
        for k in range(361):
            t = math.radians(k)
            r = radius * (1 + 0.18 * math.sin(petals * t + ring))
            points.append((cx + r * math.cos(t), cy + r * math.sin(t)))
        draw.line(points, fill=colour, width=1)


def _waves(draw: ImageDraw.ImageDraw, width: int, height: int, px: float,
           rng: random.Random) -> None:
    colour = _pale(rng, rng.randint(25, 55))
    gap = rng.uniform(0.8, 2.2) * px
    period = rng.uniform(8, 30) * px
    amplitude = rng.uniform(0.5, 3) * px
    slope = rng.uniform(-0.3, 0.3)
    y = -height * 0.5
    while y < height * 1.5:
        points = [(x, y + slope * x + amplitude * math.sin(2 * math.pi * x / period + y / 40))
                  for x in range(0, width + 6, 6)]
        draw.line(points, fill=colour, width=1)
        y += gap


def _microtext(image: Image.Image, dpi: int, rng: random.Random) -> None:
    word = rng.choice(("JAPAN", "日本国", "NIPPON", "見本"))
    size = max(6, round(0.9 * dpi / 25.4))
    font = fonts.font("vl-gothic", size)
    colour = _pale(rng, rng.randint(35, 60))
    layer = Image.new("RGB", image.size, (255, 255, 255))
    draw = ImageDraw.Draw(layer)
    line = (word + " ") * 60
    step = size * 3
    for row, y in enumerate(range(0, image.height, step)):
        draw.text((-(row * 17) % (size * 4), y), line, font=font, fill=colour)
    mask = layer.convert("L").point(lambda v: 255 if v < 250 else 0)
    image.paste(layer, (0, 0), mask)


def _emblem(draw: ImageDraw.ImageDraw, width: int, height: int, px: float,
            rng: random.Random) -> None:
    cx, cy = rng.uniform(0.3, 0.7) * width, rng.uniform(0.3, 0.7) * height
    radius = rng.uniform(8, 16) * px
    colour = _pale(rng, rng.randint(15, 30))
    for k in range(5):
        t = 2 * math.pi * k / 5 - math.pi / 2
        x, y = cx + radius * 0.55 * math.cos(t), cy + radius * 0.55 * math.sin(t)
        r = radius * 0.5
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)


def colour_noise(image: Image.Image, rng: random.Random, spread: int) -> Image.Image:
    """Independent noise in each channel (a cheap sensor's chroma noise), ±`spread` levels."""
    count = image.width * image.height
    bands = []
    for channel in image.split():
        noise = Image.frombytes("L", image.size, rng.randbytes(count))
        noise = noise.point(lambda v: 128 + (v - 128) * spread // 128)
        bands.append(ImageChops.add(channel, noise, scale=1.0, offset=-128))
    return Image.merge("RGB", bands)


def photo(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A plain stand-in portrait: coloured backdrop, shoulders, head."""
    width, height = size
    backdrop = rng.choice(((200, 215, 235), (225, 225, 225), (235, 225, 210)))
    image = Image.new("RGB", size, backdrop)
    draw = ImageDraw.Draw(image)
    skin = rng.choice(((230, 200, 175), (200, 160, 130), (160, 120, 90), (240, 215, 195)))
    cloth = rng.choice(((40, 50, 80), (90, 90, 90), (120, 30, 40), (30, 30, 30)))
    draw.ellipse((-width * 0.1, height * 0.68, width * 1.1, height * 1.5), fill=cloth)
    draw.rectangle((width * 0.42, height * 0.55, width * 0.58, height * 0.75), fill=skin)
    draw.ellipse((width * 0.25, height * 0.15, width * 0.75, height * 0.65), fill=skin)
    hair = rng.choice(((20, 20, 20), (80, 50, 30), (150, 120, 70)))
    draw.chord((width * 0.23, height * 0.1, width * 0.77, height * 0.45), 180, 360, fill=hair)
    return image.filter(ImageFilter.GaussianBlur(0.6))

"""The printed front of a simulated My Number Card, and what a counter camera or scanner does to it.

The face is drawn from the persona as a clerk would read it (testcards.builder.printed_persona
gives the printed persona of a counterfeit profile). The layout is not J-LIS's: the OCR step
finds fields by what they say, so only the wording and the rough sizes matter here — the date
forms with their padding (`昭和55年 2月17日生`, `平成元年 1月 8日生`, `1975年 8月 9日生` on a
foreign resident's card), `2035年 2月17日まで有効`, and a small 4-digit security code.

Pillow only, so the test fixtures need no OCR extra. Every function is deterministic: the same
persona, perturbation and seed give the same pixels.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageFont

from testcards import render
from testcards.personas import Persona
from verifier.documents.my_number.code_b import to_era

CARD_MM = (85.6, 54.0)
FACE_DPI = 300
PAPER = (252, 250, 246)
INK = (24, 24, 28)
LABEL_INK = (70, 70, 90)
DESK = (96, 84, 72)
CAMERA_SIZE = (1280, 960)
CAMERA_CARD_WIDTH = 920  # pixels across the card in a document-camera frame (≈ 270 dpi)
SCAN_DPI = 200
A4_MM = (210.0, 297.0)

Frame = Image.Image
Perturbation = Callable[[Image.Image, random.Random], Image.Image]


def _mm(value: float, dpi: int) -> int:
    return round(value * dpi / 25.4)


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(render.font_path(), size)


# --- what is printed -------------------------------------------------------------------------
def _padded(value: int) -> str:
    # The card pads one-digit months and days to the width of two, as a typewriter would.
    return f"{value:>2}"


def printed_birth(persona: Persona) -> str:
    """The birth date as the face prints it: 和暦 for nationals, 西暦 for foreign residents."""
    born = persona.birth
    tail = f"{_padded(born.month)}月{_padded(born.day)}日生"
    if persona.foreign:
        return f"{born.year}年{tail}"
    era, year = to_era(born)
    return f"{era}{'元' if year == 1 else _padded(year)}年{tail}"


def printed_expiry(expiry: date) -> str:
    return f"{expiry.year}年{_padded(expiry.month)}月{_padded(expiry.day)}日まで有効"


def printed_sex(persona: Persona) -> str:
    return {"1": "男", "2": "女"}.get(persona.sex, "")


# --- the face --------------------------------------------------------------------------------
def _background(size: tuple[int, int], dpi: int) -> Image.Image:
    width, height = size
    image = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(image)
    # A pale gradient band and guilloche-like waves: the real card is not a white page, and
    # thin lines through the text are what makes a detector work.
    for y in range(height):
        shade = int(12 * y / height)
        draw.line((0, y, width, y), fill=(PAPER[0] - shade // 3, PAPER[1] - shade, PAPER[2]))
    step = max(_mm(1.6, dpi), 4)
    for k, row in enumerate(range(-height // 2, height + height // 2, step)):
        amplitude = _mm(2.2, dpi)
        period = _mm(18 + (k % 5) * 3, dpi)
        colour = (232, 214, 226) if k % 2 else (212, 226, 236)
        points = [(x, row + amplitude * math.sin(2 * math.pi * (x + k * 7) / period) + x * 0.18)
                  for x in range(0, width + 8, 8)]
        draw.line(points, fill=colour, width=1)
    centre = (int(width * 0.62), int(height * 0.52))
    for radius in range(_mm(4, dpi), _mm(15, dpi), max(_mm(0.9, dpi), 3)):
        draw.ellipse((centre[0] - radius, centre[1] - radius, centre[0] + radius,
                      centre[1] + radius), outline=(236, 222, 214))
    return image


def _photo(size: tuple[int, int], seed: str) -> Image.Image:
    face = Image.open(io.BytesIO(render.photo_jp2(seed)))
    face.load()
    return face.convert("RGB").resize(size, Image.Resampling.BICUBIC)


def render_front(persona: Persona, *, dpi: int = FACE_DPI,
                 security_code_label: bool = False) -> Image.Image:
    """The card face alone (RGB, rounded corners on white), `dpi` pixels per inch.

    The security code is printed small under the photo, unlabelled as on the cards surveyed;
    `security_code_label=True` prints the label セキュリティコード before it.
    """
    size = (_mm(CARD_MM[0], dpi), _mm(CARD_MM[1], dpi))
    face = _background(size, dpi)
    draw = ImageDraw.Draw(face)
    label, small = _font(_mm(1.9, dpi)), _font(_mm(2.0, dpi))
    name_font, text_font = _font(_mm(3.8, dpi)), _font(_mm(2.7, dpi))
    left, text_left = _mm(3.5, dpi), _mm(10.5, dpi)

    title = _font(_mm(2.6, dpi))
    draw.text((left, _mm(2.0, dpi)), "個人番号カード", font=title, fill=(150, 40, 80))
    draw.text((left, _mm(8.4, dpi)), "氏名", font=label, fill=LABEL_INK)
    draw.text((text_left, _mm(7.0, dpi)), persona.name, font=name_font, fill=INK)
    draw.text((_mm(20.0, dpi), _mm(13.2, dpi)), printed_birth(persona), font=text_font, fill=INK)
    draw.text((_mm(50.0, dpi), _mm(13.4, dpi)), "性別", font=label, fill=LABEL_INK)
    draw.text((_mm(54.5, dpi), _mm(13.2, dpi)), printed_sex(persona), font=text_font, fill=INK)

    draw.text((left, _mm(19.8, dpi)), "住所", font=label, fill=LABEL_INK)
    chars = 17
    address = [persona.address[i:i + chars] for i in range(0, len(persona.address), chars)]
    for row, line in enumerate(address[:3]):
        draw.text((text_left, _mm(19.4 + row * 3.8, dpi)), line, font=text_font, fill=INK)

    box = (left, _mm(36.5, dpi), _mm(47.0, dpi), _mm(41.5, dpi))
    draw.rectangle(box, outline=(120, 120, 140), width=max(_mm(0.2, dpi), 1))
    draw.text((box[0] + _mm(1.5, dpi), box[1] + _mm(1.0, dpi)), printed_expiry(persona.expiry),
              font=text_font, fill=INK)
    draw.text((left, _mm(44.5, dpi)), "見本市長", font=small, fill=LABEL_INK)
    draw.text((left, _mm(48.5, dpi)), "臓器提供意思の表示は裏面に", font=label, fill=LABEL_INK)

    photo_box = (_mm(60.0, dpi), _mm(5.0, dpi), _mm(82.0, dpi), _mm(33.0, dpi))
    face.paste(_photo((photo_box[2] - photo_box[0], photo_box[3] - photo_box[1]), persona.key),
               photo_box[:2])
    code_font = _font(_mm(2.1, dpi))
    code_y = _mm(35.0, dpi)
    code_x = _mm(73.5, dpi)
    if security_code_label:
        draw.text((_mm(50.0, dpi), code_y + _mm(0.2, dpi)), "セキュリティコード", font=label,
                  fill=LABEL_INK)
        code_x = _mm(71.0, dpi)
    draw.text((code_x, code_y), persona.security_code, font=code_font, fill=INK)

    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1),
                                           radius=_mm(3.2, dpi), fill=255)
    card = Image.new("RGB", size, (255, 255, 255))
    card.paste(face, (0, 0), mask)
    return card


# --- how the face reaches the OCR ------------------------------------------------------------
def _noise(size: tuple[int, int], spread: float, rng: random.Random) -> Image.Image:
    """Sensor noise centred on 128 (RGB), from `rng` so that frames are reproducible.

    Pillow's effect_noise draws from the C library's generator, which nothing here can seed.
    """
    count = size[0] * size[1]
    # The mean of two uniform draws: a triangular spread, close enough to a sensor's.
    first = Image.frombytes("L", size, rng.randbytes(count))
    second = Image.frombytes("L", size, rng.randbytes(count))
    mixed = Image.blend(first, second, 0.5)
    gain = spread / 64
    grey = mixed.point(lambda v: max(0, min(255, round(128 + (v - 128) * gain))))
    return Image.merge("RGB", (grey, grey, grey))


def _add_noise(image: Image.Image, spread: float, rng: random.Random) -> Image.Image:
    return ImageChops.add(image, _noise(image.size, spread, rng), scale=1.0, offset=-128)


def camera_frame(card: Image.Image, *, size: tuple[int, int] = CAMERA_SIZE,
                 card_width: int = CAMERA_CARD_WIDTH,
                 rng: random.Random | None = None) -> Image.Image:
    """The card on a desk under a document camera: scaled, off-centre, uneven light."""
    rng = rng or random.Random(0)
    scale = card_width / card.width
    scaled = card.resize((card_width, round(card.height * scale)), Image.Resampling.LANCZOS)
    frame = _add_noise(Image.new("RGB", size, DESK), 10, rng)
    shadow = Image.new("L", size, 0)
    x = (size[0] - scaled.width) // 2 + rng.randint(-40, 40)
    y = (size[1] - scaled.height) // 2 + rng.randint(-40, 40)
    ImageDraw.Draw(shadow).rounded_rectangle((x + 6, y + 8, x + scaled.width + 6,
                                              y + scaled.height + 8), radius=24, fill=110)
    shadow = shadow.filter(ImageFilter.GaussianBlur(9))
    frame.paste(Image.new("RGB", size, (30, 26, 22)), (0, 0), shadow)
    mask = Image.new("L", scaled.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, scaled.width - 1, scaled.height - 1),
                                           radius=round(scaled.width * 0.037), fill=255)
    frame.paste(scaled, (x, y), mask)
    frame = _add_noise(_vignette(frame, 0.18), 4, rng)
    return frame.filter(ImageFilter.GaussianBlur(0.5))


def _vignette(image: Image.Image, strength: float) -> Image.Image:
    small = Image.radial_gradient("L").resize(image.size, Image.Resampling.BILINEAR)
    darkening = small.point(lambda v: round(255 - strength * v))
    return ImageChops.multiply(image, Image.merge("RGB", (darkening,) * 3))


def scanner_page(card: Image.Image, *, dpi: int = SCAN_DPI,
                 rng: random.Random | None = None) -> Image.Image:
    """The card face down in the corner of an A4 flatbed scan at `dpi`."""
    rng = rng or random.Random(0)
    page = Image.new("RGB", (_mm(A4_MM[0], dpi), _mm(A4_MM[1], dpi)), (250, 250, 250))
    width = _mm(CARD_MM[0], dpi)
    scaled = card.resize((width, round(card.height * width / card.width)),
                         Image.Resampling.LANCZOS)
    mask = Image.new("L", scaled.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, scaled.width - 1, scaled.height - 1),
                                           radius=_mm(3.2, dpi), fill=255)
    page.paste(scaled, (_mm(8, dpi), _mm(10, dpi)), mask)
    return _add_noise(page, 3, rng)


def _blur(frame: Image.Image, rng: random.Random) -> Image.Image:
    return frame.filter(ImageFilter.GaussianBlur(1.6 + rng.random() * 0.6))


def _rotate(degrees: float) -> Perturbation:
    def rotate(frame: Image.Image, rng: random.Random) -> Image.Image:
        return frame.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=DESK)
    return rotate


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    # Gauss-Jordan with partial pivoting; numpy is not a dependency of testcards.
    n = len(vector)
    rows = [[*row, value] for row, value in zip(matrix, vector, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def _perspective_coefficients(source: list[tuple[float, float]],
                              target: list[tuple[float, float]]) -> list[float]:
    # Pillow maps each output pixel back to the input, so solve target -> source.
    matrix: list[list[float]] = []
    vector: list[float] = []
    for (x, y), (u, v) in zip(target, source, strict=True):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        vector.extend((u, v))
    return _solve(matrix, vector)


def _perspective(frame: Image.Image, rng: random.Random) -> Image.Image:
    width, height = frame.size
    corners = [(0.0, 0.0), (width, 0.0), (width, height), (0.0, height)]
    # The camera leans towards one side: that side's edge shrinks.
    squeeze = (0.09 + rng.random() * 0.03) * height
    inset = 0.05 * width
    target = [(inset, squeeze), (width - inset, 0.0), (width - inset, height),
              (inset, height - squeeze)]
    coefficients = _perspective_coefficients(corners, target)
    return frame.transform(frame.size, Image.Transform.PERSPECTIVE, coefficients,
                           Image.Resampling.BICUBIC, fillcolor=DESK)


def _glare(frame: Image.Image, rng: random.Random) -> Image.Image:
    # A lamp reflected in the laminate: a soft bright ellipse over part of the card.
    width, height = frame.size
    mask = Image.new("L", frame.size, 0)
    cx = int(width * (0.42 + rng.random() * 0.1))
    cy = int(height * (0.40 + rng.random() * 0.1))
    rx, ry = int(width * 0.16), int(height * 0.10)
    ImageDraw.Draw(mask).ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=225)
    mask = mask.filter(ImageFilter.GaussianBlur(min(rx, ry) * 0.5))
    return Image.composite(Image.new("RGB", frame.size, (255, 255, 250)), frame, mask)


def _low_light(frame: Image.Image, rng: random.Random) -> Image.Image:
    dark = ImageEnhance.Brightness(frame).enhance(0.32)
    dark = ImageEnhance.Contrast(dark).enhance(0.8)
    return _add_noise(dark, 14 + rng.random() * 4, rng)


def _unchanged(frame: Image.Image, rng: random.Random) -> Image.Image:
    return frame


def _heavy_blur(frame: Image.Image, rng: random.Random) -> Image.Image:
    return frame.filter(ImageFilter.GaussianBlur(3.0 + rng.random()))


def _thumb(card: Image.Image, rng: random.Random) -> Image.Image:
    # The clerk's thumb holding the card at its lower right corner, over part of the code:
    # half-hidden digits are where a recogniser may be confidently wrong.
    dpi = round(card.width * 25.4 / CARD_MM[0])
    cx, cy = _mm(83.0 + rng.random(), dpi), _mm(43.0 - rng.random(), dpi)
    rx, ry = _mm(9.0, dpi), _mm(8.0, dpi)
    held = card.copy()
    ImageDraw.Draw(held).ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=(214, 168, 140))
    return held


def _chain(*steps: Perturbation) -> Perturbation:
    def chained(frame: Image.Image, rng: random.Random) -> Image.Image:
        for step in steps:
            frame = step(frame, rng)
        return frame
    return chained


@dataclass(frozen=True)
class Capture:
    """How a frame is made: a camera (with a perturbation) or the flatbed scanner, and the file
    format it arrives in."""

    name: str
    scanner: bool
    perturb: Perturbation
    format: str = "PNG"
    quality: int = 90
    card_width: int = CAMERA_CARD_WIDTH
    on_card: Perturbation = _unchanged  # applied to the face before it is framed


CAPTURES: Mapping[str, Capture] = MappingProxyType({c.name: c for c in (
    Capture("clean", False, _unchanged),
    Capture("blur", False, _blur),
    Capture("rotate+10", False, _rotate(10.0)),
    Capture("rotate-10", False, _rotate(-10.0)),
    Capture("perspective", False, _perspective),
    Capture("glare", False, _glare),
    Capture("low-light", False, _low_light),
    Capture("jpeg-40", False, _unchanged, format="JPEG", quality=40),
    Capture("scanner-200dpi", True, _unchanged),
)})

#: Worse than a counter should produce: the OCR is expected to fail on many of these, and
#: the benchmark uses them to check that it then fails with low confidence, not with a
#: confident wrong code.
STRESS_CAPTURES: Mapping[str, Capture] = MappingProxyType({c.name: c for c in (
    Capture("heavy-blur", False, _heavy_blur),
    Capture("far-away", False, _blur, card_width=480),
    Capture("dim-tilted-jpeg", False, _chain(_rotate(-6.0), _blur, _low_light), format="JPEG",
            quality=40),
    Capture("thumb-on-code", False, _blur, on_card=_thumb),
)})
ALL_CAPTURES: Mapping[str, Capture] = MappingProxyType({**CAPTURES, **STRESS_CAPTURES})


def capture(persona: Persona, name: str = "clean", *, seed: int = 0,
            security_code_label: bool = False) -> Image.Image:
    """The frame a counter camera (or scanner) gives for this persona's card face."""
    how = ALL_CAPTURES[name]
    rng = random.Random(f"{persona.key}/{name}/{seed}")
    card = how.on_card(render_front(persona, security_code_label=security_code_label), rng)
    base = (scanner_page(card, rng=rng) if how.scanner
            else camera_frame(card, card_width=how.card_width, rng=rng))
    return how.perturb(base, rng)


def encode(frame: Image.Image, *, format: str = "PNG", quality: int = 90) -> bytes:
    """The frame as the bytes a file or a camera driver hands over."""
    out = io.BytesIO()
    if format == "JPEG":
        frame.save(out, "JPEG", quality=quality)
    else:
        frame.save(out, format)
    return out.getvalue()


def capture_bytes(persona: Persona, name: str = "clean", *, seed: int = 0,
                  security_code_label: bool = False) -> bytes:
    """`capture` encoded as that capture delivers it (PNG, or JPEG at quality 40 for jpeg-40)."""
    how = ALL_CAPTURES[name]
    frame = capture(persona, name, seed=seed, security_code_label=security_code_label)
    return encode(frame, format=how.format, quality=how.quality)

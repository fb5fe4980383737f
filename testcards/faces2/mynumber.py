"""My Number Card faces under layout rules drawn from a seed (not J-LIS's layout, not the
project's render): where the fields sit, how the dates are spelt, whether the security code has
a label and where it is (left on one line or two, above, below, beside the expiry).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from PIL import Image, ImageDraw

from testcards.faces2 import draw, fonts
from testcards.faces2.people import MyNumberHolder
from verifier.documents.my_number.code_b import to_era

#: Where the security code's label goes. "below" is drawn in the held-out part only.
LABEL_PLACES = ("none", "left", "left-two-lines", "above", "below")
HELD_OUT_LABEL_PLACES = frozenset({"below"})
INK = (20, 20, 24)


@dataclass(frozen=True)
class Layout:
    japanese: str
    latin: str | None
    label_place: str
    code_beside_expiry: bool
    birth_form: str
    expiry_form: str


def _pad(value: int, rng_form: str) -> str:
    if rng_form == "padded":
        return f"{value:>2}"
    if rng_form == "zero":
        return f"{value:02}"
    return str(value)


def birth_text(holder: MyNumberHolder, form: str) -> tuple[str | None, str]:
    """(label or None, the date as printed)."""
    born = holder.birth
    pad = "zero" if form == "zero" else ("padded" if form in ("padded", "label") else "plain")
    month, day = _pad(born.month, pad), _pad(born.day, pad)
    if holder.foreign:
        core = f"{born.year}年{month}月{day}日"
    else:
        era, year = to_era(born)
        shown = "元" if year == 1 else _pad(year, "padded" if pad == "padded" else "plain")
        core = f"{era}{shown}年{month}月{day}日"
    if form == "spaced":
        core = core.replace("年", "年 ").replace("月", "月 ")
    if form == "label":
        return "生年月日", core
    return None, core + "生"


def expiry_text(holder: MyNumberHolder, form: str) -> tuple[str | None, str]:
    ex = holder.expiry
    if form == "label":
        return "有効期限", f"{ex.year}年{ex.month:02}月{ex.day:02}日"
    pad = "padded" if form == "padded" else "plain"
    gap = " " if form == "gap" else ""
    return None, f"{ex.year}年{_pad(ex.month, pad)}月{_pad(ex.day, pad)}日{gap}まで有効"


def layout(rng: random.Random, holder: MyNumberHolder, *, held_out: bool) -> Layout:
    japanese, latin = fonts.choices(held_out=held_out)
    places = [p for p in LABEL_PLACES if held_out or p not in HELD_OUT_LABEL_PLACES]
    birth_forms = ["padded", "plain", "spaced", "label"] + (["zero"] if holder.foreign else [])
    return Layout(japanese=rng.choice(japanese),
                  latin=rng.choice(latin) if rng.random() < 0.5 else None,
                  label_place=rng.choice(places),
                  code_beside_expiry=rng.random() < 0.15,
                  birth_form=rng.choice(birth_forms),
                  expiry_form=rng.choice(["padded", "plain", "gap", "label"]))


def render(holder: MyNumberHolder, rng: random.Random, *, held_out: bool,
           dpi: int = 300) -> tuple[Image.Image, Layout]:
    """The face (RGB) at `dpi`, and the layout drawn."""
    chosen = layout(rng, holder, held_out=held_out)
    size = (round(draw.CARD_MM[0] * dpi / 25.4), round(draw.CARD_MM[1] * dpi / 25.4))
    base = rng.choice(((250, 246, 248), (246, 249, 252), (250, 250, 244), (244, 248, 244)))
    image = draw.background(size, dpi, rng, base=base)
    pen = draw.Pen(image, dpi, chosen.japanese, chosen.latin)
    scale = rng.uniform(0.88, 1.12)
    label_ink = rng.choice(((80, 80, 100), (110, 60, 80), (60, 90, 110)))
    left = rng.uniform(2.8, 4.5)
    column = left + rng.uniform(6.0, 8.5)
    label_size, text_size = 1.9 * scale, rng.uniform(2.4, 2.9) * scale

    photo_w = rng.uniform(19.0, 23.0)
    photo_left = draw.CARD_MM[0] - rng.uniform(2.8, 4.0) - photo_w
    photo_top = rng.uniform(3.5, 8.0)
    photo_h = photo_w * rng.uniform(1.2, 1.32)
    face = draw.photo((pen.px(photo_w), pen.px(photo_h)), rng)
    image.paste(face, (pen.px(photo_left), pen.px(photo_top)))

    y = rng.uniform(3.5, 5.0)
    if rng.random() < 0.7:
        pen.text(left, y + 1.5, "個人番号カード", 2.6 * scale, rng.choice(((150, 40, 80),
                                                                        (40, 60, 130))))
        y += rng.uniform(3.5, 5.0)
    y += rng.uniform(3.0, 4.0)
    pen.text(left, y, "氏名", label_size, label_ink)
    pen.text(column, y + 0.3, holder.name, rng.uniform(3.3, 4.2) * scale, INK)

    y += rng.uniform(5.0, 6.5)
    label, birth = birth_text(holder, chosen.birth_form)
    x = column + rng.uniform(0, 8)
    if label is not None:
        pen.text(left, y, label, label_size, label_ink)
        x = column
    end = pen.text(x, y, birth, text_size, INK)
    if rng.random() < 0.6:  # sex (the 2026 design leaves it off)
        sx = max(end + rng.uniform(3, 6), photo_left - 10)
        if sx + 8 < photo_left:
            pen.text(sx, y, "性別", label_size, label_ink)
            pen.text(sx + 4.5, y, {"1": "男", "2": "女"}[holder.sex], text_size, INK)

    y += rng.uniform(5.0, 6.5)
    pen.text(left, y, "住所", label_size, label_ink)
    per_line = int((photo_left - column - 1) / (text_size * 0.98))
    rows = [holder.address[i:i + per_line] for i in range(0, len(holder.address), per_line)]
    step = text_size * rng.uniform(1.3, 1.5)
    for row in rows[:3]:
        pen.text(column, y, row, text_size, INK)
        y += step

    label, expiry = expiry_text(holder, chosen.expiry_form)
    ey = max(y + rng.uniform(2.0, 4.0), rng.uniform(38.0, 42.0))
    ex = left + rng.uniform(0.5, 2.0)
    if label is not None:
        pen.text(ex, ey, label, label_size, label_ink)
        ex += pen.width(label, label_size) + rng.uniform(1.5, 3.0)
    end = pen.text(ex, ey, expiry, text_size, INK)
    if rng.random() < 0.5:
        pen.box(ex - 1.2, ey - text_size - 0.9, end + 1.2, ey + 1.2, (120, 120, 140))

    if rng.random() < 0.5:
        pen.text(left, min(ey + rng.uniform(4.0, 5.0), 50.0), rng.choice(("見本市長", "架空区長",
                                                                         "試験町長")),
                 1.9 * scale, label_ink)

    _security_code(pen, rng, chosen, holder.security_code, photo_left, photo_w,
                   photo_top + photo_h, expiry_end=end, expiry_baseline=ey, scale=scale,
                   label_ink=label_ink)

    if rng.random() < 0.4:
        pen.text(left, 51.5, "臓器提供意思の表示は裏面に", 1.6, label_ink)
    return _rounded(image, pen.px(3.18)), chosen


def _security_code(pen: draw.Pen, rng: random.Random, chosen: Layout, code: str,
                   photo_left: float, photo_w: float, photo_bottom: float, *, expiry_end: float,
                   expiry_baseline: float, scale: float, label_ink: draw.Colour) -> None:
    size = rng.uniform(2.0, 2.7) * scale
    label_size = rng.uniform(1.5, 1.9)
    tracking = rng.uniform(0.0, 0.4)
    width = pen.width(code, size, tracking=tracking)
    if chosen.code_beside_expiry:
        x = max(expiry_end + rng.uniform(4.0, 8.0), photo_left)
        baseline = expiry_baseline
    else:
        x = photo_left + rng.uniform(0.3, 0.7) * (photo_w - width)
        baseline = photo_bottom + rng.uniform(3.0, 4.5)
    label = "セキュリティコード"
    place = chosen.label_place
    if place == "left":
        lw = pen.width(label, label_size)
        x = max(x, photo_left - lw * 0.4)
        pen.text(x - lw - rng.uniform(1.0, 2.0), baseline, label, label_size, label_ink)
    elif place == "left-two-lines":
        top, bottom = "セキュリティ", "コード"
        lw = pen.width(top, label_size)
        lx = x - lw - rng.uniform(1.0, 2.0)
        pen.text(lx, baseline - label_size * 0.55, top, label_size, label_ink)
        pen.text(lx, baseline + label_size * 0.75, bottom, label_size, label_ink)
    elif place == "above":
        pen.text(x - rng.uniform(0, 3.0), baseline - size - 1.0, label, label_size, label_ink)
    elif place == "below":
        pen.text(x - rng.uniform(0, 3.0), baseline + label_size + 1.0, label, label_size,
                 label_ink)
    x = min(x, draw.CARD_MM[0] - 2.5 - width)
    pen.text(x, baseline, code, size, INK,
             tracking=tracking)


def _rounded(face: Image.Image, radius: int) -> Image.Image:
    mask = Image.new("L", face.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, face.width - 1, face.height - 1),
                                           radius=radius, fill=255)
    out = Image.new("RGB", face.size, (255, 255, 255))
    out.paste(face, (0, 0), mask)
    return out

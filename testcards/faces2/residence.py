"""在留カード and 特別永住者証明書 fronts under layout rules drawn from a seed.

What they print follows the public descriptions of the cards (the Immigration Services Agency's
card and the law's list of entries): 氏名 in Roman letters, 生年月日 as YYYY年MM月DD日, 性別,
国籍・地域, 住居地, 在留資格, 就労制限の有無, 在留期間(満了日), 許可の種類 and 許可年月日,
交付年月日, 「このカードは…まで有効です」 and the number top right; the 特別永住者証明書 has no
status, stay or permission, and its validity reads 有効期間の満了日. The bilingual labels are
printed or not, the number's label is 番号 or No. or nothing, dates are zero-padded or not —
none of it is the Agency's exact design, which the generator does not copy.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from PIL import Image

from testcards.faces2 import draw, fonts
from testcards.faces2.mynumber import _rounded
from testcards.faces2.people import ResidenceHolder

INK = (22, 22, 30)


@dataclass(frozen=True)
class Layout:
    japanese: str
    latin: str | None
    number_font: str
    english_labels: bool
    number_label: str
    zero_padded: bool


def printed_date(value: date, *, zero_padded: bool) -> str:
    if zero_padded:
        return f"{value.year}年{value.month:02}月{value.day:02}日"
    return f"{value.year}年{value.month}月{value.day}日"


def layout(rng: random.Random, *, held_out: bool) -> Layout:
    japanese, latin = fonts.choices(held_out=held_out)
    return Layout(japanese=rng.choice(japanese),
                  latin=rng.choice(latin) if rng.random() < 0.6 else None,
                  number_font=rng.choice(latin),
                  english_labels=rng.random() < 0.7,
                  number_label=rng.choice(("番号", "No.", "")),
                  zero_padded=rng.random() < 0.7)


def render(holder: ResidenceHolder, rng: random.Random, *, held_out: bool,
           dpi: int = 300) -> tuple[Image.Image, Layout]:
    chosen = layout(rng, held_out=held_out)
    size = (round(draw.CARD_MM[0] * dpi / 25.4), round(draw.CARD_MM[1] * dpi / 25.4))
    base = rng.choice(((246, 250, 252), (250, 248, 240), (244, 250, 246), (252, 246, 248)))
    image = draw.background(size, dpi, rng, base=base)
    pen = draw.Pen(image, dpi, chosen.japanese, chosen.latin)
    scale = rng.uniform(0.9, 1.1)
    label_ink = rng.choice(((70, 90, 120), (90, 70, 90), (60, 100, 80)))
    left = rng.uniform(2.5, 4.0)
    column = left + rng.uniform(9.0, 12.0)
    small, text = 1.35 * scale, rng.uniform(2.1, 2.5) * scale
    english = 1.05 * scale
    spr = holder.special_permanent
    on = chosen.zero_padded

    def label(x: float, y: float, ja: str, en: str) -> None:
        pen.text(x, y, ja, small, label_ink)
        if chosen.english_labels:
            pen.text(x, y + english + 0.5, en, english, label_ink)

    # Title, number top right.
    title, title_en = (("特別永住者証明書", "SPECIAL PERMANENT RESIDENT CERTIFICATE") if spr
                       else ("在留カード", "RESIDENCE CARD"))
    y = rng.uniform(4.0, 5.5)
    pen.text(left, y, title, 2.6 * scale, rng.choice(((30, 60, 120), (120, 40, 60))))
    if chosen.english_labels:
        pen.text(left, y + 2.2, title_en, 1.3 * scale, label_ink)
    number_size = rng.uniform(2.4, 3.0) * scale
    number_pen = draw.Pen(image, dpi, chosen.japanese, chosen.number_font)
    width = number_pen.width(holder.card_number, number_size)
    nx = draw.CARD_MM[0] - rng.uniform(3.0, 5.0) - width
    number_pen.text(nx, y + 0.3, holder.card_number, number_size, (180, 30, 40)
                    if rng.random() < 0.5 else INK)
    if chosen.number_label:
        lw = pen.width(chosen.number_label, 1.8)
        pen.text(nx - lw - rng.uniform(1.0, 2.5), y + 0.3, chosen.number_label, 1.8, label_ink)

    photo_w = rng.uniform(20.0, 23.0)
    photo_left = draw.CARD_MM[0] - rng.uniform(2.8, 4.0) - photo_w
    photo_top = y + rng.uniform(5.0, 8.0)
    photo_h = photo_w * rng.uniform(1.2, 1.3)
    image.paste(draw.photo((pen.px(photo_w), pen.px(photo_h)), rng),
                (pen.px(photo_left), pen.px(photo_top)))

    y += rng.uniform(6.5, 8.0)
    label(left, y, "氏名", "NAME")
    pen.text(column, y + 0.4, holder.name, rng.uniform(2.8, 3.5) * scale, INK)

    y += rng.uniform(4.5, 5.5)
    label(left, y, "生年月日", "DATE OF BIRTH")
    end = pen.text(column, y, printed_date(holder.birth, zero_padded=on), text, INK)
    sx = end + rng.uniform(2.5, 4.0)
    label(sx, y, "性別", "SEX")
    sex = {"M": "男 M.", "F": "女 F."}[holder.sex]
    end = pen.text(sx + 4.5, y, sex, text, INK)
    nationality_inline = rng.random() < 0.5 and end + 22 < photo_left
    if nationality_inline:
        nx2 = end + rng.uniform(2.0, 3.0)
        label(nx2, y, "国籍・地域", "NATIONALITY/REGION")
        pen.text(nx2 + 10.5, y, holder.nationality, text, INK)
    else:
        y += rng.uniform(4.0, 5.0)
        label(left, y, "国籍・地域", "NATIONALITY/REGION")
        pen.text(column, y, holder.nationality, text, INK)

    y += rng.uniform(4.5, 5.5)
    label(left, y, "住居地", "ADDRESS")
    per_line = int((photo_left - column - 1) / (text * 0.98))
    rows = [holder.address[i:i + per_line] for i in range(0, len(holder.address), per_line)]
    for row in rows[:2]:
        pen.text(column, y, row, text, INK)
        y += text * 1.35
    y += rng.uniform(0.8, 1.5)

    if not spr:
        assert holder.status is not None
        label(left, y, "在留資格", "STATUS")
        pen.text(column, y, holder.status, text, INK)
        y += rng.uniform(3.5, 4.2)
        pen.text(left, y, "就労制限の有無", small, label_ink)
        pen.text(column + 2, y, "就労制限なし" if holder.status == "永住者" else "就労不可"
                 if holder.status in ("留学", "家族滞在") else "在留資格に基づく就労活動のみ可",
                 text * 0.9, INK)
        y += rng.uniform(3.6, 4.3)
        label(left, y, "在留期間(満了日)", "PERIOD OF STAY (DATE OF EXPIRATION)")
        if holder.stay_expiry is not None:
            stay = f"{holder.stay_years}年 ({printed_date(holder.stay_expiry, zero_padded=on)})"
        else:
            stay = "無期限"
        pen.text(column + 6, y, stay, text, INK)
        y += rng.uniform(3.8, 4.5)
        assert holder.permission is not None and holder.permission_date is not None
        pen.text(left, y, "許可の種類", small, label_ink)
        pen.text(column, y, f"{holder.permission}({rng.choice(('東京', '大阪', '名古屋'))}"
                 f"出入国在留管理局長)", text * 0.8, INK)
        y += rng.uniform(3.2, 3.8)
        pen.text(left, y, "許可年月日", small, label_ink)
        end = pen.text(column, y, printed_date(holder.permission_date, zero_padded=on),
                       text * 0.9, INK)
        pen.text(end + 3, y, "交付年月日", small, label_ink)
        pen.text(end + 11, y, printed_date(holder.issued, zero_padded=on), text * 0.9, INK)
    else:
        pen.text(left, y, "交付年月日", small, label_ink)
        pen.text(column, y, printed_date(holder.issued, zero_padded=on), text * 0.9, INK)

    y = max(y + rng.uniform(4.0, 5.0), draw.CARD_MM[1] - rng.uniform(4.0, 6.0))
    validity = printed_date(holder.card_expiry, zero_padded=on)
    if spr and rng.random() < 0.5:
        label(left, y, "有効期間の満了日", "PERIOD OF VALIDITY")
        pen.text(column + 6, y, validity, text, INK)
    else:
        subject = "この証明書は" if spr else "このカードは"
        end = pen.text(left, y, subject, small * 1.3, INK)
        end = pen.text(end + 1.5, y, validity, text * 1.1, (180, 30, 40)
                       if rng.random() < 0.5 else INK)
        pen.text(end + 0.8, y, "まで有効です。" if rng.random() < 0.5 else "まで有効", small * 1.3,
                 INK)
    if rng.random() < 0.5:
        pen.text(photo_left + 2, min(photo_top + photo_h + 4.5, draw.CARD_MM[1] - 8),
                 "法務大臣", 2.0 * scale, INK)
    return _rounded(image, pen.px(3.18)), chosen

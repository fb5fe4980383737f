"""From OCR text lines to the printed fields of a 在留カード or 特別永住者証明書 front. Pure.

- the card number: 12 characters, two letters, eight digits, two letters (`AB12345678CD`);
  where the recogniser read a digit in a letter's place or a letter in a digit's place, the
  pattern settles it (0→O, 1→I in the letters; O→0, I→1 in the digits; rarer pairs such as
  5/S and 8/B cost more). Every reading of its line must give the same number.
- the dates, all Gregorian (`1985年12月31日`), told apart by their labels (生年月日 / DATE OF
  BIRTH, 在留期間(満了日), 有効期間の満了日, 「このカードは…まで有効」, 許可年月日 and 交付年月日
  which are neither): read on the date's own line, or on the label line to its left. Without a
  label, the earliest date is the birth and the latest the card's expiry (at a cost).
- the name in Roman letters: a line of capitals beside (or under) 氏名 / NAME, not one of the
  card's English labels;
- 国籍・地域: the value beside its label, recognised against the names the cards print (the
  shipped recogniser reads kanji, e.g. 中国 韓国 台湾 朝鮮 米国, but not katakana, so ベトナム or
  ブラジル are usually not recognised: absent, never guessed).

Each field has its own confidence (lowest character score, times a penalty per fallback rule);
a field not found is absent. Nothing here formats or logs a value.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from verifier.ocr.text import (
    FoundDate,
    Geometry,
    OcrLine,
    Text,
    ascii_digits,
    geometry,
    joined,
    line_text,
    most_agreed,
    reading_text,
    rows,
    western_dates,
)

#: `PrintedResidenceFace.usable_unattended`: the number is used with nobody confirming it only
#: at or above this (tuned on the second generator's tuning part, see docs/ocr.md).
CARD_NUMBER_THRESHOLD = 0.9

PENALTY_PATTERN_COMMON = 0.97  # O read as 0 in a letter's place, 0 as O in a digit's, I/1
PENALTY_PATTERN_RARE = 0.75  # 5/S, 8/B, 2/Z, 6/G, D/Q as 0
PENALTY_LABEL_GLUED = 0.99
PENALTY_UNSTABLE = 0.5
PENALTY_AMBIGUOUS = 0.5
PENALTY_BY_ORDER = 0.85
PENALTY_BIRTH_NOT_FIRST = 0.5
PENALTY_NAME_NO_LABEL = 0.85
PENALTY_NATIONALITY_NO_LABEL = 0.9
PENALTY_ONE_READING = 0.9
MAX_PATTERN_FIXES = 2
#: The recogniser splits its score for an O between O and 0 (and for an I between I and 1):
#: both are drawn alike in many fonts. The pattern tells them apart by place, so once more
#: than one reading of the line agrees on the number, an O read in a letter's place (a 0 in
#: a digit's, I and 1 likewise) counts at this confidence rather than at its share of the
#: split. A character the pattern had to change keeps its own score, and so does a share
#: below `MIN_PAIR_SCORE`: the rest may be going to a third letter (D, Q), which the pattern
#: cannot tell from O.
PATTERN_PAIR_CONFIDENCE = 0.97
MIN_PAIR_SCORE = 0.45
_HAS_A_TWIN = frozenset("O0I1")

RESIDENCE_FIELD_NAMES = ("card_number", "name", "birth", "nationality", "stay_expiry",
                         "card_expiry")
RESIDENCE_CARD = "residence_card"
SPECIAL_PERMANENT_RESIDENT_CERTIFICATE = "special_permanent_resident_certificate"


@dataclass(frozen=True, repr=False)
class PrintedResidenceFace:
    """What the front of a 在留カード / 特別永住者証明書 shows, each field with its confidence.

    `card_number` opens the chip; `name` (Roman letters as printed, words separated by one
    space), `birth`, `nationality` (as the card prints it, e.g. 韓国) with `nationality_code`
    (ISO 3166-1 alpha-3, when the name is one this module knows), `stay_expiry` (在留期間の満了日;
    none on a 特別永住者証明書 or a permanent resident's card) and `card_expiry` (このカードは…
    まで有効 / 有効期間の満了日) are for holding the printed face against the chip's entries.
    `document` is what the title says, when it was read. `fallbacks` names rules, no values.
    """

    document: str | None = None
    card_number: str | None = None
    name: str | None = None
    birth: date | None = None
    nationality: str | None = None
    nationality_code: str | None = None
    stay_expiry: date | None = None
    card_expiry: date | None = None
    card_number_confidence: float = 0.0
    name_confidence: float = 0.0
    birth_confidence: float = 0.0
    nationality_confidence: float = 0.0
    stay_expiry_confidence: float = 0.0
    card_expiry_confidence: float = 0.0
    fallbacks: frozenset[str] = field(default_factory=frozenset)

    def confidence(self, name: str) -> float:
        if name not in RESIDENCE_FIELD_NAMES:
            raise KeyError(name)
        value: float = getattr(self, f"{name}_confidence")
        return value

    def present(self, name: str) -> bool:
        if name not in RESIDENCE_FIELD_NAMES:
            raise KeyError(name)
        return getattr(self, name) is not None

    def low_confidence(self, threshold: float = CARD_NUMBER_THRESHOLD,
                       names: Sequence[str] = RESIDENCE_FIELD_NAMES) -> tuple[str, ...]:
        """The fields among `names` a clerk must look at: absent, or below `threshold`."""
        return tuple(name for name in names
                     if not self.present(name) or self.confidence(name) < threshold)

    def usable_unattended(self, threshold: float = CARD_NUMBER_THRESHOLD) -> bool:
        """Whether the card number may go to the card with nobody confirming it."""
        return not self.low_confidence(threshold, ("card_number",))

    def __repr__(self) -> str:
        states = ", ".join(f"{name}={'read' if self.present(name) else 'missing'}"
                           for name in RESIDENCE_FIELD_NAMES)
        return f"PrintedResidenceFace({states})"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)


# --- the card number -------------------------------------------------------------------------
#: In a letter's place, the digit the recogniser may have made of a letter, and back.
_AS_LETTER_COMMON = {"0": "O", "1": "I"}
_AS_LETTER_RARE = {"5": "S", "8": "B", "2": "Z", "6": "G"}
_AS_DIGIT_COMMON = {"O": "0", "I": "1", "L": "1", "|": "1"}
_AS_DIGIT_RARE = {"D": "0", "Q": "0", "S": "5", "B": "8", "Z": "2", "G": "6", "T": "7"}
_LETTER_SLOTS = (0, 1, 10, 11)
_NUMBER_LABELS = ("NO.", "NO", "N0", "N0.")


@dataclass(frozen=True)
class _Number:
    value: str
    confidence: float
    fixes: tuple[str, ...]  # "common" / "rare", one per character the pattern settled
    #: The confidence with O/0 and I/1 settled by the pattern (used when readings agree).
    paired: float


def _settle(window: str) -> tuple[str, list[str]] | None:
    """The 12 characters as a card number, and the kind of each fix; None if they cannot be."""
    out: list[str] = []
    fixes: list[str] = []
    for index, ch in enumerate(window):
        if index in _LETTER_SLOTS:
            fits, common, rare = "A" <= ch <= "Z", _AS_LETTER_COMMON, _AS_LETTER_RARE
        else:
            fits, common, rare = "0" <= ch <= "9", _AS_DIGIT_COMMON, _AS_DIGIT_RARE
        if fits:
            out.append(ch)
        elif ch in common:
            out.append(common[ch])
            fixes.append("common")
        elif ch in rare:
            out.append(rare[ch])
            fixes.append("rare")
        else:
            return None
    if len(fixes) > MAX_PATTERN_FIXES:
        return None
    if sum(ch.isdigit() for ch in window[2:10]) < 6:
        return None  # mostly letters where the digits are: a word
    return "".join(out), fixes


_RUN = re.compile(r"[0-9A-Z|]+")


def _numbers_in(text: str, scores: Sequence[float]) -> list[_Number]:
    normal = reading_text(text, scores)
    chars = normal.chars.upper()
    found: list[_Number] = []
    for match in _RUN.finditer(chars):
        run, start = match[0], match.start()
        glued = False
        if len(run) > 12:
            for label in _NUMBER_LABELS:
                if run.startswith(label) and len(run) - len(label) == 12:
                    run, start, glued = run[len(label):], start + len(label), True
                    break
        if len(run) != 12:
            continue
        settled = _settle(run)
        if settled is None:
            continue
        value, fixes = settled
        scores = normal.conf[start:start + 12]
        penalty = PENALTY_LABEL_GLUED if glued else 1.0
        for kind in fixes:
            penalty *= PENALTY_PATTERN_COMMON if kind == "common" else PENALTY_PATTERN_RARE
        found.append(_Number(value, min(scores) * penalty, tuple(fixes),
                             _paired(run, value, scores) * penalty))
    return found


def _paired(run: str, value: str, scores: Sequence[float]) -> float:
    """The least sure character, an O/0 or I/1 read as the one its place wants counting as
    settled."""
    return min(max(score, PATTERN_PAIR_CONFIDENCE)
               if score >= MIN_PAIR_SCORE and raw == settled and raw in _HAS_A_TWIN
               else score
               for raw, settled, score in zip(run, value, scores, strict=True))


def _line_number(line: OcrLine) -> tuple[_Number, set[str]] | None:
    readings = line.readings()
    per: list[list[_Number]] = [_numbers_in(text, scores) for text, scores in readings]
    agreed = most_agreed(per, lambda n: n.value, lambda n: n.confidence)
    if agreed is None:
        return None
    value, chosen, different = agreed
    fallbacks: set[str] = set()
    # Every reading must still show the number: its eight digits at least (a reading may
    # lose a letter to the crop's edge), and no reading another number.
    if different > 1 or not all(
            any(n.value == value for n in numbers) or value[2:10] in ascii_digits(text)
            for (text, _), numbers in zip(readings, per, strict=True)):
        fallbacks.add("card_number.unstable")
    if any(number.fixes for number in chosen):
        fallbacks.add("card_number.pattern_fixed")
    # The surest reading counts once every reading agrees (above); an O/0 or I/1 counts as
    # settled only when more than one reading found the number.
    confidence = max(n.paired if len(chosen) > 1 else n.confidence for n in chosen)
    if len(chosen) == 1 and line.rereads:
        confidence *= PENALTY_ONE_READING
    if "card_number.unstable" in fallbacks:
        confidence *= PENALTY_UNSTABLE
    return _Number(value, confidence, chosen[0].fixes, confidence), fallbacks


def _card_number(lines: Sequence[OcrLine]) -> tuple[_Number | None, set[str]]:
    reads = []
    fallbacks: set[str] = set()
    for line in lines:
        found = _line_number(line)
        if found is not None:
            reads.append(found[0])
            fallbacks |= found[1]
    if not reads:
        return None, fallbacks
    best = max(reads, key=lambda n: n.confidence)
    if len({n.value for n in reads}) > 1:
        fallbacks.add("card_number.ambiguous")
        doubted = best.confidence * PENALTY_AMBIGUOUS
        return _Number(best.value, doubted, best.fixes, doubted), fallbacks
    return best, fallbacks


# --- labels ----------------------------------------------------------------------------------
# Label words, as printed and as the recogniser writes them (simplified forms, lost kana).
_CARD_EXPIRY_WORDS = ("有効期間", "有效期間", "有期間", "効期間", "效期間", "VALIDITY", "VALDITY",
                      "このカ", "の力", "明書は", "證明書", "证明書", "証明書", "THIS CARD")
_STAY_WORDS = ("在留期間", "满了", "満了", "PERIOD OF STAY", "PERIODOFSTAY", "EXPIRATION",
               "EXPIRATIN")
_BIRTH_WORDS = ("生年月日", "生年月", "BIRTH", "DATEOF")
_OTHER_WORDS = ("許可", "许可", "交付", "PERMISSION", "ISSUE")
_EXPIRY_MARKS = frozenset("有効效劾幼劲劝办")
_NAME_WORDS = ("氏名", "NAME")
_NATIONALITY_WORDS = ("国籍", "國籍", "地域", "NATIONALITY", "REGION")
_LABEL_VOCABULARY = ("NAME", "DATE", "OF", "BIRTH", "SEX", "NATIONALITY", "REGION", "ADDRESS",
                     "STATUS", "PERIOD", "STAY", "EXPIRATION", "VALIDITY", "THIS", "CARD",
                     "RESIDENCE", "SPECIAL", "PERMANENT", "RESIDENT", "CERTIFICATE",
                     "GOVERNMENT", "JAPAN", "PERMISSION", "ISSUE", "NO", "M", "F", "DATEOF",
                     "NATIONALITYREGION", "RESIDENCECARD", "DATEOFBIRTH")


def _has(text: str, words: Sequence[str]) -> bool:
    upper = text.upper()
    compact = upper.replace(" ", "")
    return any(word in upper or word.replace(" ", "") in compact for word in words)


#: 有効期間の満了日 (the 特別永住者証明書's validity) as the recogniser may write it: 効 as 幼 or
#: 效, 間 as 問, 満 as 满. It holds 満了 too, so it is told from 在留期間（満了日） by what comes
#: before 期間 and by the の.
_VALIDITY_END = re.compile(r"有.?期[間問间门]|(?<!留)期[間問间门]の[満满]了")


def _date_kind(context: str, suffix: str) -> str | None:
    if any(ch in _EXPIRY_MARKS for ch in suffix[:3]) or suffix.startswith("まで"):
        return "card_expiry"
    if _has(context, _CARD_EXPIRY_WORDS) or _VALIDITY_END.search(context.replace(" ", "")):
        return "card_expiry"
    if _has(context, _STAY_WORDS):
        return "stay_expiry"
    if _has(context, _BIRTH_WORDS):
        return "birth"
    if _has(context, _OTHER_WORDS):
        return "other"
    # A period of stay printed as a duration with the date in brackets: `5年 (2030年…)`.
    if re.search(r"[0-9]+[年月日]\($", context.replace("（", "(")):
        return "stay_expiry"
    return None


def _left_label(line: OcrLine, shape: Geometry, others: Sequence[tuple[OcrLine, Geometry]]
                ) -> str:
    """The text of the nearest line to the left of `line` on its row (its label)."""
    best: tuple[float, str] | None = None
    for other, g in others:
        if other is line:
            continue
        along = shape.along(g.centre)
        across = abs(shape.across(g.centre))
        if along >= 0 or across > 0.7 * max(shape.height, g.height):
            continue
        gap = -along - (shape.width + g.width) / 2
        if gap > 14 * shape.height:
            continue
        if best is None or gap < best[0]:
            best = (gap, line_text(other).chars)
    return best[1] if best else ""


# --- dates -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Dated:
    found: FoundDate
    kind: str | None
    confidence: float


def _stable_digits(line: OcrLine, printed: str) -> bool:
    """Whether every re-reading of the line still shows the date's digits (noise glued on
    either side of it in one reading does not count against it)."""
    digits = ascii_digits(printed)
    return all(digits in ascii_digits(reread) for reread in line.rereads)


def _line_dates(line: OcrLine, shape: Geometry, shapes: Sequence[tuple[OcrLine, Geometry]]
                ) -> list[_Dated]:
    text = line_text(line)
    dates = western_dates(text)
    if not dates:
        return []
    label = _left_label(line, shape, shapes)
    out: list[_Dated] = []
    for found in dates:
        context = found.before if found.before.strip() else ""
        kind = _date_kind(context, found.suffix)
        if kind is None:
            kind = _date_kind(label + context, found.suffix)
        confidence = found.confidence
        if not _stable_digits(line, text.chars[found.start:found.end]):
            confidence *= PENALTY_UNSTABLE
        out.append(_Dated(found, kind, confidence))
    return out


def _dates(lines: Sequence[OcrLine], shapes: Sequence[tuple[OcrLine, Geometry]]
           ) -> list[_Dated]:
    out: list[_Dated] = []
    for line, shape in shapes:
        out.extend(_line_dates(line, shape, shapes))
    # A suffix (まで有効) printed in a box of its own after the date: join the row to see it.
    for row in rows(lines):
        if len(row) > 1:
            text = joined(row)
            for found in western_dates(text):
                kind = _date_kind(found.before, found.suffix)
                if kind == "card_expiry":
                    out.append(_Dated(found, kind, found.confidence))
    return out


def _pick_date(dated: list[_Dated], kind: str) -> tuple[date | None, float, set[str]]:
    chosen = [d for d in dated if d.kind == kind]
    if not chosen:
        return None, 0.0, set()
    by_value: dict[date, float] = {}
    for d in chosen:
        by_value[d.found.value] = max(by_value.get(d.found.value, 0.0), d.confidence)
    value = max(by_value, key=lambda v: by_value[v])
    if len(by_value) > 1:
        return value, by_value[value] * PENALTY_AMBIGUOUS, {f"{kind}.ambiguous"}
    return value, by_value[value], set()


# --- name and nationality --------------------------------------------------------------------
_LATIN_LINE = re.compile(r"[A-Z][A-Z .,'\-]*[A-Z.]")


# The English labels as the recogniser returns them when it drops the spaces.
_LABEL_PHRASES = ("RESIDENCECARD", "SPECIALPERMANENTRESIDENTCERTIFICATE", "DATEOFBIRTH",
                  "NATIONALITYREGION", "PERIODOFSTAY", "DATEOFEXPIRATION", "PERIODOFVALIDITY",
                  "PERIODOFVALIDITYOFTHISCARD", "GOVERNMENTOFJAPAN", "PERMANENTRESIDENT")


def _label_word(word: str) -> bool:
    if any(difflib.SequenceMatcher(None, word, known).ratio() >= 0.8
           for known in _LABEL_VOCABULARY):
        return True
    return len(word) >= 8 and any(
        difflib.SequenceMatcher(None, word, phrase).ratio() >= 0.75
        or (len(word) >= 10 and word in phrase) or word[:6] == phrase[:6]
        for phrase in _LABEL_PHRASES)


def _name_words(text: str) -> list[str] | None:
    """The words of a line that could be a Roman-letter name, labels taken off; else None."""
    normal = unicodedata.normalize("NFKC", text).strip()
    for label in _NAME_WORDS:
        if normal.upper().startswith(label):
            normal = normal[len(label):].strip()
    if not normal or not _LATIN_LINE.fullmatch(normal):
        return None
    words = [w.strip(".,") for w in normal.split() if w.strip(".,")]
    kept = [w for w in words if not _label_word(w)]
    if not kept or len(kept) < len(words) or sum(len(w) for w in kept) < 3:
        return None
    return kept


def _name(shapes: Sequence[tuple[OcrLine, Geometry]]) -> tuple[str | None, float, set[str]]:
    labels = [(line, g) for line, g in shapes if _has(line_text(line).chars, _NAME_WORDS)
              and len(line_text(line).chars) <= 6]
    candidates = []
    for line, g in shapes:
        words = _name_words(line.text)
        if words is None:
            continue
        text = line_text(line, keep_spaces=True)
        letters = [c for ch, c in zip(text.chars, text.conf, strict=True) if ch.isalpha()]
        confidence = min(letters, default=0.0)
        near = _has(line.text, _NAME_WORDS) or any(_beside(g, lg) for _, lg in labels)
        candidates.append((" ".join(words), confidence, near, g.centre[1]))
    if not candidates:
        return None, 0.0, set()
    labelled = [c for c in candidates if c[2]]
    if labelled:
        best = max(labelled, key=lambda c: c[1])
        if len({c[0] for c in labelled}) > 1:
            return best[0], best[1] * PENALTY_AMBIGUOUS, {"name.ambiguous"}
        return best[0], best[1], set()
    top = min(candidates, key=lambda c: c[3])
    return top[0], top[1] * PENALTY_NAME_NO_LABEL, {"name.no_label"}


def _beside(value: Geometry, label: Geometry) -> bool:
    """`value` right of `label` on its row, or just under it."""
    along = label.along(value.centre)
    across = label.across(value.centre)
    tall = max(value.height, label.height)
    if abs(across) < 0.7 * tall and 0 < along < label.width / 2 + 16 * tall:
        return True
    return 0 < across < 2.2 * tall and abs(along) < label.width + 6 * tall


#: 国籍・地域 as the cards print them → ISO 3166-1 alpha-3. Kanji names are what the shipped
#: recogniser can read; katakana names are listed for a recogniser that reads them.
NATIONALITY_CODES = {
    "中国": "CHN", "韓国": "KOR", "朝鮮": "PRK", "台湾": "TWN", "米国": "USA", "英国": "GBR",
    "ベトナム": "VNM", "フィリピン": "PHL", "ブラジル": "BRA", "ネパール": "NPL",
    "インドネシア": "IDN", "タイ": "THA", "インド": "IND", "ペルー": "PER", "ミャンマー": "MMR",
    "スリランカ": "LKA", "バングラデシュ": "BGD", "パキスタン": "PAK", "カンボジア": "KHM",
    "モンゴル": "MNG", "フランス": "FRA", "ドイツ": "DEU", "カナダ": "CAN", "ロシア": "RUS",
}
# Simplified or variant forms the recogniser writes for the kanji of those names.
_VARIANTS = str.maketrans({"鲜": "鮮", "韩": "韓", "國": "国", "灣": "湾", "臺": "台"})


def _nationality_value(text: str) -> tuple[str, str] | None:
    compact = "".join(unicodedata.normalize("NFKC", text).split()).translate(_VARIANTS)
    for word in ("国籍・地域", "国籍·地域", "国籍", "地域", "・", "·"):
        compact = compact.replace(word, "")
    if compact in NATIONALITY_CODES:
        return compact, NATIONALITY_CODES[compact]
    return None


def _nationality(shapes: Sequence[tuple[OcrLine, Geometry]]
                 ) -> tuple[str | None, str | None, float, set[str]]:
    labels = [g for line, g in shapes if _has(line_text(line).chars, _NATIONALITY_WORDS)]
    found = []
    for line, g in shapes:
        value = _nationality_value(line.text)
        if value is None:
            continue
        confidence = min(line.confidences(), default=0.0)
        labelled = _has(line.text, _NATIONALITY_WORDS) or any(
            _beside(g, label) for label in labels)
        found.append((value, confidence * (1.0 if labelled else PENALTY_NATIONALITY_NO_LABEL),
                      labelled))
    if not found:
        return None, None, 0.0, ({"nationality.not_recognised"} if labels else set())
    best = max(found, key=lambda f: (f[2], f[1]))
    fallbacks = set() if best[2] else {"nationality.no_label"}
    if len({f[0] for f in found}) > 1:
        return best[0][0], best[0][1], best[1] * PENALTY_AMBIGUOUS, fallbacks | {
            "nationality.ambiguous"}
    return best[0][0], best[0][1], best[1], fallbacks


#: 永住者証明書 with 者 or 証 misread (`永住省證明書`); 永住者 alone is a residence card's
#: status of residence, never the title.
_CERTIFICATE_TITLE = re.compile(r"永住.?[証證证]明")


def _document(lines: Sequence[OcrLine]) -> str | None:
    text = " ".join(line_text(line, keep_spaces=True).chars for line in lines).upper()
    compact = text.replace(" ", "")
    if any(word in compact for word in ("特別永住", "特别永住", "SPECIALPERMANENT")) \
            or _CERTIFICATE_TITLE.search(compact):
        return SPECIAL_PERMANENT_RESIDENT_CERTIFICATE
    if "RESIDENCECARD" in compact or "在留力" in compact or "在留カ" in compact:
        return RESIDENCE_CARD
    return None


# --- putting it together ---------------------------------------------------------------------
_FIELD_DATES = frozenset({"birth", "stay_expiry", "card_expiry"})


def lines_to_reread(lines: Sequence[OcrLine]) -> set[int]:
    """The lines (by index) whose re-readings can change a field: every line but one whose
    dates are all labelled as no field of ours (交付年月日, 許可年月日) or not labelled at
    all, and which holds no card number.

    Re-readings only ever lower a date's confidence, and such a date is either never a field
    or a field by order, which is never sure: re-reading its line would only cost time (a
    third of a front's re-reading, see docs/ocr.md, "Speed").
    """
    shapes = [(line, geometry(line.box)) for line in lines]
    chosen: set[int] = set()
    for index, (line, shape) in enumerate(shapes):
        dated = _line_dates(line, shape, shapes)
        if (not dated or any(d.kind in _FIELD_DATES for d in dated)
                or _numbers_in(line.text, line.confidences())):
            chosen.add(index)
    return chosen


def read_residence_fields(lines: Sequence[OcrLine]) -> PrintedResidenceFace:
    """The printed fields of a residence card front among OCR `lines`."""
    shapes = [(line, geometry(line.box)) for line in lines]
    fallbacks: set[str] = set()
    number, extra = _card_number(lines)
    fallbacks |= extra

    dated = [d for d in _dates(lines, shapes) if 1900 <= d.found.value.year <= 2100]
    birth, birth_conf, extra = _pick_date(dated, "birth")
    fallbacks |= extra
    values = sorted({d.found.value for d in dated})
    if birth is None and values:
        earliest = values[0]
        birth = earliest
        birth_conf = max(d.confidence for d in dated if d.found.value == earliest)
        birth_conf *= PENALTY_BY_ORDER
        fallbacks.add("birth.by_order")
    elif birth is not None and values and birth != values[0]:
        # Every other date on the card (issue, permission, stay, validity) is later.
        birth_conf *= PENALTY_BIRTH_NOT_FIRST
        fallbacks.add("birth.not_earliest")
    card_expiry, card_conf, extra = _pick_date(dated, "card_expiry")
    fallbacks |= extra
    if card_expiry is None and len(values) > 1:
        latest = values[-1]
        card_expiry = latest
        card_conf = max(d.confidence for d in dated if d.found.value == latest)
        card_conf *= PENALTY_BY_ORDER
        fallbacks.add("card_expiry.by_order")
    stay_expiry, stay_conf, extra = _pick_date(dated, "stay_expiry")
    fallbacks |= extra
    document = _document(lines)
    if document == SPECIAL_PERMANENT_RESIDENT_CERTIFICATE and stay_expiry is not None:
        stay_expiry, stay_conf = None, 0.0
        fallbacks.add("stay_expiry.not_on_this_document")

    name, name_conf, extra = _name(shapes)
    fallbacks |= extra
    nationality, code, nationality_conf, extra = _nationality(shapes)
    fallbacks |= extra
    return PrintedResidenceFace(
        document=document,
        card_number=number.value if number else None,
        name=name,
        birth=birth,
        nationality=nationality,
        nationality_code=code,
        stay_expiry=stay_expiry,
        card_expiry=card_expiry,
        card_number_confidence=_clamp(number.confidence if number else 0.0),
        name_confidence=_clamp(name_conf),
        birth_confidence=_clamp(birth_conf),
        nationality_confidence=_clamp(nationality_conf),
        stay_expiry_confidence=_clamp(stay_conf),
        card_expiry_confidence=_clamp(card_conf),
        fallbacks=frozenset(fallbacks),
    )


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 1.0)


__all__ = ["CARD_NUMBER_THRESHOLD", "NATIONALITY_CODES", "RESIDENCE_CARD",
           "RESIDENCE_FIELD_NAMES", "SPECIAL_PERMANENT_RESIDENT_CERTIFICATE",
           "PrintedResidenceFace", "Text", "lines_to_reread", "read_residence_fields"]

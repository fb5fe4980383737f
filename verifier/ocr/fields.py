"""From OCR text lines to the three printed fields that make 照合番号B. Pure: no I/O, no OCR import.

Fields are found by what they say, not where they are, since cameras rotate, crop and skew the
card and the layout differs between card generations:

- birth date: an era date (`昭和55年 2月17日生`, `平成元年 1月 8日生`), or a Gregorian date
  followed by 生 (`1975年 8月 9日生`, a foreign resident's card);
- expiry: a Gregorian date followed by `まで有効` — the recogniser (a Chinese model) usually
  misreads the kana, so any suffix carrying 有/効/效 or a misread of まで counts;
- security code: the 4 digits near the label セキュリティコード when one is printed, else the
  one group of exactly 4 digits that is not part of a date.

Each field's confidence is the lowest per-character confidence of the characters it was read
from, multiplied down whenever a fallback rule had to be used (misread era, letters standing
for digits, a guessed label, two candidates). A field a rule could not pin down is absent.
Nothing here formats or logs a field value; `PrintedFace` prints without them.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from verifier.documents.my_number.code_b import (
    ERAS,
    EXPIRY_YEAR_MAX,
    EXPIRY_YEAR_MIN,
    SECURITY_CODE_LENGTH,
    CodeB,
    CodeBFieldError,
    code_b_from_parts,
    parse_birth_date,
)

#: Default for `PrintedFace.usable_unattended`: tuned with `python -m bench.ocr` so that no
#: wrong code on the benchmark passes it (a wrong code costs the customer a try).
DEFAULT_THRESHOLD = 0.9

# How much a fallback rule lowers a field's confidence. Anything at or below 0.85 takes a
# near-perfect read under the default threshold, i.e. the clerk must confirm it.
PENALTY_ERA_MISREAD = 0.97
PENALTY_DIGIT_LOOKALIKE = 0.7
PENALTY_SUFFIX_MISSING = 0.97
PENALTY_KIND_GUESSED = 0.8
PENALTY_CODE_LONE = 0.99
PENALTY_CODE_EMBEDDED = 0.8
PENALTY_AMBIGUOUS = 0.5
PENALTY_INCONSISTENT = 0.8
PENALTY_UNSTABLE = 0.5

Point = tuple[float, float]
Box = tuple[Point, Point, Point, Point]
_NO_BOX: Box = ((0.0, 0.0), (0.0, 0.0), (0.0, 0.0), (0.0, 0.0))


@dataclass(frozen=True)
class OcrLine:
    """One detected text line: what the recogniser read, how sure it was, and where.

    `box` is the four corners clockwise from the top left of the text as written (so a rotated
    card gives a rotated box). `char_confidences`, when the engine gives them, has one value per
    character of `text`; otherwise every character counts with `confidence`. `rereads` are the
    same line read again from other crops; a field whose digits change between readings is
    doubted (see `PENALTY_UNSTABLE`).
    """

    text: str
    confidence: float
    box: Box = _NO_BOX
    char_confidences: tuple[float, ...] = ()
    rereads: tuple[str, ...] = ()

    def confidences(self) -> tuple[float, ...]:
        if len(self.char_confidences) == len(self.text):
            return self.char_confidences
        return (self.confidence,) * len(self.text)

    def __repr__(self) -> str:
        # A line may be a birth date or the security code: say only how long it is.
        return f"OcrLine(<{len(self.text)} chars>)"


FIELD_NAMES = ("birth", "expiry", "security_code")


@dataclass(frozen=True, repr=False)
class PrintedFace:
    """The fields read from a card face, each with a confidence in [0, 1] (0 when absent).

    `birth_gregorian` says the face prints the birth date in the Gregorian calendar (a foreign
    resident's card), so code B keeps the Gregorian YYMMDD (see
    verifier.documents.my_number.code_b). `fallbacks` names the rules that had to be used, for
    the audit trail; it holds no field value.
    """

    birth: date | None = None
    birth_gregorian: bool = False
    expiry: date | None = None
    security_code: str | None = None
    birth_confidence: float = 0.0
    expiry_confidence: float = 0.0
    security_code_confidence: float = 0.0
    fallbacks: frozenset[str] = field(default_factory=frozenset)

    def confidence(self, name: str) -> float:
        """The confidence of `birth`, `expiry` or `security_code`."""
        if name not in FIELD_NAMES:
            raise KeyError(name)
        value: float = getattr(self, f"{name}_confidence")
        return value

    def present(self, name: str) -> bool:
        if name not in FIELD_NAMES:
            raise KeyError(name)
        return getattr(self, name) is not None

    @property
    def complete(self) -> bool:
        return all(self.present(name) for name in FIELD_NAMES)

    def low_confidence(self, threshold: float = DEFAULT_THRESHOLD) -> tuple[str, ...]:
        """The fields a clerk must look at: absent, or read with less than `threshold`."""
        return tuple(name for name in FIELD_NAMES
                     if not self.present(name) or self.confidence(name) < threshold)

    def usable_unattended(self, threshold: float = DEFAULT_THRESHOLD) -> bool:
        """Whether the code may go to the card with nobody confirming it (`--yes`, batch)."""
        return not self.low_confidence(threshold)

    def code_b(self) -> CodeB:
        """The 14 digits from the fields read; `CodeBFieldError` when one is absent or invalid."""
        if self.birth is None:
            raise CodeBFieldError("the birth date could not be read from the picture",
                                  "画像から生年月日を読み取れませんでした", field="birth")
        if self.expiry is None:
            raise CodeBFieldError("the expiry date could not be read from the picture",
                                  "画像から有効期限を読み取れませんでした", field="expiry")
        if self.security_code is None:
            raise CodeBFieldError("the security code could not be read from the picture",
                                  "画像からセキュリティコードを読み取れませんでした",
                                  field="security_code")
        return code_b_from_parts(self.birth, self.expiry.year, self.security_code,
                                 gregorian_birth=self.birth_gregorian)

    def __repr__(self) -> str:
        states = ", ".join(f"{name}={'read' if self.present(name) else 'missing'}"
                           for name in FIELD_NAMES)
        return f"PrintedFace({states})"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)


# --- characters ------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Text:
    """Normalised text with one confidence per character, spaces removed."""

    chars: str
    conf: tuple[float, ...]

    def span_min(self, start: int, end: int) -> float:
        return min(self.conf[start:end], default=0.0)


def _normalized(pieces: Iterable[tuple[str, float]], *, keep_spaces: bool) -> _Text:
    chars: list[str] = []
    conf: list[float] = []
    for ch, value in pieces:
        # NFKC: full-width digits and spaces, and the one-character era squares (㍼ → 昭和).
        for out in unicodedata.normalize("NFKC", ch):
            if out.isspace():
                if keep_spaces and chars and chars[-1] != " ":
                    chars.append(" ")
                    conf.append(1.0)
                continue
            chars.append(out)
            conf.append(value)
    return _Text("".join(chars), tuple(conf))


def _line_text(line: OcrLine, *, keep_spaces: bool = False) -> _Text:
    return _normalized(zip(line.text, line.confidences(), strict=True), keep_spaces=keep_spaces)


def _joined(lines: Sequence[OcrLine], *, keep_spaces: bool = False) -> _Text:
    pieces: list[tuple[str, float]] = []
    for index, line in enumerate(lines):
        if index:
            pieces.append((" ", 1.0))
        pieces.extend(zip(line.text, line.confidences(), strict=True))
    return _normalized(pieces, keep_spaces=keep_spaces)


# What the recogniser writes for digits on a bad day: accepted only with a heavy penalty.
_LOOKALIKES = {"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1", "i": "1",
               "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "g": "9"}
_D = "[0-9" + re.escape("".join(_LOOKALIKES)) + "]"


def _digits(text: str) -> tuple[str, bool]:
    """ASCII digits, and whether a look-alike letter had to be read as one."""
    out = "".join(_LOOKALIKES.get(ch, ch) for ch in text)
    return out, out != text


def _ascii_digits(text: str) -> str:
    normalized = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in _digits(normalized)[0] if ch in "0123456789")


def _stable(line: OcrLine) -> bool:
    """Whether every re-reading of the line still shows its digits, in the same order.

    A wider crop may add a neighbour's digit, so containment is enough, and a look-alike
    letter counts as its digit (9120 read once as g120 is the same reading; a look-alike in
    the main reading is penalised on its own). A digit that changes or disappears is what a
    half-hidden or blurred glyph does.
    """
    digits = _ascii_digits(line.text)
    return all(digits in _ascii_digits(reread) for reread in line.rereads)


# --- dates -----------------------------------------------------------------------------------
_ERA_NAMES = tuple(name for name, _, _ in ERAS)
# What the recogniser (a Chinese model) reads for each character of an era name, seen on
# rendered faces and taken from its dictionary's look-alikes.
_ERA_CHAR_LOOKALIKES = {"令": "今合全", "和": "禾私", "昭": "照眧", "平": "乎半", "成": "戍戌城咸",
                        "正": "止", "大": "太", "治": "冶"}


def _era_misreads() -> dict[str, str]:
    found: dict[str, set[str]] = {}
    for name in _ERA_NAMES:
        first = name[0] + _ERA_CHAR_LOOKALIKES.get(name[0], "")
        second = name[1] + _ERA_CHAR_LOOKALIKES.get(name[1], "")
        for a in first:
            for b in second:
                if a + b != name:
                    found.setdefault(a + b, set()).add(name)
    # A misreading that could stand for two eras identifies neither.
    return {read: next(iter(names)) for read, names in found.items()
            if len(names) == 1 and read not in _ERA_NAMES}


_ERA_MISREADS = _era_misreads()
_ERA_PATTERN = "|".join(re.escape(name) for name in (*_ERA_NAMES, *_ERA_MISREADS))

_DATE_TAIL = (r"(?P<month>" + _D + r"{1,2})[月](?P<day>" + _D + r"{1,2})[日曰]"
              r"(?P<suffix>.{0,4})")
_ERA_DATE = re.compile(r"(?P<era>" + _ERA_PATTERN + r")(?P<year>元|" + _D + r"{1,2})[年]"
                       + _DATE_TAIL)
_WESTERN_DATE = re.compile(r"(?<![0-9])(?P<year>" + _D + r"{4})[年]" + _DATE_TAIL)

_BIRTH_SUFFIX = "生"
_EXPIRY_MARKS = frozenset("有効效")
_MADE_MISREADS = frozenset("まで末未飞迄")  # まで, and what the recogniser makes of it


def _digit_confidence(text: _Text, match: re.Match[str], groups: tuple[str, ...]) -> float:
    """The least sure character among the date's numbers (or 元).

    年, 月 and 日 only place the numbers, and a mistaken one fails the pattern rather than
    moving a digit, so like the era name their scores do not count.
    """
    return min(text.span_min(match.start(group), match.end(group)) for group in groups)


@dataclass(frozen=True)
class _DateRead:
    value: date
    kind: str  # "birth", "expiry" or "unknown"
    gregorian: bool
    confidence: float
    fallbacks: frozenset[str]


def _suffix_kind(suffix: str) -> tuple[str, bool]:
    """("birth" | "expiry" | "unknown", whether the suffix was read as printed)."""
    if suffix.startswith(_BIRTH_SUFFIX):
        return "birth", True
    if suffix.startswith("まで有効"):
        return "expiry", True
    if any(ch in _EXPIRY_MARKS for ch in suffix) or suffix[:1] in _MADE_MISREADS:
        return "expiry", False
    return "unknown", False


def _era_dates(text: _Text) -> Iterable[_DateRead]:
    for match in _ERA_DATE.finditer(text.chars):
        era = match["era"]
        fallbacks = set()
        penalty = 1.0
        if era in _ERA_MISREADS:
            era = _ERA_MISREADS[era]
            fallbacks.add("birth.era_misread")
            penalty *= PENALTY_ERA_MISREAD
        parts = [match["year"], match["month"], match["day"]]
        converted = [_digits(part) for part in parts]
        if any(changed for _, changed in converted):
            fallbacks.add("birth.digit_lookalike")
            penalty *= PENALTY_DIGIT_LOOKALIKE
        year, month, day = (digits for digits, _ in converted)
        try:
            # One implementation of era rules: the module that builds the code.
            printed = parse_birth_date(f"{era}{year}年{month}月{day}日")
        except CodeBFieldError:
            continue
        if not match["suffix"].startswith(_BIRTH_SUFFIX):
            fallbacks.add("birth.suffix_misread")
            penalty *= PENALTY_SUFFIX_MISSING
        # The era name is matched against a closed set, and code B takes only the printed era
        # year, month and day (to_era(from_era(...)) gives back the printed year whichever era
        # was read), so the era characters' recognition scores do not count; a misread era
        # costs a little, and would show only in the Gregorian birth date.
        confidence = _digit_confidence(text, match, ("year", "month", "day")) * penalty
        yield _DateRead(printed.date, "birth", False, confidence, frozenset(fallbacks))


def _western_dates(text: _Text) -> Iterable[_DateRead]:
    for match in _WESTERN_DATE.finditer(text.chars):
        converted = [_digits(match[name]) for name in ("year", "month", "day")]
        year, month, day = (int(digits) for digits, _ in converted)
        try:
            value = date(year, month, day)
        except ValueError:
            continue
        kind, exact = _suffix_kind(match["suffix"])
        fallbacks: set[str] = set()
        penalty = 1.0
        confidence = _digit_confidence(text, match, ("year", "month", "day"))
        if kind == "birth":
            # 生 is what makes this the birth date rather than the expiry: its score counts.
            suffix = match.start("suffix")
            confidence = min(confidence, text.span_min(suffix, suffix + 1))
        elif kind == "expiry" and not exact:
            fallbacks.add("expiry.suffix_misread")
        if any(changed for _, changed in converted):
            fallbacks.add(f"{kind}.digit_lookalike")
            penalty *= PENALTY_DIGIT_LOOKALIKE
        yield _DateRead(value, kind, True, confidence * penalty, frozenset(fallbacks))


# --- rows ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Geometry:
    centre: Point
    direction: Point
    height: float
    width: float


def _geometry(box: Box) -> _Geometry:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = box
    dx, dy = ((x1 - x0) + (x2 - x3)) / 2, ((y1 - y0) + (y2 - y3)) / 2
    width = math.hypot(dx, dy)
    direction = (dx / width, dy / width) if width > 0 else (1.0, 0.0)
    height = (math.hypot(x3 - x0, y3 - y0) + math.hypot(x2 - x1, y2 - y1)) / 2
    centre = ((x0 + x1 + x2 + x3) / 4, (y0 + y1 + y2 + y3) / 4)
    return _Geometry(centre, direction, height, width)


def _same_row(a: _Geometry, b: _Geometry) -> bool:
    if a.height <= 0 or b.height <= 0:
        return False
    if a.direction[0] * b.direction[0] + a.direction[1] * b.direction[1] < math.cos(
            math.radians(8)):
        return False
    dx, dy = b.centre[0] - a.centre[0], b.centre[1] - a.centre[1]
    across = abs(-a.direction[1] * dx + a.direction[0] * dy)
    along = abs(a.direction[0] * dx + a.direction[1] * dy)
    gap = along - (a.width + b.width) / 2
    tallest = max(a.height, b.height)
    return across < 0.5 * tallest and gap < 2.5 * tallest


def _rows(lines: Sequence[OcrLine]) -> list[list[OcrLine]]:
    """Lines that continue one another on the same printed row, in reading order.

    A date printed with padding (`平成元年 1月 8日生`) may come back as two or three lines.
    """
    shapes = [_geometry(line.box) for line in lines]
    parent = list(range(len(lines)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            if _same_row(shapes[i], shapes[j]):
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(lines)):
        groups.setdefault(root(i), []).append(i)
    rows = []
    for members in groups.values():
        d = shapes[members[0]].direction
        members.sort(key=lambda i: shapes[i].centre[0] * d[0] + shapes[i].centre[1] * d[1])
        rows.append([lines[i] for i in members])
    return rows


# --- the security code -----------------------------------------------------------------------
_CODE_LABEL = "セキュリティコード"
_LABEL_RATIO = 0.6
_CODE_TOKEN = re.compile(r"(?<![0-9A-Za-z])(" + _D + r"{4})(?![0-9A-Za-z])")
_DATE_NEIGHBOURS = frozenset("年月日")


@dataclass(frozen=True)
class _CodeRead:
    value: str
    confidence: float
    rule: str  # "label", "lone" or "embedded"
    fallbacks: frozenset[str]
    distance: float = 0.0  # from the nearest label, for the "label" rule


def _label_similarity(text: str) -> float:
    letters = "".join(ch for ch in text if not ch.isdigit() and not ch.isspace())
    if not letters:
        return 0.0
    return difflib.SequenceMatcher(None, letters, _CODE_LABEL).ratio()


def _code_tokens(line: OcrLine) -> list[tuple[str, float, bool, bool]]:
    """(digits, confidence, look-alike used, the line is nothing but this group)."""
    text = _line_text(line, keep_spaces=True)
    found = []
    for match in _CODE_TOKEN.finditer(text.chars):
        before = text.chars[match.start() - 1:match.start()].strip()
        after = text.chars[match.end():match.end() + 1].strip()
        if before in _DATE_NEIGHBOURS or after in _DATE_NEIGHBOURS:
            continue
        digits, changed = _digits(match[1])
        if changed and not any(ch.isdigit() for ch in match[1]):
            continue  # four letters are a word, not a code
        alone = text.chars.strip() == match[1]
        found.append((digits, text.span_min(match.start(), match.end()), changed, alone))
    return found


def _distance(a: Box, b: Box) -> float:
    ga, gb = _geometry(a), _geometry(b)
    return math.hypot(ga.centre[0] - gb.centre[0], ga.centre[1] - gb.centre[1])


def _security_codes(lines: Sequence[OcrLine], dated: set[int]) -> list[_CodeRead]:
    reads: list[_CodeRead] = []
    labels = [line for line in lines if _label_similarity(line.text) >= _LABEL_RATIO]
    for index, line in enumerate(lines):
        if index in dated:
            continue
        for digits, confidence, changed, alone in _code_tokens(line):
            fallbacks = {"security_code.digit_lookalike"} if changed else set()
            penalty = PENALTY_DIGIT_LOOKALIKE if changed else 1.0
            near = [_distance(label.box, line.box) for label in labels
                    if label is line or _near_label(label, line)]
            if near:
                rule = "label"
            elif alone:
                rule, penalty = "lone", penalty * PENALTY_CODE_LONE
                fallbacks.add("security_code.no_label")
            else:
                rule, penalty = "embedded", penalty * PENALTY_CODE_EMBEDDED
                fallbacks.add("security_code.embedded")
            if not _stable(line):
                fallbacks.add("security_code.unstable")
                penalty *= PENALTY_UNSTABLE
            reads.append(_CodeRead(digits, confidence * penalty, rule, frozenset(fallbacks),
                                   min(near, default=0.0)))
    return reads


def _near_label(label: OcrLine, line: OcrLine) -> bool:
    height = max(_geometry(label.box).height, 1.0)
    reach = _geometry(label.box).width / 2 + _geometry(line.box).width / 2 + 3 * height
    return _distance(label.box, line.box) <= reach


def _pick_code(reads: list[_CodeRead]) -> _CodeRead | None:
    for rule in ("label", "lone", "embedded"):
        chosen = [read for read in reads if read.rule == rule]
        if not chosen:
            continue
        if rule == "label":
            # The group on the label's own line, else the nearest one; a rival almost as near
            # leaves it open.
            nearest = min(read.distance for read in chosen)
            chosen = [read for read in chosen if read.distance <= nearest * 1.25]
        best = max(chosen, key=lambda read: read.confidence)
        if len({read.value for read in chosen}) > 1:
            return _CodeRead(best.value, best.confidence * PENALTY_AMBIGUOUS, rule,
                             best.fallbacks | {"security_code.ambiguous"}, best.distance)
        return best
    return None


# --- putting it together ---------------------------------------------------------------------
def _best(reads: list[_DateRead], name: str) -> tuple[_DateRead | None, set[str]]:
    if not reads:
        return None, set()
    by_value: dict[date, _DateRead] = {}
    for read in reads:
        kept = by_value.get(read.value)
        if kept is None or read.confidence > kept.confidence:
            by_value[read.value] = read
    best = max(by_value.values(), key=lambda read: read.confidence)
    if len(by_value) > 1:
        return _DateRead(best.value, best.kind, best.gregorian,
                         best.confidence * PENALTY_AMBIGUOUS, best.fallbacks), {
                             f"{name}.ambiguous"}
    return best, set()


def _classify(reads: list[_DateRead]) -> tuple[list[_DateRead], list[_DateRead], set[str]]:
    births = [read for read in reads if read.kind == "birth"]
    expiries = [read for read in reads if read.kind == "expiry"]
    unknown = [read for read in reads if read.kind == "unknown"
               and all(read.value != known.value for known in births + expiries)]
    fallbacks: set[str] = set()
    if unknown:
        # Neither 生 nor まで有効 came through: the earlier date is the birth, the later one
        # the expiry, and only where a field is still missing.
        unknown.sort(key=lambda read: read.value)
        guessed: list[_DateRead] = []
        if not births and (expiries or len(unknown) > 1):
            guessed.append(_retyped(unknown[0], "birth"))
            unknown = unknown[1:]
        if not expiries and unknown:
            guessed.append(_retyped(unknown[-1], "expiry"))
        for read in guessed:
            fallbacks.add(f"{read.kind}.kind_guessed")
            (births if read.kind == "birth" else expiries).append(read)
    return births, expiries, fallbacks


def _retyped(read: _DateRead, kind: str) -> _DateRead:
    return _DateRead(read.value, kind, read.gregorian, read.confidence * PENALTY_KIND_GUESSED,
                     read.fallbacks)


def _same_day_of_year(birth: date, expiry: date) -> bool:
    if (birth.month, birth.day) == (2, 29):
        return (expiry.month, expiry.day) in ((2, 28), (2, 29), (3, 1))
    return (birth.month, birth.day) == (expiry.month, expiry.day)


def read_fields(lines: Sequence[OcrLine]) -> PrintedFace:
    """The printed fields among OCR `lines` (any order, any rotation)."""
    candidates: list[tuple[list[OcrLine], _Text]] = [([line], _line_text(line)) for line in lines]
    candidates += [(row, _joined(row)) for row in _rows(lines) if len(row) > 1]
    reads: list[_DateRead] = []
    dated: set[int] = set()
    index_of = {id(line): i for i, line in enumerate(lines)}
    for members, text in candidates:
        found = [*_era_dates(text), *_western_dates(text)]
        if not all(_stable(member) for member in members):
            found = [_DateRead(read.value, read.kind, read.gregorian,
                               read.confidence * PENALTY_UNSTABLE,
                               read.fallbacks | {"dates.unstable"}) for read in found]
        if found:
            reads.extend(found)
            if len(members) == 1:
                dated.add(index_of[id(members[0])])
    births, expiries, fallbacks = _classify(reads)
    birth, extra = _best(births, "birth")
    fallbacks |= extra
    expiry, extra = _best(expiries, "expiry")
    fallbacks |= extra
    if expiry is not None and not EXPIRY_YEAR_MIN <= expiry.value.year <= EXPIRY_YEAR_MAX:
        expiry, fallbacks = None, fallbacks | {"expiry.out_of_range"}
    code = _pick_code(_security_codes(lines, dated))

    birth_conf = birth.confidence if birth else 0.0
    expiry_conf = expiry.confidence if expiry else 0.0
    if birth is not None and expiry is not None:
        if birth.value >= expiry.value:
            birth_conf *= PENALTY_INCONSISTENT
            expiry_conf *= PENALTY_INCONSISTENT
            fallbacks.add("dates.inconsistent")
        elif not birth.gregorian and not _same_day_of_year(birth.value, expiry.value):
            # A national's card runs to a birthday (the 10th, or the 5th for minors); a
            # mismatch means one of the two dates was misread. Foreign residents' cards end
            # with their period of stay, so they are not held to it.
            birth_conf *= PENALTY_INCONSISTENT
            expiry_conf *= PENALTY_INCONSISTENT
            fallbacks.add("dates.not_birthday")
    for read in (birth, expiry):
        if read is not None:
            fallbacks |= read.fallbacks
    if code is not None:
        fallbacks |= code.fallbacks
        if len(code.value) != SECURITY_CODE_LENGTH:
            code = None
    return PrintedFace(
        birth=birth.value if birth else None,
        birth_gregorian=birth.gregorian if birth else False,
        expiry=expiry.value if expiry else None,
        security_code=code.value if code else None,
        birth_confidence=_clamp(birth_conf),
        expiry_confidence=_clamp(expiry_conf),
        security_code_confidence=_clamp(code.confidence if code else 0.0),
        fallbacks=frozenset(fallbacks),
    )


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 1.0)

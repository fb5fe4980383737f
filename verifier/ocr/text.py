"""What every card face's rules share: OCR lines, their normalised text, their geometry, the rows
they form, and the dates in them. Pure: no I/O, no OCR import, no field value in any repr.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

Point = tuple[float, float]
Box = tuple[Point, Point, Point, Point]
NO_BOX: Box = ((0.0, 0.0), (0.0, 0.0), (0.0, 0.0), (0.0, 0.0))


@dataclass(frozen=True)
class OcrLine:
    """One detected text line: what the recogniser read, how sure it was, and where.

    `box` is the four corners clockwise from the top left of the text as written (so a rotated
    card gives a rotated box). `char_confidences`, when the engine gives them, has one value per
    character of `text`; otherwise every character counts with `confidence`. `rereads` are the
    same line read again from other crops, and `reread_confidences` (when given) their
    per-character scores; a field whose characters change between readings is doubted.
    """

    text: str
    confidence: float
    box: Box = NO_BOX
    char_confidences: tuple[float, ...] = ()
    rereads: tuple[str, ...] = ()
    reread_confidences: tuple[tuple[float, ...], ...] = ()

    def confidences(self) -> tuple[float, ...]:
        if len(self.char_confidences) == len(self.text):
            return self.char_confidences
        return (self.confidence,) * len(self.text)

    def readings(self) -> list[tuple[str, tuple[float, ...]]]:
        """The main reading and every re-reading, each with one score per character.

        A re-reading without scores counts with the main reading's least sure character: it
        can confirm a value, never make it surer than the line itself.
        """
        out = [(self.text, self.confidences())]
        floor = min(self.confidences(), default=self.confidence)
        for index, text in enumerate(self.rereads):
            scores: tuple[float, ...] = ()
            if index < len(self.reread_confidences):
                scores = self.reread_confidences[index]
            if len(scores) != len(text):
                scores = (floor,) * len(text)
            out.append((text, scores))
        return out

    def __repr__(self) -> str:
        # A line may be a birth date or a security code: say only how long it is.
        return f"OcrLine(<{len(self.text)} chars>)"


# --- characters ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    """Normalised text with one confidence per character."""

    chars: str
    conf: tuple[float, ...]

    def span_min(self, start: int, end: int) -> float:
        return min(self.conf[start:end], default=0.0)


#: Dropped as noise: the recogniser reads a dot or colon into the gap of a padded date.
_NOISE = frozenset(":：")


def normalized(pieces: Iterable[tuple[str, float]], *, keep_spaces: bool) -> Text:
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
            if out in _NOISE:
                continue
            chars.append(out)
            conf.append(value)
    return Text("".join(chars), tuple(conf))


def reading_text(text: str, scores: Sequence[float], *, keep_spaces: bool = False) -> Text:
    return normalized(zip(text, scores, strict=True), keep_spaces=keep_spaces)


def line_text(line: OcrLine, *, keep_spaces: bool = False) -> Text:
    return reading_text(line.text, line.confidences(), keep_spaces=keep_spaces)


def joined(lines: Sequence[OcrLine], *, keep_spaces: bool = False) -> Text:
    pieces: list[tuple[str, float]] = []
    for index, line in enumerate(lines):
        if index:
            pieces.append((" ", 1.0))
        pieces.extend(zip(line.text, line.confidences(), strict=True))
    return normalized(pieces, keep_spaces=keep_spaces)


# What the recogniser writes for digits on a bad day: accepted only with a penalty.
LOOKALIKES = {"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1", "i": "1",
              "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "g": "9"}
D = "[0-9" + re.escape("".join(LOOKALIKES)) + "]"


def digits_of(text: str) -> tuple[str, bool]:
    """ASCII digits, and whether a look-alike letter had to be read as one."""
    out = "".join(LOOKALIKES.get(ch, ch) for ch in text)
    return out, out != text


def ascii_digits(text: str) -> str:
    normal = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in digits_of(normal)[0] if ch in "0123456789")


# --- geometry and rows -----------------------------------------------------------------------
@dataclass(frozen=True)
class Geometry:
    centre: Point
    direction: Point
    height: float
    width: float

    def along(self, point: Point) -> float:
        return ((point[0] - self.centre[0]) * self.direction[0]
                + (point[1] - self.centre[1]) * self.direction[1])

    def across(self, point: Point) -> float:
        return (-(point[0] - self.centre[0]) * self.direction[1]
                + (point[1] - self.centre[1]) * self.direction[0])


def geometry(box: Box) -> Geometry:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = box
    dx, dy = ((x1 - x0) + (x2 - x3)) / 2, ((y1 - y0) + (y2 - y3)) / 2
    width = math.hypot(dx, dy)
    direction = (dx / width, dy / width) if width > 0 else (1.0, 0.0)
    height = (math.hypot(x3 - x0, y3 - y0) + math.hypot(x2 - x1, y2 - y1)) / 2
    centre = ((x0 + x1 + x2 + x3) / 4, (y0 + y1 + y2 + y3) / 4)
    return Geometry(centre, direction, height, width)


def same_row(a: Geometry, b: Geometry, *, reach: float = 2.5) -> bool:
    """Whether two lines continue one another: same direction, overlapping across it, a gap
    along it of less than `reach` times the taller line's height."""
    if a.height <= 0 or b.height <= 0:
        return False
    if a.direction[0] * b.direction[0] + a.direction[1] * b.direction[1] < math.cos(
            math.radians(8)):
        return False
    across = abs(a.across(b.centre))
    along = abs(a.along(b.centre))
    gap = along - (a.width + b.width) / 2
    tallest = max(a.height, b.height)
    return across < 0.5 * tallest and gap < reach * tallest


def rows(lines: Sequence[OcrLine], *, reach: float = 2.5) -> list[list[OcrLine]]:
    """Lines that continue one another on the same printed row, in reading order.

    A date printed with padding (`平成元年 1月 8日生`) may come back as two or three lines, and a
    label printed before its value as another.
    """
    shapes = [geometry(line.box) for line in lines]
    parent = list(range(len(lines)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            if same_row(shapes[i], shapes[j], reach=reach):
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(lines)):
        groups.setdefault(root(i), []).append(i)
    found = []
    for members in groups.values():
        d = shapes[members[0]].direction
        members.sort(key=lambda i: shapes[i].centre[0] * d[0] + shapes[i].centre[1] * d[1])
        found.append([lines[i] for i in members])
    return found


def distance(a: Box, b: Box) -> float:
    ga, gb = geometry(a), geometry(b)
    return math.hypot(ga.centre[0] - gb.centre[0], ga.centre[1] - gb.centre[1])


# --- Gregorian dates -------------------------------------------------------------------------
#: The markers as the recogniser reads them: 月 now and then as 日 in a zero-padded date
#: (`2031年11日07日`) and 日 as 月; in a Mincho typeface 月 as H and 日 as 口, U or H (`27口生`,
#: `09H13日`, `5月29H`). 年, 月 and 日 are matched against these closed sets and only place
#: the numbers.
MONTH_MARKS = "月日H"
DAY_MARKS = "日曰月口UH"
DATE_TAIL = (r"(?P<month>" + D + r"{1,2})[" + MONTH_MARKS + r"](?P<day>" + D + r"{1,2})["
             + DAY_MARKS + r"](?P<suffix>.{0,4})")
WESTERN_DATE = re.compile(r"(?<![0-9])(?P<year>" + D + r"{4})[年]" + DATE_TAIL)


@dataclass(frozen=True)
class FoundDate:
    """A Gregorian date in a text: its value, where it is, how sure its digits are."""

    value: date
    start: int
    end: int  # end of the day's 日
    suffix: str
    before: str  # the text before it, back to the previous date
    confidence: float
    lookalike: bool


def western_dates(text: Text) -> list[FoundDate]:
    found: list[FoundDate] = []
    previous_end = 0
    for match in WESTERN_DATE.finditer(text.chars):
        converted = [digits_of(match[name]) for name in ("year", "month", "day")]
        year, month, day = (int(digits) for digits, _ in converted)
        try:
            value = date(year, month, day)
        except ValueError:
            continue
        confidence = min(text.span_min(match.start(name), match.end(name))
                         for name in ("year", "month", "day"))
        found.append(FoundDate(value, match.start(), match.start("suffix"), match["suffix"],
                               text.chars[previous_end:match.start()], confidence,
                               any(changed for _, changed in converted)))
        previous_end = match.start("suffix")
    return found


Found = TypeVar("Found")


def most_agreed(per_reading: Iterable[Iterable[Found]], value: Callable[[Found], str],
                confidence: Callable[[Found], float]) -> tuple[str, list[Found], int] | None:
    """What the readings of one line agree on most: the value found in the most readings (the
    surest on a tie), every finding of it, and how many different values were found; None
    when no reading found any."""
    found: dict[str, list[Found]] = {}
    for findings in per_reading:
        for finding in findings:
            found.setdefault(value(finding), []).append(finding)
    if not found:
        return None
    chosen = max(found, key=lambda v: (len(found[v]), max(confidence(f) for f in found[v])))
    return chosen, found[chosen], len(found)

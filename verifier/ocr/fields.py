"""From OCR text lines to the three printed fields of a My Number Card face that make 照合番号B.
Pure: no I/O, no OCR import.

Fields are found by what they are, not where they are, since cameras rotate, crop and skew the
card, and layouts differ between card generations and designs:

- birth date: an era date (`昭和55年 2月17日生`, `平成元年 1月 8日生`, an era name read as a
  look-alike or half lost: `今和`, `呼成`, `和2年`), or a Gregorian date marked as the birth by
  生 after it or a 生年月日 label before it (a foreign resident's card prints 西暦);
- expiry: a Gregorian date followed by `まで有効` (the recogniser, a Chinese model, misreads the
  kana, so any suffix carrying 有/効/效 or a misread まで counts) or after an 有効期限 label; on
  a face whose birth is an era date, the one later Gregorian date;
- security code: a group of four digits that is not part of a date or an address: beside a
  label when one is read, alone on its line, or beside a few characters of noise (the shipped
  recogniser cannot read the katakana label, and makes a short string of symbols of it, on the
  left, above or below, on one line or two). Every re-reading of its line must show the same
  four digits.

Each field's confidence is the lowest per-character confidence of the characters it was read
from (for the code, in its surest reading, once every reading agrees), multiplied down
whenever a fallback rule had to be used. A field a rule could not pin down is absent. Nothing
here formats or logs a field value; `PrintedFace` prints without them.
"""

from __future__ import annotations

import difflib
import re
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
    from_era,
)
from verifier.ocr.text import (
    DAY_MARKS,
    MONTH_MARKS,
    NO_BOX,
    WESTERN_DATE,
    Box,
    OcrLine,
    Point,
    Text,
    digits_of,
    distance,
    geometry,
    joined,
    line_text,
    most_agreed,
    reading_text,
    rows,
    western_dates,
)
from verifier.ocr.text import (
    D as _D,
)

__all__ = ["DEFAULT_THRESHOLD", "FIELD_NAMES", "Box", "OcrLine", "Point", "PrintedFace",
           "read_fields"]

#: Default for `PrintedFace.usable_unattended`: tuned with `python -m bench.ocr` so that no
#: wrong code on the benchmark passes it (a wrong code costs the customer a try).
DEFAULT_THRESHOLD = 0.9

# How much a fallback rule lowers a field's confidence. Anything at or below 0.85 takes a
# near-perfect read under the default threshold, i.e. the clerk must confirm it.
PENALTY_ERA_MISREAD = 0.97
PENALTY_ERA_GUESSED = 0.8
PENALTY_DIGIT_LOOKALIKE = 0.7
PENALTY_SUFFIX_MISSING = 0.97
PENALTY_KIND_GUESSED = 0.8
PENALTY_KIND_BY_ORDER = 0.97
PENALTY_CODE_LONE = 0.99
PENALTY_CODE_NOISE = 0.98
PENALTY_CODE_EMBEDDED = 0.8
PENALTY_CODE_ONE_READING = 0.95
PENALTY_AMBIGUOUS = 0.5
PENALTY_INCONSISTENT = 0.8
PENALTY_UNSTABLE = 0.5

_NO_BOX = NO_BOX


FIELD_NAMES = ("birth", "expiry", "security_code")


@dataclass(frozen=True, repr=False)
class PrintedFace:
    """The fields read from a card face, each with a confidence in [0, 1] (0 when absent).

    `birth_gregorian` says the face prints the birth date in the Gregorian calendar (a foreign
    resident's card), so code B keeps the Gregorian YYMMDD (see
    verifier.documents.my_number.code_b). `fallbacks` names the rules that had to be used, for
    the audit trail; it holds no field value. `birth_era` is the era the birth date was read in
    (None for a Gregorian one), and `birth_era_lookalike` whether that era was recognised only
    through a look-alike or from half of its name (the era year, month and day printed are then
    sure, the era less so).
    """

    birth: date | None = None
    birth_gregorian: bool = False
    expiry: date | None = None
    security_code: str | None = None
    birth_confidence: float = 0.0
    expiry_confidence: float = 0.0
    security_code_confidence: float = 0.0
    fallbacks: frozenset[str] = field(default_factory=frozenset)
    birth_era: str | None = None
    birth_era_lookalike: bool = False

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


# --- era dates -------------------------------------------------------------------------------
_ERA_NAMES = tuple(name for name, _, _ in ERAS)
# What the recogniser (a Chinese model) reads for each character of an era name, seen on
# rendered faces and taken from its dictionary's look-alikes.
_ERA_CHAR_LOOKALIKES = {"令": "今合全命分", "和": "禾私利", "昭": "照眧", "平": "乎半呼坪",
                        "成": "戍戌城咸", "正": "止", "大": "太", "治": "冶"}


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


def _era_candidates(read: str) -> tuple[list[str], bool]:
    """The eras a read era name may stand for, and whether it was read as printed.

    Two characters: the era, a known misreading, or the eras one of whose characters (or its
    look-alike) is in place. One character: the eras holding it. Nothing: every era.
    """
    if read in _ERA_NAMES:
        return [read], True
    if read in _ERA_MISREADS:
        return [_ERA_MISREADS[read]], False

    def matches(ch: str, printed: str) -> bool:
        return ch == printed or ch in _ERA_CHAR_LOOKALIKES.get(printed, "")

    if len(read) == 2:
        return [name for name in _ERA_NAMES
                if matches(read[0], name[0]) or matches(read[1], name[1])], False
    if len(read) == 1:
        return [name for name in _ERA_NAMES if any(matches(read, ch) for ch in name)], False
    return list(_ERA_NAMES), False


# An era date: up to two characters of era name (what is left of it), a year of one or two
# digits (or 元) that no digit precedes, 年, month, day. The era group takes no ASCII letter
# nor digit, so the last digits of a Gregorian year never pass for an era year.
_ERA_DATE = re.compile(r"(?P<era>[^\W\d_A-Za-z]{0,2}?)(?<!" + _D + r")(?P<year>元|" + _D
                       + r"{1,2})[年]" + r"(?P<month>" + _D + r"{1,2})[" + MONTH_MARKS
                       + r"](?P<day>" + _D + r"{1,2})[" + DAY_MARKS + r"](?P<suffix>.{0,4})")
_BIRTH_SUFFIX = "生"
_EXPIRY_MARKS = frozenset("有効效劾幼劲")
_MADE_MISREADS = frozenset("まで末未飞迄")  # まで, and what the recogniser makes of it
_SUFFIX_MARKS = frozenset("生有効效劾幼劲まで末未飞迄")
_BIRTH_LABELS = ("生年月日", "生年月", "年月日", "BIRTH")
_EXPIRY_LABELS = ("期限", "有効", "有效")


@dataclass(frozen=True)
class _DateRead:
    value: date
    kind: str  # "birth", "expiry" or "unknown"
    gregorian: bool
    confidence: float
    fallbacks: frozenset[str]
    era: str | None = None
    era_lookalike: bool = False
    era_open: tuple[str, ...] = ()  # eras still possible when the name could not settle it
    era_year: int = 0


def _digit_confidence(text: Text, match: re.Match[str], groups: tuple[str, ...]) -> float:
    """The least sure character among the date's numbers (or 元).

    年, 月 and 日 only place the numbers, and a mistaken one fails the pattern rather than
    moving a digit, so like the era name their scores do not count.
    """
    return min(text.span_min(match.start(group), match.end(group)) for group in groups)


def _era_dates(text: Text) -> Iterable[_DateRead]:
    for match in _ERA_DATE.finditer(text.chars):
        fallbacks = set()
        penalty = 1.0
        parts = [match["year"], match["month"], match["day"]]
        converted = [digits_of(part) if part != "元" else ("1", False) for part in parts]
        if any(changed for _, changed in converted):
            fallbacks.add("birth.digit_lookalike")
            penalty *= PENALTY_DIGIT_LOOKALIKE
        year, month, day = (int(digits) for digits, _ in converted)
        eras, exact = _era_candidates(match["era"])
        valid = []
        for era in eras:
            try:
                valid.append((era, from_era(era, year, month, day)))
            except CodeBFieldError:
                continue
        if not valid:
            continue
        if not exact:
            fallbacks.add("birth.era_misread")
            penalty *= PENALTY_ERA_MISREAD
        if not match["suffix"].startswith(_BIRTH_SUFFIX) and not _labelled(
                text.chars[:match.start()], _BIRTH_LABELS):
            fallbacks.add("birth.suffix_misread")
            penalty *= PENALTY_SUFFIX_MISSING
        # The era name is matched against a closed set, and code B takes only the printed era
        # year, month and day (to_era(from_era(...)) gives back the printed year whichever era
        # was read), so the era characters' recognition scores do not count; a misread era
        # costs a little, and would show only in the Gregorian birth date.
        confidence = _digit_confidence(text, match, ("year", "month", "day")) * penalty
        era, value = valid[-1]
        yield _DateRead(value, "birth", False, confidence, frozenset(fallbacks), era=era,
                        era_lookalike=not exact,
                        era_open=tuple(name for name, _ in valid) if len(valid) > 1 else (),
                        era_year=year)


def _labelled(before: str, labels: tuple[str, ...]) -> bool:
    tail = before[-8:].upper()
    return any(label in tail for label in labels)


def _gregorian_kind(before: str, suffix: str) -> tuple[str, bool]:
    """("birth" | "expiry" | "unknown", whether the marker was read as printed)."""
    if suffix.startswith(_BIRTH_SUFFIX):
        return "birth", True
    if suffix.startswith("まで有効"):
        return "expiry", True
    if any(ch in _EXPIRY_MARKS for ch in suffix) or suffix[:1] in _MADE_MISREADS:
        return "expiry", False
    tail = before[-8:]
    if _labelled(tail, _BIRTH_LABELS) or "生" in tail:
        return "birth", True
    if _labelled(tail, _EXPIRY_LABELS) or any(ch in _EXPIRY_MARKS for ch in tail):
        return "expiry", "有効期限" in tail
    return "unknown", False


def _western_dates(text: Text) -> Iterable[_DateRead]:
    for found in western_dates(text):
        kind, exact = _gregorian_kind(found.before, found.suffix)
        fallbacks: set[str] = set()
        penalty = 1.0
        confidence = found.confidence
        if kind == "birth" and found.suffix.startswith(_BIRTH_SUFFIX):
            # 生 is what makes this the birth date rather than the expiry: its score counts.
            confidence = min(confidence, text.span_min(found.end, found.end + 1))
        elif kind == "expiry" and not exact:
            fallbacks.add("expiry.suffix_misread")
        if found.lookalike:
            fallbacks.add(f"{kind}.digit_lookalike")
            penalty *= PENALTY_DIGIT_LOOKALIKE
        yield _DateRead(found.value, kind, True, confidence * penalty, frozenset(fallbacks))


# --- the security code -----------------------------------------------------------------------
_CODE_LABEL = "セキュリティコード"
_LABEL_PARTS = ("セキュリティ", "コード")
_LABEL_RATIO = 0.6
# Four digits, a single space allowed between them (a code printed with wide spacing), no
# digit on either side.
_CODE_RUN = re.compile(r"(?<![0-9])(" + _D + r"(?: ?" + _D + r"){3,})(?![0-9])")
_DATE_NEIGHBOURS = frozenset("年月日")
# An address goes on after a lot or room number, or leads up to one.
_ADDRESS_AFTER = frozenset("番号丁地条室階-－ー—の")
_ADDRESS_BEFORE = frozenset("町村区市郡台丘目番地条通字-－ー—")
_NOISE_MAX = 8  # characters of label noise beside a code


@dataclass(frozen=True)
class _CodeRead:
    value: str
    confidence: float
    rule: str  # "label", "lone" or "embedded"
    fallbacks: frozenset[str]
    distance: float = 0.0  # from the nearest label, for the "label" rule


@dataclass(frozen=True)
class _Token:
    value: str
    confidence: float
    lookalike: bool
    context: str  # "lone", "noise", "embedded"


def _label_similarity(text: str) -> float:
    letters = "".join(ch for ch in text if not ch.isdigit() and not ch.isspace())
    if not letters:
        return 0.0
    whole = difflib.SequenceMatcher(None, letters, _CODE_LABEL).ratio()
    part = max(difflib.SequenceMatcher(None, letters, piece).ratio() for piece in _LABEL_PARTS)
    return max(whole, part if len(letters) >= 3 else 0.0)


def _is_cjk(ch: str) -> bool:
    return "\u3040" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _without_dates(text: str) -> str:
    """`text` with its dates and their 生 / まで有効 markers taken out."""
    for pattern in (_ERA_DATE, WESTERN_DATE):
        text = pattern.sub("", text)
    return "".join(ch for ch in text if ch not in _SUFFIX_MARKS)


def _groups(run: str, start: int) -> list[tuple[str, int, bool]]:
    """(group, where it starts, whether noise digits were cut off) for the 4-digit group(s) of a
    run of digits and single spaces: the run itself, or its first or last space-separated
    group when a stray digit or two of label noise (`1 8728`) is glued on."""
    if len(digits_of(run.replace(" ", ""))[0]) == SECURITY_CODE_LENGTH:
        return [(run, start, False)]
    parts = run.split(" ")
    found = []
    if len(parts) > 1:
        if len(parts[-1]) == SECURITY_CODE_LENGTH and len("".join(parts[:-1])) <= 2:
            found.append((parts[-1], start + len(run) - len(parts[-1]), True))
        if len(parts[0]) == SECURITY_CODE_LENGTH and len("".join(parts[1:])) <= 2:
            found.append((parts[0], start, True))
    return found


def _tokens(text: Text) -> list[_Token]:
    """The 4-digit groups of one reading (spaces kept) that are no part of a date or an
    address, with their context."""
    chars = text.chars
    found = []
    for match in _CODE_RUN.finditer(chars):
        for run, start, cut in _groups(match[1], match.start(1)):
            end = start + len(run)
            digits, changed = digits_of(run.replace(" ", ""))
            if changed and sum(ch.isdigit() for ch in run) < 2:
                continue  # letters are a word, not a code
            before = chars[:start].rstrip()
            after = chars[end:].lstrip()
            if before[-1:] in _DATE_NEIGHBOURS or after[:1] in _DATE_NEIGHBOURS:
                continue
            # Only what touches the digits: a dash of label noise stands apart.
            if chars[end:end + 1] in _ADDRESS_AFTER or chars[start - 1:start] in _ADDRESS_BEFORE:
                continue  # a lot, room or house number
            rest = _without_dates((before + " " + after).replace(" ", ""))
            if not rest and not cut:
                context = "lone"
            elif len(rest) <= _NOISE_MAX and sum(_is_cjk(ch) for ch in rest) <= 2 and sum(
                    ch.isdigit() for ch in rest) <= 2:
                context = "noise"  # what the recogniser makes of a katakana label
            else:
                context = "embedded"
            positions = [i for i in range(start, end) if chars[i] != " "]
            confidence = min((text.conf[i] for i in positions), default=0.0)
            found.append(_Token(digits, confidence, changed, context))
    return found


def _line_code(line: OcrLine) -> tuple[_Token, frozenset[str]] | None:
    """The code a line shows, read in every reading of it, or None."""
    per_reading: list[list[_Token]] = []
    digit_strings: list[str] = []
    for text, scores in line.readings():
        normal = reading_text(text, scores, keep_spaces=True)
        per_reading.append(_tokens(normal))
        digit_strings.append("".join(ch for ch in digits_of(normal.chars)[0] if ch.isdigit()))
    agreed = most_agreed(per_reading, lambda t: t.value, lambda t: t.confidence)
    if agreed is None:
        return None
    value, tokens, different = agreed
    fallbacks: set[str] = set()
    if different > 1:
        fallbacks.add("security_code.unstable")
    # Every reading must still show the four digits (a neighbour's digit may be glued on):
    # a digit half-hidden by a thumb or a reflection changes or disappears in some crop.
    if not all(value in digits for digits in digit_strings):
        fallbacks.add("security_code.unstable")
    # The surest reading of the four digits counts, once every reading agrees (above); when
    # the other readings show them only glued to noise, a little less.
    confidence = max(t.confidence for t in tokens)
    if len(tokens) == 1 and line.rereads:
        confidence *= PENALTY_CODE_ONE_READING
    best_context = min((t.context for t in tokens),
                       key=("lone", "noise", "embedded").index)
    lookalike = all(t.lookalike for t in tokens)
    return _Token(value, confidence, lookalike, best_context), frozenset(fallbacks)


def _split_year(line: OcrLine, row_groups: Sequence[Sequence[OcrLine]]) -> bool:
    """A 4-digit box whose row goes on with 年: the year of a date split in two boxes."""
    for row in row_groups:
        for index, member in enumerate(row):
            if member is line and index + 1 < len(row):
                return line_text(row[index + 1]).chars[:1] == "年"
    return False


def _security_codes(lines: Sequence[OcrLine], row_groups: Sequence[Sequence[OcrLine]]
                    ) -> list[_CodeRead]:
    reads: list[_CodeRead] = []
    labels = [line for line in lines if _label_similarity(line.text) >= _LABEL_RATIO]
    for line in lines:
        found = _line_code(line)
        if found is None or _split_year(line, row_groups):
            continue
        token, extra = found
        fallbacks = set(extra)
        penalty = 1.0
        if token.lookalike:
            fallbacks.add("security_code.digit_lookalike")
            penalty *= PENALTY_DIGIT_LOOKALIKE
        own = any(label is line for label in labels)
        near = [distance(label.box, line.box) for label in labels
                if label is line or _near_label(label, line)]
        if own or (near and token.context != "embedded"):
            rule = "label"
        elif token.context == "lone":
            rule, penalty = "lone", penalty * PENALTY_CODE_LONE
            fallbacks.add("security_code.no_label")
        elif token.context == "noise":
            rule, penalty = "lone", penalty * PENALTY_CODE_NOISE
            fallbacks.add("security_code.no_label")
        else:
            rule, penalty = "embedded", penalty * PENALTY_CODE_EMBEDDED
            fallbacks.add("security_code.embedded")
        if "security_code.unstable" in fallbacks:
            penalty *= PENALTY_UNSTABLE
        reads.append(_CodeRead(token.value, token.confidence * penalty, rule,
                               frozenset(fallbacks), min(near, default=0.0)))
    return reads


def _near_label(label: OcrLine, line: OcrLine) -> bool:
    height = max(geometry(label.box).height, 1.0)
    reach = geometry(label.box).width / 2 + geometry(line.box).width / 2 + 3 * height
    return distance(label.box, line.box) <= reach


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
        if name == "birth" and _same_printed(list(by_value.values())):
            # One printed era date read with two eras (a half-read name): the same digits.
            return best, set()
        return _DateRead(best.value, best.kind, best.gregorian,
                         best.confidence * PENALTY_AMBIGUOUS, best.fallbacks, best.era,
                         best.era_lookalike, best.era_open, best.era_year), {
                             f"{name}.ambiguous"}
    return best, set()


def _same_printed(reads: list[_DateRead]) -> bool:
    printed = {(read.era_year, read.value.month, read.value.day) for read in reads}
    return len(printed) == 1 and all(not read.gregorian and read.era_lookalike for read in reads)


def _classify(reads: list[_DateRead]) -> tuple[list[_DateRead], list[_DateRead], set[str]]:
    births = [read for read in reads if read.kind == "birth"]
    expiries = [read for read in reads if read.kind == "expiry"]
    unknown = [read for read in reads if read.kind == "unknown"
               and all(read.value != known.value for known in births + expiries)]
    fallbacks: set[str] = set()
    if unknown:
        unknown.sort(key=lambda read: read.value)
        guessed: list[_DateRead] = []
        era_birth = any(not read.gregorian for read in births)
        distinct = {read.value for read in unknown}
        if not expiries and era_birth and len(distinct) == 1 and all(
                read.value > birth.value for read in unknown for birth in births):
            # An era date is the birth (no card expires in an era year): the one Gregorian
            # date later than it is the expiry.
            guessed.append(_retyped(unknown[-1], "expiry", PENALTY_KIND_BY_ORDER))
            unknown = []
        if not births and (expiries or len(unknown) > 1):
            # Neither 生 nor a label came through: the earlier date is the birth, the later
            # one the expiry, and only where a field is still missing.
            guessed.append(_retyped(unknown[0], "birth", PENALTY_KIND_GUESSED))
            unknown = unknown[1:]
        if not expiries and unknown:
            guessed.append(_retyped(unknown[-1], "expiry", PENALTY_KIND_GUESSED))
        for read in guessed:
            fallbacks.add(f"{read.kind}.kind_guessed")
            (births if read.kind == "birth" else expiries).append(read)
    return births, expiries, fallbacks


def _retyped(read: _DateRead, kind: str, penalty: float) -> _DateRead:
    return _DateRead(read.value, kind, read.gregorian, read.confidence * penalty,
                     read.fallbacks)


def _same_day_of_year(birth: date, expiry: date) -> bool:
    if (birth.month, birth.day) == (2, 29):
        return (expiry.month, expiry.day) in ((2, 28), (2, 29), (3, 1))
    return (birth.month, birth.day) == (expiry.month, expiry.day)


def _settle_era(birth: _DateRead, expiry: _DateRead | None) -> tuple[_DateRead, set[str]]:
    """An era name read only in part (`和` for 昭和 or 令和): the era the expiry allows.

    A card runs ten years from issue (five for a child), so a birth more than a lifetime
    before the expiry, or after it, is not the holder's. When two eras remain, the era is a
    guess: code B is the same either way (era year, month, day), the Gregorian date is not.
    """
    if not birth.era_open:
        return birth, set()
    options = []
    for era in birth.era_open:
        value = from_era(era, birth.era_year, birth.value.month, birth.value.day)
        if expiry is None or (value < expiry.value and expiry.value.year - value.year <= 110):
            options.append((era, value))
    if len(options) == 1:
        only, value = options[0]
        return _DateRead(value, birth.kind, False, birth.confidence, birth.fallbacks, only, True,
                         (), birth.era_year), set()
    guess, value = options[-1] if options else (birth.era or "", birth.value)
    return _DateRead(value, birth.kind, False, birth.confidence * PENALTY_ERA_GUESSED,
                     birth.fallbacks, guess or None, True, (), birth.era_year), {
                         "birth.era_guessed"}


def read_fields(lines: Sequence[OcrLine]) -> PrintedFace:
    """The printed fields among OCR `lines` (any order, any rotation)."""
    row_groups = rows(lines)
    candidates: list[tuple[list[OcrLine], Text]] = [([line], line_text(line)) for line in lines]
    candidates += [(row, joined(row)) for row in row_groups if len(row) > 1]
    reads: list[_DateRead] = []
    for members, text in candidates:
        found = [*_era_dates(text), *_western_dates(text)]
        if len(members) == 1 and members[0].rereads:
            found = _surest_reading(found, members[0])
        if not all(_dates_stable(member) for member in members):
            found = [_DateRead(read.value, read.kind, read.gregorian,
                               read.confidence * PENALTY_UNSTABLE,
                               read.fallbacks | {"dates.unstable"}, read.era,
                               read.era_lookalike, read.era_open, read.era_year)
                     for read in found]
        reads.extend(found)
    births, expiries, fallbacks = _classify(reads)
    expiry, extra = _best(expiries, "expiry")
    fallbacks |= extra
    births = [_settled(read, expiry, fallbacks) for read in births]
    birth, extra = _best(births, "birth")
    fallbacks |= extra
    if expiry is not None and not EXPIRY_YEAR_MIN <= expiry.value.year <= EXPIRY_YEAR_MAX:
        expiry, fallbacks = None, fallbacks | {"expiry.out_of_range"}
    code = _pick_code(_security_codes(lines, row_groups))

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
        birth_era=birth.era if birth else None,
        birth_era_lookalike=birth.era_lookalike if birth else False,
    )


def _surest_reading(found: list[_DateRead], line: OcrLine) -> list[_DateRead]:
    """Each date at the confidence of the surest reading of its line that gives the same date
    (a digit one crop blurred is often crisp in another; a reading with other digits makes the
    line unstable, see `_dates_stable`)."""
    again: list[_DateRead] = []
    for text, scores in line.readings()[1:]:
        normal = reading_text(text, scores)
        again += [*_era_dates(normal), *_western_dates(normal)]
    out = []
    for read in found:
        same = [other.confidence for other in again
                if (other.value, other.kind, other.gregorian) == (read.value, read.kind,
                                                                  read.gregorian)]
        if same and max(same) > read.confidence:
            read = _DateRead(read.value, read.kind, read.gregorian, max(same), read.fallbacks,
                             read.era, read.era_lookalike, read.era_open, read.era_year)
        out.append(read)
    return out


def _settled(read: _DateRead, expiry: _DateRead | None, fallbacks: set[str]) -> _DateRead:
    settled, extra = _settle_era(read, expiry)
    fallbacks |= extra
    return settled


def _dates_stable(line: OcrLine) -> bool:
    """Whether every re-reading of the line still shows its digits, in the same order.

    A wider crop may add a neighbour's digit, so containment is enough, and a look-alike
    letter counts as its digit (9120 read once as g120 is the same reading; a look-alike in
    the main reading is penalised on its own). A digit that changes or disappears is what a
    half-hidden or blurred glyph does.
    """
    digits = _only_digits(line.text)
    return all(digits in _only_digits(reread) for reread in line.rereads)


def _only_digits(text: str) -> str:
    from verifier.ocr.text import ascii_digits

    return ascii_digits(text)


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 1.0)

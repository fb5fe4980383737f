"""照合番号B: the 14 digits a clerk types from the card face, and the era conversion behind them.

The code is the birth date as YYMMDD in the Japanese era year (和暦), the Gregorian expiry year
YYYY and the 4-digit security code printed on the face (card-spec.md section 3). Example: born
1980-02-17 (昭和55), expiring 2035, code 2285 gives 55021720352285.

Era starts used here (first year = 元年 = 1):

- 明治 1868-01-25: the Gregorian equivalent of Keiō 4-01-01, because the change of era in 1868
  (proclaimed 1868-10-23) was made retroactive to the first day of that year. Dates before Japan
  adopted the Gregorian calendar (1873) are converted proleptically; no living card holder is
  affected.
- 大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08, 令和 2019-05-01.

An era's last day is the day before the next one began, except where the new era began on the
day the emperor died (1912-07-30, 1926-12-25): that day is written both ways (大正15年12月25日
and 昭和元年12月25日), so both are accepted; the code B uses the newer era, the official one.

Foreign residents' cards print the birth date in the Gregorian calendar. Whether their code B uses
the Gregorian YYMMDD is NOT confirmed by any source; ``gregorian_birth=True`` builds it that way
because the clerk types what is printed. Nothing here logs or formats the digits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from verifier.documents.my_number import constants as p
from verifier.errors import CodeBInputError

EXPIRY_YEAR_MIN = 2015  # the card was first issued in January 2016
EXPIRY_YEAR_MAX = 2099
SECURITY_CODE_LENGTH = 4
#: How a card prints the first year of an era (元年).
GANNEN = "元"

#: (kanji name, Latin initial, first day), oldest first.
ERAS: tuple[tuple[str, str, date], ...] = (
    ("明治", "M", date(1868, 1, 25)),
    ("大正", "T", date(1912, 7, 30)),
    ("昭和", "S", date(1926, 12, 25)),
    ("平成", "H", date(1989, 1, 8)),
    ("令和", "R", date(2019, 5, 1)),
)
#: The last day of each era but the current one, inclusive (see the module docstring).
ERA_LAST_DAYS: tuple[date, ...] = (date(1912, 7, 30), date(1926, 12, 25), date(1989, 1, 7),
                                   date(2019, 4, 30))
#: A card is valid until at most its holder's 10th birthday after issue (adults), so its expiry
#: year is at most ten years after today's; a later one cannot be on any card issued so far.
EXPIRY_YEARS_AHEAD = 10
_ERA_BY_KEY: Mapping[str, int] = MappingProxyType(
    {key: index for index, (name, initial, _) in enumerate(ERAS) for key in (name, initial)})


def _normalization_table() -> Mapping[int, int | str]:
    # What Japanese IMEs and card-face printing produce instead of ASCII: full-width digits,
    # letters and separators, and the one-character era squares (㍼ etc.).
    table: dict[int, int | str] = {0xFF10 + i: 0x30 + i for i in range(10)}
    table.update({0xFF21 + i: 0x41 + i for i in range(26)})
    table.update({0xFF41 + i: 0x61 + i for i in range(26)})
    table.update({0x3000: " ", 0xFF0D: "-", 0x2010: "-", 0x2011: "-", 0x2212: "-", 0x30FC: "-",
                  0xFF0F: "/", 0xFF0E: ".", 0x3002: ".", 0x337E: "明治", 0x337D: "大正",
                  0x337C: "昭和", 0x337B: "平成", 0x32FF: "令和"})
    return MappingProxyType(table)


_NORMALIZE = _normalization_table()


class CodeBFieldError(CodeBInputError):
    """One typed field is not valid; carries the explanation in Japanese for the GUI and CLI."""

    def __init__(self, message: str, message_ja: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_ja = message_ja
        self.field = field  # "birth", "expiry", "security_code" or "code"


def _error(field: str, en: str, ja: str) -> CodeBFieldError:
    return CodeBFieldError(en, ja, field=field)


def normalize(text: str) -> str:
    """Full-width digits, letters and separators, and the era squares, as typed by an IME."""
    return text.translate(_NORMALIZE)


def _is_ascii_digits(text: str, length: int) -> bool:
    return len(text) == length and text.isascii() and text.isdigit()


class CodeB:
    """The 14 digits of 照合番号B. Printing it never shows them; ask `.digits` explicitly."""

    __slots__ = ("_digits",)
    _digits: str

    def __init__(self, digits: str) -> None:
        if not _is_ascii_digits(digits, p.CODE_B_LENGTH):
            raise _error("code", f"code B must be exactly {p.CODE_B_LENGTH} digits",
                         f"照合番号Bは{p.CODE_B_LENGTH}桁の数字で入力してください")
        _check_month_day(digits[2:4], digits[4:6])
        _check_expiry_year(int(digits[6:10]))
        object.__setattr__(self, "_digits", digits)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("CodeB is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("CodeB is immutable")

    @property
    def digits(self) -> str:
        return self._digits

    def to_bytes(self) -> bytes:
        """The VERIFY data: the digits in ASCII."""
        return self._digits.encode("ascii")

    @property
    def birth_yymmdd(self) -> str:
        return self._digits[:6]

    @property
    def expiry_year(self) -> int:
        return int(self._digits[6:10])

    def __repr__(self) -> str:
        return f"CodeB({'*' * p.CODE_B_LENGTH})"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CodeB) and other._digits == self._digits

    def __hash__(self) -> int:
        return hash((CodeB, self._digits))

    def __reduce__(self) -> tuple[type[CodeB], tuple[str]]:
        return (CodeB, (self._digits,))


@dataclass(frozen=True)
class PrintedDate:
    """A birth date as typed, and whether it was written in the Gregorian calendar."""

    date: date
    gregorian: bool


# --- eras ------------------------------------------------------------------------------------
def _era_index(era: str) -> int:
    key = normalize(era).strip()
    index = _ERA_BY_KEY.get(key.upper() if key.isascii() else key)
    if index is None:
        raise _error("birth", f"unknown era {era!r}: use 明治, 大正, 昭和, 平成, 令和 or M/T/S/H/R",
                     f"元号「{era}」は使えません（明治・大正・昭和・平成・令和 または M/T/S/H/R）")
    return index


def to_era(d: date) -> tuple[str, int]:
    """("昭和", 55) for 1980-02-17."""
    for name, _, start in reversed(ERAS):
        if d >= start:
            return name, d.year - start.year + 1
    raise _error("birth", "dates before the Meiji era (1868-01-25) have no era year",
                 "明治（1868年1月25日）より前の日付は和暦にできません")


def from_era(era: str, year: int, month: int, day: int) -> date:
    """The Gregorian date of an era date; refuses dates the era never had (平成31年5月1日)."""
    index = _era_index(era)
    name, _, start = ERAS[index]
    if year < 1:
        raise _error("birth", "the era year must be 1 (元年) or more",
                     f"{name}の年は1（元年）以上です")
    try:
        result = date(start.year + year - 1, month, day)
    except (ValueError, OverflowError):
        raise _error("birth", "no such date", "存在しない日付です") from None
    last = ERA_LAST_DAYS[index] if index < len(ERA_LAST_DAYS) else None
    if result < start or (last is not None and result > last):
        # The typed date stays out of the message: errors may reach a log (rule 2).
        span = (f"{start.isoformat()} – {last.isoformat()}" if last
                else f"from {start.isoformat()}")
        span_ja = (f"{_ja_date(start)}～{_ja_date(last)}" if last
                   else f"{_ja_date(start)}から")
        raise _error("birth", f"that date is not in the {name} era ({span})",
                     f"その日付は{name}の期間外です（{span_ja}）")
    return result


def _ja_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# --- the birth date as printed ---------------------------------------------------------------
_ERA_TOKEN = r"(明治|大正|昭和|平成|令和|[MTSHRmtshr])"
_YEAR_TOKEN = r"([0-9]{1,2}|" + GANNEN + ")"
_SEP = r"[-/.]"
_ERA_KANJI_FORM = re.compile(_ERA_TOKEN + _YEAR_TOKEN + r"年([0-9]{1,2})月([0-9]{1,2})日生?")
_ERA_SEP_FORM = re.compile(_ERA_TOKEN + _YEAR_TOKEN + _SEP + r"([0-9]{1,2})" + _SEP
                           + r"([0-9]{1,2})")
_GREGORIAN_SEP_FORM = re.compile(r"([0-9]{4})" + _SEP + r"([0-9]{1,2})" + _SEP + r"([0-9]{1,2})")
_GREGORIAN_KANJI_FORM = re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日生?")
_GREGORIAN_COMPACT_FORM = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")


def _gregorian(year: str, month: str, day: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise _error("birth", "no such date", "存在しない日付です") from None


def parse_birth_date(text: str) -> PrintedDate:
    """The birth date as the clerk typed it: 1980-02-17, 1980/2/17, 昭和55年2月17日, S55.02.17,
    平成元年1月8日, H1.1.8, R1.5.1, with full-width digits too. Future dates pass (the caller
    decides whether they make sense)."""
    compact = "".join(normalize(text).split())
    for form in (_ERA_KANJI_FORM, _ERA_SEP_FORM):
        match = form.fullmatch(compact)
        if match:
            era, year, month, day = match.groups()
            era_year = 1 if year == GANNEN else int(year)
            return PrintedDate(from_era(era, era_year, int(month), int(day)), gregorian=False)
    for form in (_GREGORIAN_SEP_FORM, _GREGORIAN_KANJI_FORM, _GREGORIAN_COMPACT_FORM):
        match = form.fullmatch(compact)
        if match:
            return PrintedDate(_gregorian(*match.groups()), gregorian=True)
    raise _error("birth", "write the birth date like 昭和55年2月17日, S55.2.17 or 1980-02-17",
                 "生年月日は「昭和55年2月17日」「S55.2.17」「1980-02-17」のように入力してください")


# --- the code --------------------------------------------------------------------------------
def _check_month_day(month: str, day: str) -> None:
    # The era year is unknown here, so Feb 29 is allowed; anything else impossible is refused
    # before it can cost the customer a try.
    try:
        date(2000, int(month), int(day))
    except ValueError:
        raise _error("code", "the birth date in code B is not a valid month and day",
                     "照合番号Bの生年月日（月日）が正しくありません") from None


def _check_expiry_year(year: int) -> None:
    if not EXPIRY_YEAR_MIN <= year <= EXPIRY_YEAR_MAX:
        raise _error("expiry", f"the expiry year must be between {EXPIRY_YEAR_MIN} and "
                     f"{EXPIRY_YEAR_MAX} (the year only, e.g. 2035)",
                     f"有効期限の年は{EXPIRY_YEAR_MIN}〜{EXPIRY_YEAR_MAX}の西暦4桁で入力してください"
                     "（例: 2035）")


def _check_security_code(code: str) -> str:
    cleaned = "".join(normalize(code).split())
    if not _is_ascii_digits(cleaned, SECURITY_CODE_LENGTH):
        raise _error("security_code", "the security code is the 4 digits printed on the card face",
                     "セキュリティコードはカード表面に印字された4桁の数字です")
    return cleaned


def parse_code_b(digits: str) -> CodeB:
    """14 digits as typed; spaces and hyphens between them and full-width digits are accepted."""
    cleaned = "".join(ch for ch in normalize(digits) if ch not in " -\t")
    return CodeB(cleaned)


def code_b_from_parts(birth: date, expiry_year: int, security_code: str, *,
                      gregorian_birth: bool = False) -> CodeB:
    """The code from its three parts; `gregorian_birth` for a face printing a Gregorian date."""
    _check_expiry_year(expiry_year)
    code = _check_security_code(security_code)
    year = birth.year % 100 if gregorian_birth else to_era(birth)[1]
    if year > 99:
        raise _error("birth", "the era year does not fit in two digits",
                     "元号の年が2桁を超えています")
    return CodeB(f"{year:02d}{birth.month:02d}{birth.day:02d}{expiry_year:04d}{code}")


def parse_expiry_year(text: str | int) -> int:
    if isinstance(text, int):
        year = text
    else:
        cleaned = "".join(normalize(text).split())
        if not _is_ascii_digits(cleaned, 4):
            raise _error("expiry", "the expiry year is 4 digits, e.g. 2035",
                         "有効期限の年は西暦4桁で入力してください（例: 2035）")
        year = int(cleaned)
    _check_expiry_year(year)
    return year


def code_b_from_text(birth: str, expiry_year: str | int, security_code: str, *,
                     gregorian_birth: bool = False) -> CodeB:
    """The code from the fields a clerk typed.

    A Gregorian-written date (1980-02-17) is converted to the era year, since cards of Japanese
    nationals print the era; `gregorian_birth=True` says the face itself prints the Gregorian
    date (foreign residents) and keeps the Gregorian YYMMDD.
    """
    printed = parse_birth_date(birth)
    if gregorian_birth and not printed.gregorian:
        raise _error("birth", "the birth date is written in a Japanese era, but the card was "
                     "marked as printing a Gregorian date",
                     "生年月日が和暦で入力されていますが、西暦表記のカードとして指定されています")
    return code_b_from_parts(printed.date, parse_expiry_year(expiry_year), security_code,
                             gregorian_birth=gregorian_birth)


# --- consistency with the chip ---------------------------------------------------------------
def birth_matches(code: CodeB, born: date) -> bool:
    """Whether the code's YYMMDD is the chip's birth date in era or in Gregorian form."""
    tail = f"{born.month:02d}{born.day:02d}"
    forms = {f"{born.year % 100:02d}{tail}"}
    if born >= ERAS[0][2]:
        forms.add(f"{to_era(born)[1]:02d}{tail}")
    return code.birth_yymmdd in forms


def expiry_matches(code: CodeB, expiry: date) -> bool:
    """Whether the code's expiry year is the year of the chip's expiry date."""
    return expiry.year == code.expiry_year


# --- plausibility ----------------------------------------------------------------------------
def check_plausible(*, birth: date | None, expiry_year: int, today: date) -> None:
    """Refuses what no card can print, before a try is spent on it: a birth date after
    `today`, an expiry year before the birth year or more than EXPIRY_YEARS_AHEAD years after
    `today`'s. `birth` is None when only the 14 digits are known (their era is not).
    Raises CodeBFieldError naming the field to correct; messages never carry the typed date."""
    if birth is not None and birth > today:
        raise _error("birth", "the birth date is in the future",
                     "生年月日が未来の日付になっています")
    latest = today.year + EXPIRY_YEARS_AHEAD
    if expiry_year > latest:
        raise _error("expiry", f"no card expires after {latest} (ten years from now); "
                     "check the expiry year",
                     f"有効期限の年が{latest}年より後になっています。券面の有効期限を確認してください")
    if birth is not None and expiry_year < birth.year:
        raise _error("expiry", "the expiry year is before the birth year",
                     "有効期限の年が生まれた年より前になっています")


"""照合番号B as an operator gives it, on every path, turned into a code by one set of rules.

The 14 digits, the three printed fields on the command line or in a batch line, one line on
standard input or at the hidden prompt, the era selector and fields of the counter app, and the
fields read from a picture of the card: each path ends here, and each is held to the same
plausibility rule (`check_plausible`: what no card can print is refused before a try is spent).
The front ends only collect text; none of them parses a date or a digit.

A `CodeInput` keeps what the operator said besides the digits: the birth date as printed (its
era too), and the picture the fields were read from, so that the counter can hold them against
the chip afterwards. Nothing here logs or formats the digits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from verifier.documents.my_number import constants as p
from verifier.documents.my_number.code_b import (
    ERAS,
    GANNEN,
    CodeB,
    CodeBFieldError,
    PrintedDate,
    check_plausible,
    code_b_from_parts,
    code_b_from_text,
    from_era,
    normalize,
    parse_birth_date,
    parse_code_b,
    parse_expiry_year,
    to_era,
)
from verifier.errors import CodeBInputError

if TYPE_CHECKING:  # the OCR package is loaded when a picture is read, not at start-up
    from verifier.ocr.fields import PrintedFace

#: The eras a clerk can choose, oldest first, and the choice for a birth date printed in the
#: Gregorian calendar (a foreign resident's card).
ERA_NAMES: tuple[str, ...] = tuple(name for name, _, _ in ERAS)
GREGORIAN = ""
#: What the era selector starts at: most customers today were born in 昭和 or 平成.
DEFAULT_ERA = "昭和"

__all__ = ["DEFAULT_ERA", "ERA_NAMES", "GANNEN", "GREGORIAN", "CodeBFieldError", "CodeFields",
           "CodeInput", "EraEntry", "IncompleteCodeError", "code_from_entry",
           "code_from_fields", "code_from_line", "code_from_picture", "era_of",
           "normalize_digits"]


@dataclass(frozen=True, repr=False)
class CodeInput:
    """A code B to send, and what it was given as.

    `birth`: the birth date as the operator gave it (era or Gregorian), None when only the 14
    digits were given. `face`: the picture of the card the fields were read from, held against
    the chip after a genuine verdict. `typed`: nobody typed it (False only for a simulated
    card's printed code, used when none was given)."""

    code: CodeB
    birth: PrintedDate | None = None
    face: PrintedFace | None = None
    typed: bool = True
    #: the fields ("birth", "birth_era", "expiry", "security_code") the clerk typed or changed
    #: after the picture filled them (names only)
    corrected: frozenset[str] = frozenset()

    def __repr__(self) -> str:  # the digits and the date stay out of logs and tracebacks
        return "CodeInput(<redacted>)"

    __str__ = __repr__


def as_input(code: CodeB | CodeInput | None) -> CodeInput | None:
    """A bare CodeB is 14 digits typed as such."""
    if code is None or isinstance(code, CodeInput):
        return code
    return CodeInput(code)


class IncompleteCodeError(CodeBFieldError):
    """A field has not been filled in yet (the counter app waits for it; nothing is wrong)."""


def normalize_digits(text: str) -> str:
    """What an IME leaves in a digits field (full-width digits), as ASCII."""
    return normalize(text)


def era_of(day: date) -> tuple[str, int]:
    """The era name and year a card prints for `day` (昭和, 55 for 1980-02-17)."""
    return to_era(day)


# --- the command line and batch lines ---------------------------------------------------------
@dataclass(frozen=True)
class CodeFields:
    """Code B as an operator gives it: the 14 digits, or the three printed fields."""

    code_b: str | None = None
    birth: str | None = None
    expiry_year: str | None = None
    security_code: str | None = None
    printed_gregorian: bool = False


def code_from_fields(fields: CodeFields, *, today: date) -> CodeInput | None:
    """The code of either form, None when none was given. Raises CodeBInputError, also for
    what no card can print."""
    parts = (fields.birth, fields.expiry_year, fields.security_code)
    if fields.code_b is not None:
        if any(part is not None for part in parts):
            raise CodeBInputError("give either --code-b or --birth/--expiry-year/"
                                  "--security-code")
        return _digits(fields.code_b, today=today)
    if all(part is None for part in parts):
        return None
    if fields.birth is None or fields.expiry_year is None or fields.security_code is None:
        raise CodeBInputError("--birth, --expiry-year and --security-code go together")
    return _printed(fields.birth, fields.expiry_year, fields.security_code,
                    gregorian=fields.printed_gregorian, today=today)


def code_from_line(line: str, *, printed_gregorian: bool = False,
                   today: date) -> CodeInput:
    """One line (standard input, the hidden prompt): the 14 digits (spaces allowed), or birth,
    expiry year and security code separated by spaces. Messages never repeat what was typed."""
    parts = line.split()
    joined = "".join(parts)
    if len(parts) == 3 and not (joined.isdigit() and len(joined) == p.CODE_B_LENGTH):
        return _printed(parts[0], parts[1], parts[2], gregorian=printed_gregorian, today=today)
    if not parts:
        raise CodeBInputError("code B from standard input: nothing was read; give the 14 "
                              "digits, or the birth date, expiry year and security code "
                              "separated by spaces")
    return _digits(joined, today=today)


def _digits(text: str, *, today: date) -> CodeInput:
    code = parse_code_b(text)
    check_plausible(birth=None, expiry_year=code.expiry_year, today=today)
    return CodeInput(code)


def _printed(birth: str, expiry_year: str | int, security_code: str, *, gregorian: bool,
             today: date) -> CodeInput:
    code = code_b_from_text(birth, expiry_year, security_code, gregorian_birth=gregorian)
    printed = parse_birth_date(birth)
    check_plausible(birth=printed.date, expiry_year=code.expiry_year, today=today)
    return CodeInput(code, birth=printed)


# --- the counter app's fields -----------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class EraEntry:
    """The counter app's code fields as typed: the era chosen (GREGORIAN for a date printed in
    the Gregorian calendar), the birth year in that era (GANNEN allowed), month, day, the
    expiry year and the security code."""

    era: str
    year: str
    month: str
    day: str
    expiry_year: str
    security_code: str
    #: Fields the clerk changed after a picture filled them (their names; no values).
    corrected: frozenset[str] = field(default_factory=frozenset)

    def __repr__(self) -> str:
        return "EraEntry(<redacted>)"

    @property
    def gregorian(self) -> bool:
        return self.era == GREGORIAN


#: The counter app's fields in the order a clerk fills them, and how many characters each needs
#: at least before it can be read (a Gregorian year needs its four digits).
ENTRY_FIELDS = ("year", "month", "day", "expiry", "security")


def _missing(entry: EraEntry) -> str | None:
    needs = (("year", entry.year, 4 if entry.gregorian else 1), ("month", entry.month, 1),
             ("day", entry.day, 1), ("expiry", entry.expiry_year, 4),
             ("security", entry.security_code, 4))
    for name, value, least in needs:
        if len(normalize(value).strip()) < least:
            return name
    return None


def code_from_entry(entry: EraEntry, *, today: date) -> CodeInput:
    """The code of the counter app's fields. Raises IncompleteCodeError (naming the first field
    still to fill) or CodeBFieldError (naming the field to correct)."""
    missing = _missing(entry)
    if missing is not None:
        raise IncompleteCodeError(f"{missing} is not filled in", "未入力の項目があります",
                                  field=missing)
    year_text = normalize(entry.year).strip()
    try:
        year = 1 if year_text == GANNEN and not entry.gregorian else int(year_text)
        month, day = int(normalize(entry.month)), int(normalize(entry.day))
    except ValueError:
        raise CodeBFieldError("the birth date is not a number", "生年月日は数字で入力してください",
                              field="birth") from None
    if entry.gregorian:
        try:
            birth = date(year, month, day)
        except ValueError:
            raise CodeBFieldError("no such date", "存在しない日付です", field="birth") from None
    else:
        birth = from_era(entry.era, year, month, day)
    expiry_year = parse_expiry_year(entry.expiry_year)
    check_plausible(birth=birth, expiry_year=expiry_year, today=today)
    code = code_b_from_parts(birth, expiry_year, entry.security_code,
                             gregorian_birth=entry.gregorian)
    return CodeInput(code, birth=PrintedDate(birth, gregorian=entry.gregorian))


# --- a picture of the card ----------------------------------------------------------------------
def code_from_picture(face: PrintedFace, *, today: date, unattended: bool = False
                      ) -> CodeInput:
    """The code of the fields read from a picture, after a person confirmed them; with
    `unattended` (nobody confirms: `--yes`, a batch line) only when every field was read
    surely, else PictureNotClearError (an OcrError) and nothing is sent. Raises
    CodeBInputError for a field missing or for what no card can print."""
    if unattended:
        from verifier.ocr.policy import unattended_code_b

        unattended_code_b(face)
    code = face.code_b()
    assert face.birth is not None  # code_b() raised otherwise
    check_plausible(birth=face.birth, expiry_year=code.expiry_year, today=today)
    return CodeInput(code, birth=PrintedDate(face.birth, gregorian=face.birth_gregorian),
                     face=face)


def with_picture(typed: CodeInput, face: PrintedFace | None) -> CodeInput:
    """The code the clerk confirmed in the counter app, with the picture that filled its fields
    and which of them the clerk then typed or changed: those are compared with the chip as
    typed, the others as the picture shows them (counter.printed)."""
    if face is None:
        return typed
    corrected: set[str] = set()
    if typed.birth is not None and typed.birth.date != face.birth:
        corrected.add("birth")
        if face.birth is None or face.birth_gregorian or typed.birth.gregorian \
                or era_of(typed.birth.date)[0] != era_of(face.birth)[0]:
            corrected.add("birth_era")
    if face.expiry is None or face.expiry.year != typed.code.expiry_year:
        corrected.add("expiry")
    if face.security_code is None or typed.code.digits[-4:] != face.security_code:
        corrected.add("security_code")
    return CodeInput(typed.code, birth=typed.birth, face=face, corrected=frozenset(corrected))

"""The printed face against the chip: the whole of it, field by field, never a silent pass.

A chip read alone cannot see a genuine chip under a replaced printed face: the code B typed
from that face may still open the chip (the same era-year digits under another era, the same
expiry year). So after a verification the printed birth date — its era included — and expiry
are held against the chip's:

- read from a picture of the card, a field is compared when it was read surely; a difference
  is evidence (`printed_face_differs`). An era recognised only through a look-alike glyph
  (乎成, 平戌, 今和), a field read below the threshold or not at all, is **not compared** and
  named, so that the clerk compares it by eye — it is never a silent pass;
- a field the clerk corrected after the reading is compared as typed (the clerk copied it from
  the card), except an era the picture filled in through a look-alike, which stays unchecked;
- typed without a picture, the birth date with the era chosen is compared too, but a
  difference is a warning (`typed_era_differs`), not an accusation: the era selector may simply
  have been left at its default.

Only a result whose chip proved itself (GENUINE) is compared: nothing else has chip data to
compare with. What is found comes back as the check `printed_face.matches_chip` (when a
picture was read) and as cautions the front ends show and the JSON carries.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from verifier.counter.codes import CodeInput
from verifier.counter.keys import KeyInput, NumberInput
from verifier.engine import messages as m
from verifier.engine.verdict import (
    PRINTED_FACE,
    Check,
    Detail,
    Outcome,
    Reason,
    Result,
    Verdict,
    decide,
)

if TYPE_CHECKING:  # the OCR package is loaded with the first picture, not at start-up
    from verifier.ocr.fields import PrintedFace

ERA_LOOKALIKE = "birth.era_misread"


class Why(enum.StrEnum):
    """Why a printed field was not compared."""

    UNSURE = "unsure"  # read below the confidence threshold
    NOT_READ = "not_read"
    ERA_LOOKALIKE = "era_lookalike"  # the era's glyph was recognised only through a look-alike
    NO_CHIP_VALUE = "no_chip_value"  # the chip holds no such date (DF29 absent or unreadable)


FIELD_WORDS = {"birth": Detail("生年月日", "birth date"),
               "birth_era": Detail("生年月日の元号", "the era of the birth date"),
               "expiry": Detail("有効期限", "expiry date"),
               "name": Detail("氏名", "name"),
               "nationality": Detail("国籍・地域", "nationality / region")}
WHY_WORDS = {Why.UNSURE: Detail("読み取りが不確か", "not read surely"),
             Why.NOT_READ: Detail("読み取れず", "not read"),
             Why.ERA_LOOKALIKE: Detail("元号の字を確実に読めず", "the era's glyph not read surely"),
             Why.NO_CHIP_VALUE: Detail("ICチップに値なし", "no value on the chip")}


@dataclass(frozen=True)
class Caution:
    """Something the clerk must look at on the card: a field not compared, or a typed era that
    differs from the chip. Never personal data: field names only."""

    id: str  # "printed_field_not_compared" | "typed_era_differs"
    field: str
    why: str | None = None

    @property
    def words(self) -> Detail:
        name = FIELD_WORDS[self.field]
        if self.id == TYPED_ERA_DIFFERS:
            return Detail("入力した元号がICチップの生年月日と一致しません。券面の生年月日を確認して"
                          "ください",
                          "the era typed does not match the chip: check the printed birth date")
        why = WHY_WORDS[Why(self.why)] if self.why else Detail("", "")
        return Detail(f"券面の{name.ja}はICチップと比較していません（{why.ja}）。目で見比べて"
                      "ください",
                      f"the printed {name.en} was not compared with the chip ({why.en}): "
                      "compare it by eye")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "field": self.field}
        if self.why is not None:
            out["why"] = self.why
        return out


NOT_COMPARED = "printed_field_not_compared"
TYPED_ERA_DIFFERS = "typed_era_differs"


@dataclass(frozen=True)
class _Field:
    """One printed field as the counter has it: a value to compare, or why there is none."""

    name: str
    value: date | str | None
    from_picture: bool
    why: Why | None = None
    #: compare the year only (an expiry typed in the code fields has no month or day)
    year_only: bool = False


def _picture_fields(code: CodeInput, face: PrintedFace) -> list[_Field]:
    corrected = code.corrected
    fields: list[_Field] = []
    lookalike = ERA_LOOKALIKE in face.fallbacks and not face.birth_gregorian
    if "birth" in corrected and code.birth is not None:
        fields.append(_Field("birth", code.birth.date, from_picture=True))
        if lookalike and "birth_era" not in corrected:
            # the era the picture filled in was a look-alike, and the clerk left it as it was
            fields.append(_Field("birth_era", None, True, Why.ERA_LOOKALIKE))
    else:
        fields.append(_read("birth", face.birth, face.birth_confidence, lookalike=lookalike))
    if "expiry" in corrected:
        year = code.code.expiry_year
        fields.append(_Field("expiry", date(year, 1, 1), from_picture=True, year_only=True))
    else:
        fields.append(_read("expiry", face.expiry, face.expiry_confidence, lookalike=False))
    return fields


def _read(name: str, value: date | str | None, confidence: float, *, lookalike: bool,
          threshold: float | None = None) -> _Field:
    from verifier.ocr.fields import DEFAULT_THRESHOLD

    if value is None:
        return _Field(name, None, True, Why.NOT_READ)
    if confidence < (DEFAULT_THRESHOLD if threshold is None else threshold):
        return _Field(name, None, True, Why.UNSURE)
    if lookalike:
        return _Field(name, None, True, Why.ERA_LOOKALIKE)
    return _Field(name, value, from_picture=True)


def _same(field: _Field, chip: date | str) -> bool:
    assert field.value is not None
    if field.year_only and isinstance(field.value, date) and isinstance(chip, date):
        return field.value.year == chip.year
    return field.value == chip


def with_printed_face(result: Result, key: KeyInput | None
                      ) -> tuple[Result, tuple[Caution, ...]]:
    """`result` with the printed face held against the chip (its verdict decided again when a
    picture was read), and the cautions for the clerk."""
    if key is None or not key.typed:
        return result, ()
    if isinstance(key, NumberInput):
        return _residence_face(result, key)
    code = key
    face = code.face
    personal = result.personal
    chip: dict[str, date | str | None] = {
        "birth": personal.birth_date if personal is not None else None,
        "expiry": result.card.expiry}
    if face is None:
        birth = chip["birth"]
        return result, tuple(_typed_era(code, birth if isinstance(birth, date) else None,
                                        result.verdict))
    if result.verdict is not Verdict.GENUINE or chip["birth"] is None:
        check = Check(PRINTED_FACE, Outcome.NOT_RUN, m.NOT_RUN)
        return _with_check(result, check), ()
    return _compare(result, _picture_fields(code, face), chip)


def _residence_face(result: Result, key: NumberInput) -> tuple[Result, tuple[Caution, ...]]:
    """A residence card whose number came from a picture: the number itself is proved by the
    chip's accepting it; the picture's birth date, nationality and card expiry are held against
    the signed entries (the second generation's; the first holds them only in its front image,
    which the clerk compares). The name is printed in Roman letters but the chip holds it only
    as an image: never compared here, always named."""
    face = key.face
    if face is None:
        return result, ()
    if result.verdict is not Verdict.GENUINE:
        return _with_check(result, Check(PRINTED_FACE, Outcome.NOT_RUN, m.NOT_RUN)), ()
    from verifier.ocr.residence import CARD_NUMBER_THRESHOLD

    personal = result.personal
    chip: dict[str, date | str | None] = {
        "name": None,
        "birth": personal.birth_date if personal is not None else None,
        "nationality": personal.nationality if personal is not None else None,
        "expiry": result.card.expiry}
    fields = [
        _Field("name", None, True, Why.NO_CHIP_VALUE),
        _read("birth", face.birth, face.birth_confidence, lookalike=False,
              threshold=CARD_NUMBER_THRESHOLD),
        _read("nationality", face.nationality_code, face.nationality_confidence,
              lookalike=False, threshold=CARD_NUMBER_THRESHOLD),
        _read("expiry", face.card_expiry, face.card_expiry_confidence, lookalike=False,
              threshold=CARD_NUMBER_THRESHOLD)]
    return _compare(result, fields, chip)


def _compare(result: Result, fields: list[_Field], chip: dict[str, date | str | None]
             ) -> tuple[Result, tuple[Caution, ...]]:
    cautions: list[Caution] = []
    differing: list[str] = []
    compared: list[str] = []
    for field in fields:
        if field.why is not None:
            cautions.append(Caution(NOT_COMPARED, field.name, field.why.value))
            continue
        chip_value = chip[field.name]
        if chip_value is None:
            cautions.append(Caution(NOT_COMPARED, field.name, Why.NO_CHIP_VALUE.value))
            continue
        compared.append(field.name)
        if not _same(field, chip_value):
            differing.append(field.name)
    if differing:
        check = m.failed(PRINTED_FACE, Reason.PRINTED_FACE_DIFFERS, ", ".join(differing))
    elif compared:
        check = m.passed(PRINTED_FACE, _compared_words(compared, cautions))
    else:
        check = Check(PRINTED_FACE, Outcome.SKIPPED, _compared_words((), cautions))
    return _with_check(result, check), tuple(cautions)


def _compared_words(compared: Iterable[str], cautions: list[Caution]) -> Detail:
    names = list(compared)
    if names:
        done = "・".join(FIELD_WORDS[name].ja for name in names)
        text = Detail(f"券面の{done}はICチップと一致しています",
                      "the printed " + " and ".join(FIELD_WORDS[name].en for name in names)
                      + " match the chip")
    else:
        text = Detail("券面の項目はどれも比較していません", "no printed field was compared")
    if not cautions:
        return text
    left = "・".join(FIELD_WORDS[caution.field].ja for caution in cautions)
    return Detail(f"{text.ja}。{left}は目で見比べてください",
                  f"{text.en}; compare by eye: "
                  + ", ".join(FIELD_WORDS[caution.field].en for caution in cautions))


def _typed_era(code: CodeInput, chip_birth: date | None,
               verdict: Verdict) -> list[Caution]:
    """A typed birth date (with the era chosen) against the chip's: a caution, never evidence."""
    if verdict is not Verdict.GENUINE or code.birth is None or chip_birth is None:
        return []
    if code.birth.date == chip_birth:
        return []
    return [Caution(TYPED_ERA_DIFFERS, "birth")]


def _with_check(result: Result, check: Check) -> Result:
    checks = (*result.checks, check)
    verdict = decide(checks, result.required)
    return replace(result, checks=checks, verdict=verdict, code_from_image=True,
                   personal=result.personal if verdict is Verdict.GENUINE else None)

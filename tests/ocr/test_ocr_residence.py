"""The front of a 在留カード / 特別永住者証明書 from OCR lines made by hand: the card number and its
look-alikes, other 12-character text, the dates told apart by their labels, the Roman name,
the nationality; the unattended rule and the comparison with the chip's entries."""

from __future__ import annotations

from datetime import date

import pytest

from verifier.ocr.policy import (
    PictureNotClearError,
    unattended_card_number,
)
from verifier.ocr.residence import (
    RESIDENCE_CARD,
    RESIDENCE_FIELD_NAMES,
    SPECIAL_PERMANENT_RESIDENT_CERTIFICATE,
    lines_to_reread,
    read_residence_fields,
)
from verifier.ocr.text import Box, OcrLine

ROW = 40.0


def box(x: float, y: float, *, width: float, height: float = 24.0) -> Box:
    return ((x, y), (x + width, y), (x + width, y + height), (x, y + height))


def line(text: str, *, row: float, x: float = 10, confidence: float = 0.99,
         rereads: tuple[str, ...] = ()) -> OcrLine:
    return OcrLine(text, confidence, box(x, row * ROW, width=20.0 * max(len(text), 1)),
                   rereads=rereads)


def card(*extra: OcrLine, number: str = "番号 AB12345678CD") -> list[OcrLine]:
    """A residence card front as the recogniser returned one (labels left, values right)."""
    return [
        line("在留力一", row=0), line(number, row=0, x=700),
        line("RESIDENCE CARD", row=0.7),
        line("氏名", row=2), line("NGUYEN VAN AN", row=2, x=150), line("NAME", row=2.6),
        line("生年月日", row=3.5), line("1985年12月31日", row=3.5, x=150),
        line("性别 男 M.", row=3.5, x=420), line("DATE OF BIRTH", row=4.1),
        line("国籍·地域", row=5), line("韩国", row=5, x=150), line("NATIONALITY/REGION", row=5.6),
        line("住居地", row=6.5), line("東京都港区見本町1丁目2番3号", row=6.5, x=150),
        line("在留資格", row=8), line("留学", row=8, x=150),
        line("在留期間（满了日）", row=9.5), line("3年（2027年06月20日）", row=9.5, x=250),
        line("許可年月日", row=11), line("2024年07月20日", row=11, x=150),
        line("交付年月日2024年07月20日", row=11, x=420),
        line("の力-F 2027年06月20日 有效", row=12.5),
        *extra,
    ]


def test_a_residence_card_front() -> None:
    face = read_residence_fields(card())
    assert face.document == RESIDENCE_CARD
    assert face.card_number == "AB12345678CD"
    assert face.name == "NGUYEN VAN AN"
    assert face.birth == date(1985, 12, 31)
    assert (face.nationality, face.nationality_code) == ("韓国", "KOR")
    assert face.stay_expiry == date(2027, 6, 20)
    assert face.card_expiry == date(2027, 6, 20)
    assert face.low_confidence() == ()
    assert face.usable_unattended()
    assert unattended_card_number(face) == "AB12345678CD"


@pytest.mark.parametrize(("printed", "number", "rule"), [
    ("番号 0B12345678CD", "OB12345678CD", "card_number.pattern_fixed"),
    ("番号 AB1234567BC0", "AB12345678CO", "card_number.pattern_fixed"),
    ("番号 1BI2345678CD", "IB12345678CD", "card_number.pattern_fixed"),
    ("番号 AB12O45678CD", "AB12045678CD", "card_number.pattern_fixed"),
    ("No.OI01101100IO", "OI01101100IO", None),
    ("ab12345678cd", "AB12345678CD", None),
])
def test_look_alikes_settled_by_the_pattern(printed: str, number: str, rule: str | None) -> None:
    face = read_residence_fields(card(number=printed))
    assert face.card_number == number
    if rule:
        assert rule in face.fallbacks


def test_look_alikes_cost_confidence_the_rare_ones_more() -> None:
    plain = read_residence_fields(card()).card_number_confidence
    common = read_residence_fields(card(number="番号 0B12345678CD")).card_number_confidence
    rare = read_residence_fields(card(number="番号 AB12345678C5")).card_number_confidence
    assert rare < common < plain
    assert rare < 0.9 <= common


def number_line(readings: tuple[str, ...], shaky: int, score: float) -> OcrLine:
    """The card number read once and re-read, every character sure but the one at `shaky`."""
    def scores(text: str) -> tuple[float, ...]:
        return tuple(score if i == shaky else 0.99 for i in range(len(text)))

    main, *rereads = readings
    return OcrLine(main, 0.97, box(700, 0, width=240), char_confidences=scores(main),
                   rereads=tuple(rereads), reread_confidences=tuple(map(scores, rereads)))


@pytest.mark.parametrize(("readings", "shaky", "usable"), [
    # An O in a letter's place, an I likewise, a 0 and a 1 in a digit's: the recogniser's
    # score is split with their twin, which the pattern rules out.
    (("OR39152415LO",) * 3, 11, True),
    (("TI41439340BU",) * 3, 1, True),
    (("AB12045678CD",) * 3, 4, True),
    (("AB12145678CD",) * 3, 4, True),
    # The twin read, and settled by the pattern in one reading: the others agree.
    (("OR39152415L0", "OR39152415LO", "OR39152415LO"), 11, True),
    # Read once (the re-readings lost it): nothing agrees with the shaky character.
    (("OR39152415LO", "OR39152415", "39152415LO"), 11, False),
    # Every reading needed the pattern's fix: the score may be a Q's or a D's.
    (("OR39152415L0",) * 3, 11, False),
    # A shaky character that is not an O/0 or I/1.
    (("AB12345678CD",) * 3, 11, False),
])
def test_an_o_or_i_the_pattern_settles_counts_as_settled_when_readings_agree(
        readings: tuple[str, ...], shaky: int, usable: bool) -> None:
    face = read_residence_fields([number_line(readings, shaky, 0.6), *card()[2:]])
    assert face.card_number == readings[0][:10] + readings[0][10:].replace("0", "O")
    assert face.usable_unattended() is usable


def test_an_o_whose_score_went_mostly_elsewhere_keeps_it() -> None:
    face = read_residence_fields([number_line(("OR39152415LO",) * 3, 11, 0.4), *card()[2:]])
    assert face.card_number == "OR39152415LO"
    assert not face.usable_unattended()


def test_too_many_look_alikes_are_no_number() -> None:
    assert read_residence_fields(card(number="番号 01O2345678I0")).card_number is None


@pytest.mark.parametrize("other", [
    "RESIDENCECARD", "JP2025061234", "AB123456789012", "XAB12345678CD", "2024年07月20日交付",
    "SPECIALPERMIT", "AB1234567",
])
def test_other_twelve_character_text_next_to_the_number(other: str) -> None:
    face = read_residence_fields(card(line(other, row=0.7, x=700)))
    assert face.card_number == "AB12345678CD"
    assert "card_number.ambiguous" not in face.fallbacks


def test_two_numbers_on_one_front_are_ambiguous() -> None:
    face = read_residence_fields(card(line("ZZ87654321YY", row=13, x=700)))
    assert "card_number.ambiguous" in face.fallbacks
    assert not face.usable_unattended()
    with pytest.raises(PictureNotClearError) as caught:
        unattended_card_number(face)
    assert caught.value.fields == ("card_number",)


def test_a_number_whose_digits_change_when_read_again_is_doubted() -> None:
    shaky = line("番号 AB12345678CD", row=0, x=700,
                 rereads=("AB12345678CD", "AB12345673CD", "AB1234567BCD"))
    face = read_residence_fields([shaky, *card()[2:]])
    assert "card_number.unstable" in face.fallbacks
    assert not face.usable_unattended()


def test_without_labels_the_earliest_date_is_the_birth_the_latest_the_card_expiry() -> None:
    lines = [line("AB12345678CD", row=0, x=700), line("1985年12月31日", row=3),
             line("2024年07月20日", row=11), line("2027年06月20日", row=13)]
    face = read_residence_fields(lines)
    assert face.birth == date(1985, 12, 31)
    assert face.card_expiry == date(2027, 6, 20)
    assert {"birth.by_order", "card_expiry.by_order"} <= face.fallbacks
    assert face.birth_confidence < 0.9 and face.card_expiry_confidence < 0.9
    assert face.stay_expiry is None


def test_a_special_permanent_resident_certificate() -> None:
    lines = [line("特别永住者证明書", row=0), line("AX19472298RL", row=0, x=700),
             line("氏名", row=2), line("KIM MIN JUN", row=2, x=150),
             line("生年月日", row=3.5), line("1960年01月02日", row=3.5, x=150),
             line("国籍·地域", row=5), line("朝鲜", row=5, x=150),
             line("交付年月日", row=8), line("2021年09月30日", row=8, x=150),
             line("有期間の满了日", row=12), line("2028年01月02日", row=12, x=250)]
    face = read_residence_fields(lines)
    assert face.document == SPECIAL_PERMANENT_RESIDENT_CERTIFICATE
    assert face.card_number == "AX19472298RL"
    assert face.name == "KIM MIN JUN"
    assert (face.nationality, face.nationality_code) == ("朝鮮", "PRK")
    assert face.card_expiry == date(2028, 1, 2)
    assert face.stay_expiry is None
    assert face.card_expiry_confidence >= 0.9


@pytest.mark.parametrize(("title", "label"), [
    ("特别永住省證明書", "有效期問の满了"),  # 者 read as 省, 間 as 問
    ("特别永住者证明書", "有幼期間の满了日"),  # 効 read as 幼
    ("永住者证明書", "期間の満了日"),  # the first characters of both lost
    ("", "有効期問の满了"),  # no title read at all
])
def test_the_certificate_validity_misread_is_still_its_expiry_not_a_stay(title: str,
                                                                           label: str) -> None:
    lines = [line(title, row=0), line("AX19472298RL", row=0, x=700),
             line("生年月日", row=3.5), line("1960年01月02日", row=3.5, x=150),
             line("交付年月日", row=8), line("2021年09月30日", row=8, x=150),
             line(label, row=12), line("2028年01月02日", row=12, x=250)]
    face = read_residence_fields(lines)
    assert face.card_expiry == date(2028, 1, 2)
    assert face.stay_expiry is None
    if title:
        assert face.document == SPECIAL_PERMANENT_RESIDENT_CERTIFICATE


@pytest.mark.parametrize("label", ["在留期間（満了日）", "在留期間(满了日)", "留期間の满了日",
                                   "(满了日)"])
def test_the_stay_label_misread_is_still_a_stay(label: str) -> None:
    lines = [line(label, row=9.5) if printed.text == "在留期間（满了日）" else printed
             for printed in card()]
    assert any(printed.text == label for printed in lines)
    face = read_residence_fields(lines)
    assert face.stay_expiry == date(2027, 6, 20)


def test_a_permanent_resident_on_a_residence_card_is_not_a_certificate() -> None:
    face = read_residence_fields(card(line("永住者", row=8, x=150)))
    assert face.document == RESIDENCE_CARD
    assert face.stay_expiry == date(2027, 6, 20)


def test_english_labels_are_not_the_name() -> None:
    lines = [line("RESIDENCE CARD", row=0), line("DATE OF BIRTH", row=2),
             line("NATIONALITY/REGION", row=3), line("PERIOD OF STAY (DATE OF EXPIRATION)", row=4),
             line("ADORESS", row=5), line("SPECIALPERMANENTRESIDENTCERTIFICATE", row=6),
             line("RESCENCECARO", row=7), line("NATIONAUTYIRE", row=8),
             line("PERIODOFVAUDITY", row=9)]
    assert read_residence_fields(lines).name is None




def test_a_name_without_its_label_is_unsure() -> None:
    face = read_residence_fields([line("SANTOS MARIA", row=1, x=150)])
    assert face.name == "SANTOS MARIA"
    assert "name.no_label" in face.fallbacks
    assert face.name_confidence < 0.9


def test_a_katakana_nationality_the_recogniser_cannot_read_is_absent() -> None:
    lines = [line("国籍·地域", row=5), line("^-", row=5, x=150)]
    face = read_residence_fields(lines)
    assert face.nationality is None and face.nationality_code is None
    assert "nationality.not_recognised" in face.fallbacks


def test_nothing_to_read() -> None:
    face = read_residence_fields([])
    assert face.low_confidence() == RESIDENCE_FIELD_NAMES
    assert not face.usable_unattended(0.0)


def test_printing_a_face_shows_no_value() -> None:
    face = read_residence_fields(card())
    for shown in (repr(face), str(face), f"{face}"):
        assert "AB12" not in shown and "NGUYEN" not in shown and not any(
            ch.isdigit() for ch in shown)
    assert all(not any(ch.isdigit() for ch in rule) for rule in face.fallbacks)


# --- against the chip ------------------------------------------------------------------------
SURE = read_residence_fields(card())










def test_a_date_with_noise_glued_on_in_one_reading_stays_sure() -> None:
    lines = [line("AB12345678CD", row=0, x=700), line("生年月日", row=3),
             line("1985年12月31日", row=3, x=150),
             line("2の力-F 2027年06月20日 有效", row=12,
                  rereads=("の力-F 2027年06月20日飞有", "力-F 2027年06月20日 有效"))]
    face = read_residence_fields(lines)
    assert face.card_expiry == date(2027, 6, 20)
    assert face.card_expiry_confidence >= 0.9


def test_a_date_read_with_another_digit_is_doubted() -> None:
    lines = [line("AB12345678CD", row=0, x=700), line("生年月日", row=3),
             line("1985年12月31日", row=3, x=150),
             line("このカードは 2027年06月20日 まで有効", row=12,
                  rereads=("このカードは 2027年06月28日 まで有効",))]
    face = read_residence_fields(lines)
    assert face.card_expiry_confidence < 0.9


# --- which lines are read again --------------------------------------------------------------
def texts(lines: list[OcrLine], chosen: set[int]) -> set[str]:
    return {lines[index].text for index in chosen}


def test_the_lines_read_again_are_those_a_field_may_come_from() -> None:
    lines = card()
    chosen = texts(lines, lines_to_reread(lines))
    for field_line in ("番号 AB12345678CD", "1985年12月31日", "3年（2027年06月20日）",
                       "の力-F 2027年06月20日 有效"):
        assert field_line in chosen
    # The permission date (labelled on its left) and the issue date (labelled in its own box)
    # are no field: their re-readings could change nothing.
    assert "2024年07月20日" not in chosen
    assert "交付年月日2024年07月20日" not in chosen
    # Lines without a date are left to the engine's own test (a name has no digits to reread).
    assert "NGUYEN VAN AN" in chosen


def test_a_number_on_a_dated_line_keeps_it_read_again() -> None:
    lines = card(line("交付年月日2024年07月20日 AB12345678CD", row=14))
    assert "交付年月日2024年07月20日 AB12345678CD" in texts(lines, lines_to_reread(lines))


def test_skipping_those_lines_changes_no_field() -> None:
    # Every reading of the skipped lines disagreeing would change no field (re-readings only
    # lower a date's confidence, and those dates are no field).
    lines = card()
    chosen = lines_to_reread(lines)
    shaken = [line if index in chosen else OcrLine(line.text, line.confidence, line.box,
                                                    rereads=("1999年01月01日", "?"))
              for index, line in enumerate(lines)]
    assert read_residence_fields(shaken) == read_residence_fields(lines)

"""The rendered card faces the OCR tests and the benchmark read: wording, determinism, captures."""

from __future__ import annotations

from datetime import date

import pytest

from testcards.personas import PERSONAS
from testcards.printed_face import (
    ALL_CAPTURES,
    CAPTURES,
    capture,
    capture_bytes,
    printed_birth,
    printed_expiry,
    render_front,
)


@pytest.mark.parametrize(("key", "printed"), [
    ("showa", "昭和55年 2月17日生"),
    ("heisei-first-day", "平成元年 1月 8日生"),
    ("showa-last-day", "昭和64年 1月 7日生"),
    ("heisei", "平成 7年12月31日生"),
    ("reiwa", "令和 3年 6月30日生"),
    ("foreign", "1975年 8月 9日生"),
])
def test_birth_as_printed(key: str, printed: str) -> None:
    persona = next(p for p in PERSONAS if p.key == key)
    assert printed_birth(persona) == printed


def test_expiry_as_printed() -> None:
    assert printed_expiry(date(2035, 2, 17)) == "2035年 2月17日まで有効"
    assert printed_expiry(date(2031, 1, 8)) == "2031年 1月 8日まで有効"


def test_the_face_has_the_card_proportions() -> None:
    face = render_front(PERSONAS[0], dpi=200)
    assert face.size == (674, 425)
    assert face.mode == "RGB"


def test_captures_are_reproducible_and_differ_by_seed() -> None:
    persona = PERSONAS[1]
    first = capture(persona, "low-light", seed=0)
    assert first.tobytes() == capture(persona, "low-light", seed=0).tobytes()
    assert first.tobytes() != capture(persona, "low-light", seed=1).tobytes()


def test_every_capture_named_in_the_issue_is_there() -> None:
    assert {"blur", "rotate+10", "rotate-10", "perspective", "glare", "low-light", "jpeg-40",
            "scanner-200dpi"} <= set(CAPTURES)
    assert set(CAPTURES) < set(ALL_CAPTURES)


def test_jpeg_and_scanner_captures_arrive_as_such() -> None:
    assert capture_bytes(PERSONAS[0], "jpeg-40")[:3] == b"\xff\xd8\xff"
    scan = capture(PERSONAS[0], "scanner-200dpi")
    assert scan.size == (1654, 2339)  # A4 at 200 dpi

"""The second card-face generator (testcards.faces2): deterministic, split by seed, the held-out
part drawing what the tuning part never does; and a few of its pictures (from the tuning part)
through the real engine: a label on two lines beside a 西暦 birth and a code next to the
expiry, 平成元年, and residence card numbers whose letters are O and I."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from testcards import faces2
from testcards.faces2 import captures, fonts, mynumber
from testcards.faces2.people import MyNumberHolder, ResidenceHolder
from verifier.documents.my_number.code_b import code_b_from_parts
from verifier.ocr.engine import OcrEngine


def test_the_split_is_fixed_by_seed_and_the_parts_are_disjoint() -> None:
    tuning = faces2.seeds(held_out_part=False, count=20)
    held_out = faces2.seeds(held_out_part=True, count=10)
    assert not set(tuning) & set(held_out)
    assert held_out[:3] == [2, 5, 8]
    assert all(faces2.held_out(seed) for seed in held_out)


def test_the_held_out_part_alone_uses_the_held_out_fonts_and_label_place() -> None:
    seen_tuning: set[str] = set()
    seen_held_out: set[str] = set()
    places_tuning: set[str] = set()
    for part, seen in ((False, seen_tuning), (True, seen_held_out)):
        for sample in faces2.samples("my_number", held_out_part=part, per_class=4,
                                     capture_names=["clean"]):
            layout = sample.layout()
            assert isinstance(layout, mynumber.Layout)
            seen |= {layout.japanese, layout.latin or ""}
            if not part:
                places_tuning.add(layout.label_place)
    assert not seen_tuning & fonts.HELD_OUT_FONTS
    assert seen_held_out & fonts.HELD_OUT_FONTS
    assert not places_tuning & mynumber.HELD_OUT_LABEL_PLACES
    assert {"none", "left", "left-two-lines", "above"} <= places_tuning


def test_frames_are_reproducible_and_arrive_as_their_capture_delivers_them() -> None:
    holder = faces2.holder("my_number", "showa", 0)
    sample = faces2.Sample("my_number", "showa", 0, "jpeg-40", holder)
    first = sample.frame()
    assert first == sample.frame()
    assert first[:3] == b"\xff\xd8\xff"
    scan = faces2.Sample("my_number", "showa", 0, "scan-200dpi", holder).frame()
    assert Image.open(io.BytesIO(scan)).size == (1654, 2339)
    assert set(captures.COUNTER) == {"clean", "mild-blur", "rotate-10", "perspective", "dim",
                                     "jpeg-40", "scan-200dpi"}


def test_holders_are_what_their_class_says() -> None:
    for seed in range(6):
        gannen = faces2.holder("my_number", "heisei-gannen", seed)
        assert isinstance(gannen, MyNumberHolder)
        assert date(1989, 1, 8) <= gannen.birth <= date(1989, 12, 31)
        assert faces2.holder("my_number", "foreign", seed).foreign
        spr = faces2.holder("residence", "special-permanent", seed)
        assert isinstance(spr, ResidenceHolder)
        assert spr.stay_expiry is None and spr.special_permanent
        number = spr.card_number
        assert number[:2].isalpha() and number[2:10].isdigit() and number[10:].isalpha()


@pytest.mark.parametrize(("form", "printed"), [
    ("padded", "平成元年 4月12日生"), ("plain", "平成元年4月12日生"),
    ("spaced", "平成元年 4月 12日生"), ("label", "平成元年 4月12日"),
])
def test_birth_forms(form: str, printed: str) -> None:
    holder = MyNumberHolder("heisei-gannen", "見本 花子", "", date(1989, 4, 12), "2",
                            date(2029, 4, 12), "3352")
    assert mynumber.birth_text(holder, form)[1] == printed


# --- through the real engine -------------------------------------------------------------------
@pytest.fixture(scope="module")
def engine() -> OcrEngine:
    return OcrEngine()


def test_a_seireki_birth_a_label_on_two_lines_and_a_code_next_to_the_expiry(
        engine: OcrEngine) -> None:
    holder = faces2.holder("my_number", "foreign", 0)
    assert isinstance(holder, MyNumberHolder)
    sample = faces2.Sample("my_number", "foreign", 0, "clean", holder)
    layout = sample.layout()
    assert isinstance(layout, mynumber.Layout)
    assert layout.label_place == "left-two-lines" and layout.code_beside_expiry
    face = engine.read_face(sample.frame())
    assert face.birth == holder.birth and face.birth_gregorian
    assert face.expiry == holder.expiry
    assert face.security_code == holder.security_code
    assert face.usable_unattended()
    assert face.code_b() == code_b_from_parts(holder.birth, holder.expiry.year,
                                              holder.security_code, gregorian_birth=True)


def test_gannen_with_the_label_on_two_lines(engine: OcrEngine) -> None:
    holder = faces2.holder("my_number", "heisei-gannen", 6)
    assert isinstance(holder, MyNumberHolder)
    face = engine.read_face(faces2.Sample("my_number", "heisei-gannen", 6, "clean",
                                          holder).frame())
    assert face.birth == holder.birth and face.birth_era == "平成"
    assert face.code_b().digits.startswith("01")
    assert face.security_code == holder.security_code
    assert face.usable_unattended()


@pytest.mark.parametrize(("kind", "seed"), [("residence", 13), ("special-permanent", 0)])
def test_a_residence_card_number_with_o_and_i(engine: OcrEngine, kind: str, seed: int) -> None:
    holder = faces2.holder("residence", kind, seed)
    assert isinstance(holder, ResidenceHolder)
    assert set(holder.card_number[:2] + holder.card_number[10:]) & {"O", "I"}
    face = engine.read_residence_face(faces2.Sample("residence", kind, seed, "clean",
                                                    holder).frame())
    assert face.card_number == holder.card_number
    assert face.usable_unattended()
    assert face.birth == holder.birth
    assert face.card_expiry == holder.card_expiry

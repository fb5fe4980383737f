"""The OCR engine: a rendered card face read by the real rapidocr (no mocks), the input limits,
lazy loading, and an installation that PySide6 can live with."""

from __future__ import annotations

import importlib.metadata
import io
import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from testcards.personas import PERSONAS
from testcards.printed_face import capture_bytes
from verifier.ocr.engine import MAX_IMAGE_BYTES, OcrEngine, ocr_available
from verifier.ocr.errors import ImageInputError, OcrError

ROOT = Path(__file__).resolve().parents[2]


def test_a_rendered_card_face_gives_the_personas_code_b(caplog: pytest.LogCaptureFixture,
                                                          capfd: pytest.CaptureFixture[str]
                                                          ) -> None:
    persona = PERSONAS[0]
    frame = capture_bytes(persona, "blur")
    engine = OcrEngine()
    with caplog.at_level(logging.DEBUG):
        face = engine.read_face(frame)
    printed = capfd.readouterr()
    for shown in (caplog.text, printed.out, printed.err):
        # Field values never reach a log or the terminal, whoever would print them.
        assert persona.security_code not in shown
        assert "55年" not in shown and "2035" not in shown
    assert engine.loaded
    assert face.code_b() == persona.code_b
    assert face.birth == persona.birth
    assert face.expiry == persona.expiry
    assert face.usable_unattended()
    # The same engine reads the next frame (a decoded picture this time) without reloading.
    again = engine.read_face(Image.open(io.BytesIO(frame)))
    assert again.code_b() == persona.code_b


def test_lines_found_on_a_smaller_frame_are_placed_in_the_frames_own_pixels() -> None:
    from testcards import faces2
    from testcards.faces2 import ResidenceHolder

    holder = faces2.holder("residence", "residence", 0)
    assert isinstance(holder, ResidenceHolder)
    frame = faces2.Sample("residence", "residence", 0, "clean", holder).frame()
    engine = OcrEngine()

    def number_box(side: int | None) -> tuple[float, float]:
        lines = engine.read_lines(frame, detect_side=side)
        found = [line for line in lines if holder.card_number[2:10] in line.text]
        assert len(found) == 1
        xs, ys = zip(*found[0].box, strict=True)
        return sum(xs) / 4, sum(ys) / 4

    full, small = number_box(None), number_box(480)
    # Found at 480 px, the box is scaled back to the 1280 px frame (a few pixels of rounding).
    assert abs(full[0] - small[0]) < 12 and abs(full[1] - small[1]) < 12
    assert full[0] > 480  # the number is printed top right, beyond the smaller frame


@pytest.mark.parametrize("document", ["my_number", "residence"])
def test_a_frame_upside_down_is_read_like_the_frame_upright(document: str) -> None:
    # The direction classifier is asked about a few lines and its verdict applied to all:
    # a card turned over on the scanner glass must still give its fields.
    from testcards import faces2

    kind = "heisei" if document == "my_number" else "special-permanent"
    holder = faces2.holder(document, kind, 0)
    frame = Image.open(io.BytesIO(faces2.Sample(document, kind, 0, "clean", holder).frame()))
    engine = OcrEngine()
    read = engine.read_face if document == "my_number" else engine.read_residence_face
    upright, turned = read(frame), read(frame.rotate(180))
    for field in (("birth", "expiry", "security_code") if document == "my_number"
                  else ("card_number", "birth", "card_expiry")):
        assert getattr(turned, field) == getattr(upright, field) == getattr(holder, field)


def test_one_line_on_its_own_is_read() -> None:
    from PIL import ImageDraw, ImageFont

    line = Image.new("RGB", (560, 40), "white")
    ImageDraw.Draw(line).text((10, 4), "AB12345678CD", fill="black",
                              font=ImageFont.truetype(
                                  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30))
    lines = OcrEngine().read_lines(line)
    assert [found.text.replace(" ", "") for found in lines] == ["AB12345678CD"]
    (x0, y0), _, (x2, y2), _ = lines[0].box
    assert 0 <= y0 < y2 <= 40 and 0 <= x0 < x2 <= 560


def test_the_ocr_extra_is_installed_with_its_models() -> None:
    assert ocr_available()
    info = OcrEngine.info()
    assert info.version == "1.4.4"
    assert any("rec" in model for model in info.models)
    assert any("det" in model for model in info.models)


def test_only_the_headless_opencv_is_installed() -> None:
    names = {dist.metadata["Name"].lower() for dist in importlib.metadata.distributions()}
    assert "opencv-python-headless" in names
    assert "opencv-python" not in names  # its Qt plugins would clash with PySide6's


@pytest.mark.gui
def test_pyside6_runs_beside_the_ocr_stack() -> None:
    script = ("import cv2, onnxruntime, rapidocr_onnxruntime\n"
              "from PySide6.QtWidgets import QApplication, QLabel\n"
              "app = QApplication(['mynacheck', '-platform', 'offscreen'])\n"
              "label = QLabel('x'); label.show(); app.processEvents()\n"
              "print(cv2.__version__)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr


def test_importing_the_package_loads_no_ocr_library() -> None:
    script = ("import sys, verifier.ocr, verifier.ocr.engine, verifier.ocr.fields\n"
              "heavy = {'rapidocr_onnxruntime', 'onnxruntime', 'cv2', 'numpy'} & set(sys.modules)\n"
              "print(sorted(heavy))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


# --- input limits: refused before any model is loaded ----------------------------------------
def refuses(data: object) -> ImageInputError:
    engine = OcrEngine()
    with pytest.raises(ImageInputError) as caught:
        engine.read_lines(data)  # type: ignore[arg-type]
    assert not engine.loaded  # nothing loaded for a picture that is refused
    return caught.value


def test_bytes_that_are_no_image() -> None:
    error = refuses(b"not a picture")
    assert isinstance(error, OcrError)


def test_formats_other_than_png_and_jpeg() -> None:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(out, "GIF")
    refuses(out.getvalue())


def test_a_huge_picture_is_refused_from_its_header() -> None:
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")  # 81 megapixels, a few KB compressed
    message = str(refuses(out.getvalue()))
    assert "9000x9000" in message


def test_too_many_bytes() -> None:
    refuses(b"\x89PNG" + bytes(MAX_IMAGE_BYTES))


def test_arrays_of_the_wrong_shape() -> None:
    refuses(np.zeros((10, 10, 2), dtype=np.uint8))
    refuses(np.zeros((10,), dtype=np.uint8))


def test_a_side_too_small_to_read() -> None:
    with pytest.raises(ValueError):
        OcrEngine(max_side=100)

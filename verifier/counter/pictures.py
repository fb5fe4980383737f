"""Pictures of the card face, read for the front ends: one recogniser per process.

Its models load once, on the first picture (rapidocr is imported then, never at start-up), and
its reads are serialised by the engine, so the CLI, a batch's workers and the counter app's
picture thread all share it. A frame stays in memory; nothing of it is written or logged.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from verifier.ocr.errors import ImageInputError

if TYPE_CHECKING:
    from verifier.ocr.engine import OcrEngine
    from verifier.ocr.fields import PrintedFace
    from verifier.ocr.residence import PrintedResidenceFace


@cache
def _engine() -> OcrEngine:
    from verifier.ocr.engine import OcrEngine

    return OcrEngine()


def read_face(image: bytes) -> PrintedFace:
    """The printed fields of a PNG or JPEG frame; raises verifier.ocr.errors.OcrError."""
    return _engine().read_face(image)


def read_face_file(path: Path) -> PrintedFace:
    """The same for a file; a file that cannot be read is an ImageInputError too."""
    return read_face(_read(path))


def read_residence_face(image: bytes) -> PrintedResidenceFace:
    """The printed fields of the front of a 在留カード or 特別永住者証明書 (its card number
    first); raises verifier.ocr.errors.OcrError."""
    return _engine().read_residence_face(image)


def read_residence_face_file(path: Path) -> PrintedResidenceFace:
    return read_residence_face(_read(path))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ImageInputError(f"cannot read {path}: {error.strerror or error}") from error

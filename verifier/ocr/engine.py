"""The OCR engine: rapidocr-onnxruntime (PP-OCRv4 detection and recognition, shipped in its wheel).

rapidocr, onnxruntime, OpenCV and numpy are imported on the first read, never at import time, so
the CLI and GUI start without them and run without them until a picture is read. The models
load from the installed package; nothing is fetched. A frame stays in memory: it is decoded
from the bytes given, scaled, read and dropped — never written to disk, never logged.
"""

from __future__ import annotations

import io
import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib import metadata
from typing import TYPE_CHECKING, Any, Protocol

from verifier.ocr.errors import ImageInputError, OcrUnavailableError
from verifier.ocr.fields import PrintedFace, read_fields
from verifier.ocr.residence import PrintedResidenceFace, lines_to_reread, read_residence_fields
from verifier.ocr.text import Box, OcrLine

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from PIL import Image

    ImageInput = bytes | Image.Image | npt.NDArray[np.uint8]

OCR_PACKAGE = "rapidocr-onnxruntime"
MAX_IMAGE_BYTES = 40 * 1024 * 1024
MAX_IMAGE_PIXELS = 50_000_000  # refused from the header, before the decoder allocates
#: What is read (a camera frame, or the part of a larger frame that holds text) is scaled
#: down to this many pixels on its longer side: a 12-megapixel photo takes seconds to detect
#: at full size, and the card's text stays legible at this size when the card fills a fair
#: part of it.
MAX_SIDE = 2000
#: Frames longer than this (scans, phone photos) are first searched for text at
#: `SURVEY_SIDE` pixels and cropped to where the text is: detection dominates the time per
#: frame and grows with its area, and most of an A4 scan is an empty page.
CROP_ABOVE_SIDE = 1600
SURVEY_SIDE = 960
#: The crop reaches this far past the text found at survey size (as a share of that text
#: area's width and height): the small security code may be missed by the survey and lie
#: beside the other text, under the photo.
CROP_MARGIN = 0.4
#: Each line that may carry a field's digits is read again from crops with wider margins (as
#: multiples of the line height: along the line, across it) and at another scale. A digit
#: half-hidden by a thumb or a reflection can be read confidently wrong once, but rarely the
#: same way from every crop; fields.py doubts a line whose digits change.
REREADS: tuple[tuple[float, float, float], ...] = ((0.3, 0.25, 1.0), (0.6, 0.35, 1.5))
#: The recogniser pads every line of a batch to at least this many pixels wide (at its height of
#: 48). rapidocr's own minimum is 320, the width it was trained at; most lines on a card are
#: short labels (氏名, NAME, SEX), and that padding was a sixth of a residence front's time.
#: Both generators' tuning parts read the same at 160 (docs/ocr.md, "Speed").
REC_MIN_WIDTH = 160
#: Lines the recogniser is less sure of are still returned (with their low confidence), so
#: the clerk sees a guess to correct rather than an empty field.
MIN_LINE_SCORE = 0.3
#: The front of a residence card holds three times the lines of a My Number face, and its
#: smallest text (the dates) is larger than the My Number security code: its lines are found
#: on the frame at this size (see docs/ocr.md, "Speed"). The My Number face is searched at
#: full size: its security code is the smallest text on either card. (rapidocr's detector
#: enlarges a frame whose shorter side is under 736 px, so this is as small as it gets on a
#: 4:3 frame; smaller sides lost lines, see docs/ocr.md.)
RESIDENCE_DETECT_SIDE = 960
#: Every line on a card faces the same way: the direction classifier is asked about this many
#: of the longest lines first, and about every line only when they disagree.
ORIENTATION_SAMPLE = 6
#: A frame this low, or wider than this many times its height, is one line on its own: the
#: detector is given a border above and below it.
_MIN_DETECT_HEIGHT = 30
_MAX_DETECT_RATIO = 8
_FORMATS = ("PNG", "JPEG")


class _TextRecogniser(Protocol):
    def __call__(self, images: list[Any], return_word_box: bool = False
                 ) -> tuple[list[Any], float]: ...


class _TextDetector(Protocol):
    def __call__(self, image: Any) -> tuple[Any, float]: ...


class _TextClassifier(Protocol):
    cls_thresh: float

    def __call__(self, images: list[Any]) -> tuple[list[Any], list[Any], float]: ...


class _Recogniser(Protocol):
    """The parts of rapidocr's `RapidOCR` (pinned in pyproject.toml) the engine drives."""

    text_det: _TextDetector
    text_cls: _TextClassifier
    text_rec: _TextRecogniser

    def sorted_boxes(self, boxes: Any) -> list[Any]: ...

    def get_crop_img_list(self, image: Any, boxes: list[Any]) -> list[Any]: ...


@dataclass(frozen=True)
class EngineInfo:
    """What reads the pictures, for the audit record and `--version` output."""

    package: str
    version: str
    models: tuple[str, ...]


def ocr_available() -> bool:
    """Whether the OCR extra is installed (imports nothing heavy)."""
    from importlib.util import find_spec

    return all(find_spec(name) is not None for name in ("rapidocr_onnxruntime", "onnxruntime",
                                                        "cv2", "numpy"))


class OcrEngine:
    """One recogniser, loaded on first use and reused for every later frame.

    Create one per application (a GUI window, a batch run) and keep it: loading the models takes
    about a second. Reads are serialised, so worker threads may share it.
    """

    def __init__(self, *, max_side: int = MAX_SIDE, threads: int | None = None) -> None:
        if max_side < 320:
            raise ValueError("max_side below 320 pixels leaves nothing to read")
        self._max_side = max_side
        self._threads = threads
        self._recogniser: _Recogniser | None = None
        self._lock = threading.Lock()

    # --- loading -----------------------------------------------------------------------------
    def _load(self) -> _Recogniser:
        if self._recogniser is None:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as error:
                raise OcrUnavailableError() from error
            options: dict[str, Any] = {"text_score": MIN_LINE_SCORE,
                                       "rec_img_shape": [3, 48, REC_MIN_WIDTH]}
            if self._threads is not None:
                options["intra_op_num_threads"] = self._threads
            recogniser: _Recogniser = RapidOCR(**options)
            self._recogniser = recogniser
        return self._recogniser

    @property
    def loaded(self) -> bool:
        """Whether the models are in memory (a refused picture never loads them)."""
        return self._recogniser is not None

    def warm_up(self) -> None:
        """Load the models now (e.g. on a worker thread at start-up) instead of on first read."""
        with self._lock:
            self._load()

    @staticmethod
    def info() -> EngineInfo:
        try:
            version = metadata.version(OCR_PACKAGE)
        except metadata.PackageNotFoundError as error:
            raise OcrUnavailableError() from error
        files = metadata.files(OCR_PACKAGE) or []
        models = tuple(sorted(file.name for file in files if file.name.endswith(".onnx")))
        return EngineInfo(OCR_PACKAGE, version, models)

    # --- reading -----------------------------------------------------------------------------
    def read_lines(self, image: ImageInput, *, detect_side: int | None = None,
                   reread: Callable[[Sequence[OcrLine]], set[int]] | None = None
                   ) -> list[OcrLine]:
        """The text lines in a frame: PNG/JPEG bytes, a PIL image, or an RGB (or grey) array.

        With `detect_side`, the lines are found on the frame brought down to that many pixels
        on its longer side (detection is a third of a frame's time and grows with its area),
        and still read from the frame itself. Every line that may carry a field's digits is
        read again (`REREADS`); `reread`, given the lines as first read, narrows that to the
        lines (by index) whose re-readings can change a field.
        """
        picture = _prepared(image, self._max_side)
        with self._lock:
            recogniser = self._load()
            offset = (0, 0)
            if max(picture.size) > CROP_ABOVE_SIDE:
                # Cropped before it is scaled: a card in the corner of an A4 scan keeps every
                # pixel the scanner gave it.
                picture, offset = _text_area(recogniser, picture)
            picture, scale = _finished(picture, self._max_side)
            frame = _bgr_array(picture)
            lines = _read(recogniser, frame, detect_side)
            wanted = set(range(len(lines))) if reread is None else reread(lines)
            lines = _reread(recogniser, frame, lines, wanted)
        del frame, picture
        return [_moved(line, offset, scale) for line in lines]

    def read_face(self, image: ImageInput) -> PrintedFace:
        """The printed fields of the My Number Card face in a frame."""
        return read_fields(self.read_lines(image))

    def read_residence_face(self, image: ImageInput) -> PrintedResidenceFace:
        """The printed fields of the front of a 在留カード or 特別永住者証明書 in a frame."""
        return read_residence_fields(self.read_lines(image, detect_side=RESIDENCE_DETECT_SIDE,
                                                     reread=lines_to_reread))


# --- frames ----------------------------------------------------------------------------------
def _prepared(image: ImageInput, max_side: int) -> Image.Image:
    """The picture decoded (PNG/JPEG bytes, a PIL image or an array), upright, in RGB."""
    from PIL import Image, ImageOps

    if isinstance(image, bytes | bytearray | memoryview):
        picture = _decoded(bytes(image), max_side)
    elif isinstance(image, Image.Image):
        _check_size(*image.size)
        picture = image
    else:
        picture = _from_array(image)
    # A camera or phone may store the picture sideways and say so in EXIF.
    picture = ImageOps.exif_transpose(picture)
    if picture.mode != "RGB":
        picture = picture.convert("RGB")
    return picture


def _finished(picture: Image.Image, max_side: int) -> tuple[Image.Image, float]:
    """The picture as the recogniser reads it, and the scale it was brought to."""
    from PIL import Image, ImageOps

    # Stretching the tones is what lets the detector find the small security code in a dim
    # frame; on a well-lit one it changes next to nothing.
    picture = ImageOps.autocontrast(picture, cutoff=1, preserve_tone=True)
    longest = max(picture.size)
    if longest <= max_side:
        return picture, 1.0
    scale = max_side / longest
    return picture.resize((max(1, round(picture.width * scale)),
                           max(1, round(picture.height * scale))),
                          Image.Resampling.LANCZOS), scale


def _check_size(width: int, height: int) -> None:
    if width <= 0 or height <= 0 or width * height > MAX_IMAGE_PIXELS:
        raise ImageInputError(f"a picture of {width}x{height} pixels is outside what the OCR "
                              f"step accepts (at most {MAX_IMAGE_PIXELS} pixels)")


def _decoded(data: bytes, max_side: int) -> Image.Image:
    from PIL import Image

    if len(data) > MAX_IMAGE_BYTES:
        raise ImageInputError(f"a picture of {len(data)} bytes is larger than the OCR step "
                              f"accepts ({MAX_IMAGE_BYTES})")
    try:
        with Image.open(io.BytesIO(data), formats=_FORMATS) as opened:
            _check_size(*opened.size)
            if opened.format == "JPEG":
                # Let the JPEG decoder drop resolution it would only have to scale away.
                opened.draft("RGB", (max_side, max_side))
            opened.load()
            return opened.copy()
    except ImageInputError:
        raise
    except Exception as error:  # a broken file may fail anywhere in the codec
        raise ImageInputError(f"the picture is not a readable PNG or JPEG image "
                              f"({type(error).__name__})") from None


def _from_array(array: npt.NDArray[np.uint8]) -> Image.Image:
    from PIL import Image

    shape = getattr(array, "shape", None)
    if shape is None or len(shape) not in (2, 3) or (len(shape) == 3 and shape[2] not in (3, 4)):
        raise ImageInputError("an image array must be height x width (grey) or "
                              "height x width x 3 (RGB) or x 4 (RGBA)")
    _check_size(int(shape[1]), int(shape[0]))
    try:
        return Image.fromarray(array)
    except (TypeError, ValueError) as error:
        raise ImageInputError(f"the image array cannot be read ({type(error).__name__})") from None


def _text_area(recogniser: _Recogniser,
               picture: Image.Image) -> tuple[Image.Image, tuple[int, int]]:
    """The part of a large frame that holds text, and where it starts in the frame."""
    from PIL import Image, ImageOps

    scale = SURVEY_SIDE / max(picture.size)
    small = picture.resize((max(1, round(picture.width * scale)),
                            max(1, round(picture.height * scale))), Image.Resampling.BILINEAR)
    small = ImageOps.autocontrast(small, cutoff=1, preserve_tone=True)
    boxes = _detected(recogniser, _bgr_array(small), None)
    if not boxes:
        return picture, (0, 0)
    xs = [float(x) / scale for box in boxes for x, _ in box]
    ys = [float(y) / scale for box in boxes for _, y in box]
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    margin_x, margin_y = (right - left) * CROP_MARGIN, (bottom - top) * CROP_MARGIN
    area = (max(0, int(left - margin_x)), max(0, int(top - margin_y)),
            min(picture.width, int(right + margin_x) + 1),
            min(picture.height, int(bottom + margin_y) + 1))
    if area[2] - area[0] < 32 or area[3] - area[1] < 32:
        return picture, (0, 0)
    return picture.crop(area), (area[0], area[1])


def _detected(recogniser: _Recogniser, frame: npt.NDArray[np.uint8],
              detect_side: int | None) -> list[Box]:
    """Where the frame's text lines are, in reading order, in the frame's own pixels."""
    import cv2
    import numpy as np

    height, width = frame.shape[:2]
    seen: Any = frame
    pad = 0
    if height <= _MIN_DETECT_HEIGHT or width > _MAX_DETECT_RATIO * height:
        # One line on its own, as a crop: the detector needs room above and below it.
        pad = (max(width // _MAX_DETECT_RATIO, _MIN_DETECT_HEIGHT) * 2 - height) // 2 + 1
        seen = cv2.copyMakeBorder(seen, pad, pad, 0, 0, cv2.BORDER_CONSTANT, value=(0, 0, 0))
    scale = 1.0 if detect_side is None else min(1.0, detect_side / max(seen.shape[:2]))
    if scale < 1.0:
        seen = cv2.resize(seen, (max(1, round(seen.shape[1] * scale)),
                                 max(1, round(seen.shape[0] * scale))),
                          interpolation=cv2.INTER_AREA)
    found, _ = recogniser.text_det(seen)
    if found is None or len(found) == 0:
        return []
    boxes: list[Box] = []
    for corners in recogniser.sorted_boxes(found):
        points = np.asarray(corners, dtype=np.float64) / scale - (0.0, float(pad))
        box: Box = tuple((min(max(float(x), 0.0), float(width)),  # type: ignore[assignment]
                          min(max(float(y), 0.0), float(height)))
                         for x, y in points)
        boxes.append(box)
    return boxes


def _read(recogniser: _Recogniser, frame: npt.NDArray[np.uint8],
          detect_side: int | None) -> list[OcrLine]:
    """Every text line in the frame: found, turned upright, read with a score per character."""
    import numpy as np

    boxes = _detected(recogniser, frame, detect_side)
    if not boxes:
        return []
    crops = recogniser.get_crop_img_list(frame, [np.array(box, dtype=np.float32)
                                                 for box in boxes])
    results, _ = recogniser.text_rec(_upright(recogniser, crops), True)
    lines = []
    for box, result in zip(boxes, results, strict=True):
        text, score = str(result[0]), float(result[1])
        if score >= MIN_LINE_SCORE:
            lines.append(OcrLine(text=text, confidence=score, box=box,
                                 char_confidences=_char_scores(result, text)))
    return lines


def _upright(recogniser: _Recogniser, crops: list[Any]) -> list[Any]:
    """The line crops turned the right way up.

    The classifier's own rule (each line turned on its own verdict) is kept for a frame whose
    longest lines disagree; a card's lines agree, and asking about a few instead of thirty is
    a twentieth of a residence front's time.
    """
    import cv2

    if len(crops) > ORIENTATION_SAMPLE:
        longest = sorted(range(len(crops)),
                         key=lambda i: crops[i].shape[1] / crops[i].shape[0],
                         reverse=True)[:ORIENTATION_SAMPLE]
        _, verdicts, _ = recogniser.text_cls([crops[i] for i in longest])
        threshold = recogniser.text_cls.cls_thresh
        flipped = ["180" in str(label) and float(score) > threshold
                   for label, score in verdicts]
        if not any(flipped):
            return crops
        if all(flipped):
            return [cv2.rotate(crop, cv2.ROTATE_180) for crop in crops]
    turned, _, _ = recogniser.text_cls(crops)
    return turned


def _char_scores(result: Sequence[Any], text: str) -> tuple[float, ...]:
    """One score per character of `text`, when the recogniser gave them (else none)."""
    info = result[2] if len(result) > 2 else None
    if info and len(info) >= 5 and len(info[-1]) == len(text):
        return tuple(float(value) for value in info[-1])
    return ()


def _bgr_array(picture: Image.Image) -> npt.NDArray[np.uint8]:
    try:
        import numpy as np
    except ImportError as error:
        raise OcrUnavailableError() from error
    rgb = np.asarray(picture, dtype=np.uint8)
    # OpenCV's channel order, which the recogniser was trained with.
    return np.ascontiguousarray(rgb[:, :, ::-1])


_FOUR_DIGITS = re.compile(r"[0-9](?: ?[0-9]){3}")
_NUMBER_LIKE = re.compile(r"[0-9A-Z|]{12}")


def _carries_digits(line: OcrLine) -> bool:
    """A line that may hold a field's digits: a date, a short line with four digits in a row
    (a security code, perhaps beside label noise) or a residence card's number."""
    normal = unicodedata.normalize("NFKC", line.text)
    text = "".join(normal.split())
    digits = sum(ch in "0123456789" for ch in text)
    if digits < 3:
        return False
    if "年" in text:
        return True
    if len(text) <= 16 and _FOUR_DIGITS.search(normal) is not None:
        return True
    return digits >= 6 and _NUMBER_LIKE.search(text.upper()) is not None


def _crop(frame: npt.NDArray[np.uint8], line: OcrLine, pad_along: float, pad_across: float,
          scale: float) -> npt.NDArray[np.uint8] | None:
    import cv2
    import numpy as np

    corners = np.array(line.box, dtype=np.float32)
    along = ((corners[1] - corners[0]) + (corners[2] - corners[3])) / 2
    across = ((corners[3] - corners[0]) + (corners[2] - corners[1])) / 2
    width, height = float(np.linalg.norm(along)), float(np.linalg.norm(across))
    if width < 1 or height < 1:
        return None
    unit_along, unit_across = along / width, across / height
    dx, dy = unit_along * pad_along * height, unit_across * pad_across * height
    quad = np.array([corners[0] - dx - dy, corners[1] + dx - dy, corners[2] + dx + dy,
                     corners[3] - dx + dy], dtype=np.float32)
    out_w = max(8, round((width + 2 * pad_along * height) * scale))
    out_h = max(8, round((height + 2 * pad_across * height) * scale))
    target = np.array([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]], dtype=np.float32)
    crop = cv2.warpPerspective(frame, cv2.getPerspectiveTransform(quad, target), (out_w, out_h),
                               flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    return np.asarray(crop, dtype=np.uint8)


def _reread(recogniser: _Recogniser, frame: npt.NDArray[np.uint8],
            lines: list[OcrLine], wanted: set[int]) -> list[OcrLine]:
    """Every line of `wanted` that may carry a field's digits, read again from `REREADS`
    crops, all in one batch of the recogniser (with a score per character)."""
    crops: list[Any] = []
    owners: list[int] = []
    for index, line in enumerate(lines):
        if index not in wanted or not _carries_digits(line):
            continue
        for pad_along, pad_across, scale in REREADS:
            crop = _crop(frame, line, pad_along, pad_across, scale)
            if crop is not None:
                crops.append(crop)
                owners.append(index)
    if not crops:
        return lines
    results, _ = recogniser.text_rec(crops, True)
    texts: dict[int, list[str]] = {}
    scores: dict[int, list[tuple[float, ...]]] = {}
    for owner, result in zip(owners, results, strict=True):
        text = str(result[0]) if result else ""
        chars = _char_scores(result, text) if result else ()
        if result and not chars:
            chars = (float(result[1]),) * len(text)
        texts.setdefault(owner, []).append(text)
        scores.setdefault(owner, []).append(chars)
    return [replace(line, rereads=tuple(texts[i]), reread_confidences=tuple(scores[i]))
            if i in texts else line for i, line in enumerate(lines)]


def _moved(line: OcrLine, offset: tuple[int, int], scale: float) -> OcrLine:
    """The line with its box in the frame's own pixels (before cropping and scaling)."""
    if offset == (0, 0) and scale == 1.0:
        return line
    dx, dy = offset
    box: Box = tuple((x / scale + dx, y / scale + dy)  # type: ignore[assignment]
                     for x, y in line.box)
    return replace(line, box=box)

"""照合番号B from a picture of the card face: OCR lines (engine.py) → printed fields (fields.py)
→ what may be done with them (policy.py).

Importing this package loads no OCR library; the engine imports rapidocr on first use.
"""

from verifier.ocr.errors import ImageInputError, OcrError, OcrUnavailableError
from verifier.ocr.fields import DEFAULT_THRESHOLD, FIELD_NAMES, OcrLine, PrintedFace, read_fields
from verifier.ocr.policy import (
    Agreement,
    FaceVsChip,
    PictureNotClearError,
    compare_with_chip,
    unattended_code_b,
)

__all__ = ["DEFAULT_THRESHOLD", "FIELD_NAMES", "Agreement", "FaceVsChip", "ImageInputError",
           "OcrError", "OcrLine", "OcrUnavailableError", "PictureNotClearError", "PrintedFace",
           "compare_with_chip", "read_fields", "unattended_code_b"]

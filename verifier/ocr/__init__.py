"""照合番号B from a picture of the card face: OCR lines (engine.py) → printed fields (fields.py).

Importing this package loads no OCR library; the engine imports rapidocr on first use.
"""

from verifier.ocr.errors import ImageInputError, OcrError, OcrUnavailableError
from verifier.ocr.fields import DEFAULT_THRESHOLD, FIELD_NAMES, OcrLine, PrintedFace, read_fields

__all__ = ["DEFAULT_THRESHOLD", "FIELD_NAMES", "ImageInputError", "OcrError", "OcrLine",
           "OcrUnavailableError", "PrintedFace", "read_fields"]

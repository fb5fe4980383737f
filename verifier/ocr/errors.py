"""Errors of the OCR step. The docstring is each class's default message; none carries a field
value or image content, since errors may reach a log (design.md rule 2)."""

from verifier.errors import VerifierError


class OcrError(VerifierError):
    """The card face could not be read from the picture."""


class OcrUnavailableError(OcrError):
    """Reading the card face needs the OCR extra: make deps, or pip install 'mynacheck[ocr]' and
    rapidocr-onnxruntime (see README)."""


class ImageInputError(OcrError, ValueError):
    """The picture is not a PNG or JPEG image of a size the OCR step accepts."""

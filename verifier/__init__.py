"""The verifier: card knowledge shared by documents, one package per document (My Number Card,
在留カード and 特別永住者証明書), the engine every document runs in, OCR of printed faces, and the
counter layer the front ends go through."""

__version__ = "0.1.0"

"""照合番号B from a picture of the card face: OCR lines (engine.py) → printed fields (fields.py)
→ what may be done with them (policy.py).

Importing this package loads nothing else: neither the OCR library (the engine imports rapidocr
on first use) nor its own modules, so catching `verifier.ocr.errors.OcrError` costs no start-up.
"""

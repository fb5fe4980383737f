"""The printed face against the chip, when code B was read from a picture of the card.

A chip read alone cannot see a genuine chip under a replaced printed face: the code B typed
from that face may still open the chip (same era year digits, same expiry year). With the
printed dates read, the whole birth date (era included) and the expiry date are held against
the chip's. Only a field read above the confidence threshold can differ: an unsure reading is
not compared (rule 7).
"""

from __future__ import annotations

from dataclasses import replace

from verifier.card.values import yyyymmdd
from verifier.engine import messages as m
from verifier.engine.verdict import Check, CheckId, Outcome, Reason, Result, Verdict, decide
from verifier.ocr.fields import PrintedFace
from verifier.ocr.policy import Agreement, compare_with_chip

NOT_COMPARED = m.detail("読み取りが不確かなため比較していません",
                        "not compared: the picture was not read surely enough")


def with_printed_face_check(result: Result, face: PrintedFace) -> Result:
    """`result` with the printed-face check added, and its verdict decided again."""
    personal = result.personal
    if result.verdict is not Verdict.GENUINE or personal is None or personal.birth_date is None:
        check = Check(CheckId.PRINTED_FACE, Outcome.NOT_RUN, m.NOT_RUN)
    else:
        agreement = compare_with_chip(
            face, chip_birth=yyyymmdd(personal.birth_date),
            chip_expiry=yyyymmdd(result.card.expiry) if result.card.expiry else None)
        if agreement.overall is Agreement.DIFFERS:
            check = m.failed(CheckId.PRINTED_FACE, Reason.PRINTED_FACE_DIFFERS,
                             ", ".join(agreement.differing()))
        elif agreement.overall is Agreement.MATCHES:
            check = m.passed(CheckId.PRINTED_FACE)
        else:
            check = Check(CheckId.PRINTED_FACE, Outcome.SKIPPED, NOT_COMPARED)
    checks = (*result.checks, check)
    verdict = decide(checks)
    return replace(result, checks=checks, verdict=verdict, code_from_image=True,
                   personal=personal if verdict is Verdict.GENUINE else None)

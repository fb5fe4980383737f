"""The My Number Card's checks: stable ids (design.md), used in JSON, tests and docs, in the
order they run. The certificate is judged before any code B is tried, so a counterfeit costs no
try."""

from __future__ import annotations

import enum

from verifier.engine.verdict import CHIP_PRESENT, PRINTED_FACE

#: The document's name in results and JSON.
DOCUMENT = "my_number_card"


class CheckId(enum.StrEnum):
    CHIP_PRESENT = CHIP_PRESENT
    AP_CARD_FACE = "ap.card_face"
    CERTIFICATE_TRUSTED = "certificate.trusted"
    CODE_B_RETRIES = "code_b.retries"
    CODE_B_VERIFY = "code_b.verify"
    CARD_FACE_SIGNATURE = "card_face.signature"
    CHIP_AUTHENTIC = "chip.authentic"
    CODE_B_CONSISTENT = "code_b.consistent"
    CARD_NOT_EXPIRED = "card.not_expired"
    TEXT_AP_SIGNATURE = "text_ap.signature"
    TEXT_AP_CONSISTENT = "text_ap.consistent"
    #: Only when code B was read from a picture of the card: its printed dates against the chip.
    PRINTED_FACE = PRINTED_FACE


#: The checks of every verification, in order; PRINTED_FACE joins them only when code B was
#: read from a picture of the card.
CHECKS = tuple(c for c in CheckId if c is not CheckId.PRINTED_FACE)
#: Checks that must have run and passed for GENUINE.
REQUIRED = (CheckId.CERTIFICATE_TRUSTED, CheckId.CARD_FACE_SIGNATURE, CheckId.CHIP_AUTHENTIC)

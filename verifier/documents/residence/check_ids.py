"""The residence card's check ids, in execution order: stable strings of the JSON, the audit
record and the docs. Light on purpose: the counter names the checks before any card is read."""

from __future__ import annotations

import enum

DOCUMENT = "residence_card"


class ResidenceCheck(enum.StrEnum):
    """Stable check ids of a residence-card verification, in execution order."""

    CHIP_PRESENT = "chip.present"
    DOCUMENT_TYPE = "document.type"  # MF EF02: a residence card of a supported type
    CARD_NUMBER_VERIFY = "card_number.verify"  # mutual authentication + VERIFY
    CERTIFICATE_TRUSTED = "certificate.trusted"  # DB / DD chained to a trusted Agency CA
    DOCUMENT_SIGNATURE = "document.signature"  # DA / DC over the signed target
    CARD_NOT_EXPIRED = "card.not_expired"  # second generation: C5 against today
    #: Only when the number came from a picture: the printed card against the chip (the
    #: counter's check, not run here).
    PRINTED_FACE = "printed_face.matches_chip"


#: The checks `check_residence_card` runs, in order.
STEPS = tuple(check for check in ResidenceCheck if check is not ResidenceCheck.PRINTED_FACE)

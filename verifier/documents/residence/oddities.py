"""Kinds of oddity in a residence chip's files: details outside the signed bytes that differ
from what the public readings describe. Logged and shown, never a reason for a verdict
(docs/evidence.md "Oddities"). Kinds shared with the My Number Card keep its ids.
"""

from __future__ import annotations

import enum


class ResidenceOddity(enum.StrEnum):
    #: 00 or FF bytes between objects (after the last one they are the file's normal padding).
    FILLER = "filler"
    #: An object the file does not define, after the signed ones.
    TRAILING_OBJECT = "trailing_object"
    #: An object the file does not define, among the signed ones or before them.
    UNKNOWN_OBJECT = "unknown_object"
    #: The objects are not in the known order (each is found by its tag).
    ORDER = "order"
    #: Bytes after the signed objects that do not read as objects; reading stopped there.
    UNPARSED_TAIL = "unparsed_tail"
    #: An unsigned object (card number C2, address image DFD1) is missing.
    MISSING_UNSIGNED = "missing_unsigned"
    #: An unsigned object is given more than once.
    DUPLICATE_UNSIGNED = "duplicate_unsigned"
    #: The chip's card number (C2, unsigned) is not the number the chip just accepted.
    CARD_NUMBER_DIFFERS = "card_number_differs"
    #: An SM answer carried a status (99) or MAC (8E) object after the cryptogram, unchecked.
    SM_TRAILER = "sm_trailer"
    #: The certificate is followed by 00 padding inside its object.
    CERTIFICATE_PADDING = "certificate_padding"
    #: The certificate is valid BER but not DER; it was read leniently.
    CERTIFICATE_BER = "certificate_ber"
    #: The signature verified over the other public reading's target (images padded to their
    #: maximum sizes), not over the spec's.
    SIGNED_TARGET_PADDED = "signed_target_padded"
    #: The ECDSA signature was DER-encoded, not 96 bytes r ‖ s.
    SIGNATURE_DER = "signature_der"

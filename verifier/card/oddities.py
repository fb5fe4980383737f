"""Kinds of oddity: a detail of a record's unsigned wrapping that differs from what is known.

The card format is known from public readers, not from J-LIS (design.md), so a genuine card of
another generation may wrap the same signed objects differently. Such details change nothing a
signature covers: they are recorded, logged and shown to developers, and never a reason for a
verdict. Each kind is a short stable id; the engine prefixes it with the file it was seen in
("card_face.offset_table"). An oddity never carries a field value or any personal data.
"""

from __future__ import annotations

import enum


class Oddity(enum.StrEnum):
    #: The offset table is missing, has the wrong size, or disagrees with where the objects are.
    OFFSET_TABLE = "offset_table"
    #: Filler bytes (00 or FF) between or after the objects, inside the outer object.
    FILLER = "filler"
    #: An object this record does not define, among the signed ones or before them.
    UNKNOWN_OBJECT = "unknown_object"
    #: An object this record does not define, after the last signed one.
    TRAILING_OBJECT = "trailing_object"
    #: An unsigned object (offset table, expiry, security code image) given more than once.
    DUPLICATE_UNSIGNED = "duplicate_unsigned"
    #: An unsigned object the known layout has (expiry, security code image) is absent.
    MISSING_UNSIGNED = "missing_unsigned"
    #: The record's objects are not in the known order (each is found by its tag).
    ORDER = "order"
    #: Bytes after the signed objects that do not read as objects; reading stopped there.
    UNPARSED_TAIL = "unparsed_tail"
    #: The expiry date is not 8 plain digits, but holds exactly 8 digits (2035/02/17).
    EXPIRY_FORMAT = "expiry_format"
    #: The expiry date holds no date this program can read.
    EXPIRY_UNREADABLE = "expiry_unreadable"
    #: The expiry date is given twice, with different dates.
    EXPIRY_CONFLICT = "expiry_conflict"
    #: The expiry date's year is not the expiry year of the code B the chip just accepted.
    EXPIRY_NOT_THE_CODES = "expiry_not_the_codes"

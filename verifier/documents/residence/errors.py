"""Outcomes of talking to a residence chip that end a reading, as one small error family. The
docstring is each class's default message.

None of these is evidence about the card (design.md rule 7): a number the chip rejected, a
card type not supported, a status word no genuine answer explains — each is 確認できず. The one
exception, `NoResidenceApplication`, is evidence only where the caller said the card on the
reader is a residence card (a number was typed) and the chip answered "not found" twice.
Evidence from bytes is `verifier.errors.MalformedData`, raised by records.py; transport
problems are `apdu.errors.CardError`, passed through untouched.
"""

from __future__ import annotations

import enum

from apdu.response import StatusWord
from verifier.documents.residence.card_type import CardType
from verifier.errors import VerifierError


class ResidenceError(VerifierError):
    """The residence card could not be read."""


class NoResidenceApplication(ResidenceError):
    """The chip holds no residence-card application: MF EF02 and DF1 answered "not found"
    (DF1 asked twice)."""


class NotSupported(ResidenceError):
    """特定在留カード / 特定特別永住者証明書 (types 07/08) use another application: not
    supported."""

    def __init__(self, card_type: CardType) -> None:
        super().__init__(f"card type {card_type.code} (特定在留カード等) is not supported")
        self.card_type = card_type


class Stage(enum.StrEnum):
    """Where the number was rejected."""

    MUTUAL_AUTHENTICATE = "mutual_authenticate"  # 63 00, or a MAC that cannot match
    VERIFY = "verify"  # 63 00 (63Cx from a card that counts)


class NumberRejected(ResidenceError):
    """The chip does not accept this card number: check it against the card; if it is right,
    the printed card does not belong to this chip. Never evidence."""

    def __init__(self, stage: Stage, sw: StatusWord | None = None) -> None:
        super().__init__(f"the card number was rejected at {stage.value}"
                         + (f" (SW {sw})" if sw is not None else ""))
        self.stage = stage
        self.sw = sw

    @property
    def retries_left(self) -> int | None:
        """What a card that counts (63Cx) says is left; None for 63 00 or a MAC mismatch."""
        return None if self.sw is None else self.sw.retries_left


class ReadFailed(ResidenceError):
    """The card answered a status word no genuine answer explains (a transient one after one
    resend, or an unexpected one): read it again."""

    def __init__(self, what: str, sw: StatusWord) -> None:
        super().__init__(f"{what}: SW {sw}")
        self.what = what
        self.sw = sw


class FileNotFound(ResidenceError):
    """A file every genuine card of this type has was not found after the number opened the
    chip. Not evidence: 確認できず gives a forger nothing."""

    def __init__(self, what: str, sw: StatusWord) -> None:
        super().__init__(f"{what} not found (SW {sw})")
        self.what = what
        self.sw = sw


class SecureMessagingFailed(ResidenceError):
    """An answer under secure messaging could not be opened (nonces out of place, no
    cryptogram, bad padding). Not evidence: nothing signed was judged."""


class TooManyExchanges(ResidenceError):
    """The card handed out a file in more pieces than any genuine card needs."""

"""What a residence-card verification found, as values the engine turns into a verdict: check
ids, reasons, which reasons are evidence, and the result of the numbered steps.

The reason strings that mean the same as the My Number Card's keep its values
(`verifier.engine.verdict.Reason`), so the engine's evidence rule can take the union of both
tables. The rule for this document, in this one place:

- evidence (COUNTERFEIT_SUSPECTED): `EVIDENCE`;
- a real chip that is not an acceptable ID (INVALID_CARD): `INVALIDATING`;
- everything else is NOT_VERIFIED: a number rejected, a card type not supported, no Agency CA
  installed, a layout the readings do not cover, a transient status word, our own failure.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from apdu.errors import CardError
from verifier.documents.residence.card_type import CardType, Document, Generation
from verifier.documents.residence.check_ids import ResidenceCheck
from verifier.documents.residence.errors import (
    FileNotFound,
    NoResidenceApplication,
    NotSupported,
    NumberRejected,
    ReadFailed,
    SecureMessagingFailed,
    TooManyExchanges,
)
from verifier.documents.residence.reader import FileForm
from verifier.documents.residence.records import BackEntries, PrintedEntries
from verifier.documents.residence.signature import ChainFinding, SignatureFinding
from verifier.engine.faults import reason_for_card_error
from verifier.errors import MalformedData, UnsupportedLayout


class ResidenceReason(enum.StrEnum):
    # evidence
    NO_RESIDENCE_APPLICATION = "no_residence_application"
    UNKNOWN_AUTHORITY = "unknown_authority"
    BAD_CERTIFICATE_SIGNATURE = "bad_certificate_signature"
    BAD_SIGNATURE = "bad_signature"
    MALFORMED_DATA = "malformed_data"
    PRINTED_FACE_DIFFERS = "printed_face_differs"
    # a real chip, not an acceptable ID
    EXPIRED = "expired"
    UNTRUSTED_HIERARCHY = "untrusted_hierarchy"  # the Agency's test CA, not named
    # not verified
    NUMBER_REJECTED = "number_rejected"
    NUMBER_ALREADY_REJECTED = "number_already_rejected"  # the counter's memory: not sent again
    NO_NUMBER = "no_number"
    NOT_SUPPORTED = "not_supported"  # 特定在留カード等 (07/08)
    NO_PRODUCTION_CA = "no_production_ca"  # install the Agency's CA certificates
    CA_NOT_INSTALLED = "ca_not_installed"  # some of them: the card may be one of those CAs'
    UNSUPPORTED_LAYOUT = "unsupported_layout"
    READ_FAILED = "read_failed"
    TIMEOUT = "timeout"
    CARD_REMOVED = "card_removed"
    NO_CARD = "no_card"
    NO_READER = "no_reader"
    SERVICE_NOT_RUNNING = "service_not_running"
    READER_BUSY = "reader_busy"
    NO_CHIP_ANSWER = "no_chip_answer"
    KEY_CLOSED = "key_closed"  # the card was reset under us: the secure session is gone
    READER_ERROR = "reader_error"
    INTERNAL_ERROR = "internal_error"


EVIDENCE = frozenset({
    ResidenceReason.NO_RESIDENCE_APPLICATION, ResidenceReason.UNKNOWN_AUTHORITY,
    ResidenceReason.BAD_CERTIFICATE_SIGNATURE, ResidenceReason.BAD_SIGNATURE,
    ResidenceReason.MALFORMED_DATA, ResidenceReason.PRINTED_FACE_DIFFERS})
INVALIDATING = frozenset({ResidenceReason.EXPIRED, ResidenceReason.UNTRUSTED_HIERARCHY})
#: Checks that must have run and passed for GENUINE.
REQUIRED_FOR_GENUINE = (ResidenceCheck.CERTIFICATE_TRUSTED, ResidenceCheck.DOCUMENT_SIGNATURE)


def reason_for_error(error: Exception) -> ResidenceReason:
    """The reason a step fails with for an error raised inside it. Only MalformedData (and a
    chip sending more than was asked, or no residence application where one was claimed) is
    evidence; anything of ours is never."""
    if isinstance(error, CardError):
        return _card_error_reason(error)
    mapping: tuple[tuple[type[Exception], ResidenceReason], ...] = (
        (NoResidenceApplication, ResidenceReason.NO_RESIDENCE_APPLICATION),
        (NotSupported, ResidenceReason.NOT_SUPPORTED),
        (NumberRejected, ResidenceReason.NUMBER_REJECTED),
        (ReadFailed, ResidenceReason.READ_FAILED),
        (FileNotFound, ResidenceReason.READ_FAILED),
        (SecureMessagingFailed, ResidenceReason.READ_FAILED),
        (TooManyExchanges, ResidenceReason.TIMEOUT),
        (MalformedData, ResidenceReason.MALFORMED_DATA),
        (UnsupportedLayout, ResidenceReason.UNSUPPORTED_LAYOUT),
    )
    for kind, reason in mapping:
        if isinstance(error, kind):
            return reason
    return ResidenceReason.INTERNAL_ERROR


def _card_error_reason(error: CardError) -> ResidenceReason:
    """As the engine maps a reader's or transport's error for every document (one table:
    `engine.faults`), in this document's reasons, which keep the engine's strings."""
    return ResidenceReason(reason_for_card_error(error).value)


class Outcome(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"  # not applicable to this card (gen 1 has no expiry on the chip)
    NOT_RUN = "not_run"  # an earlier step failed


@dataclass(frozen=True)
class Step:
    check: ResidenceCheck
    outcome: Outcome
    reason: ResidenceReason | None = None
    detail: str = ""  # English, technical, nothing personal (the engine words it for clerks)


@dataclass(frozen=True)
class ResidenceContents:
    """What the chip holds for the clerk, present only once the Agency's signature verified
    (design.md rule 4). Images are undecoded (images.py decodes them, with limits)."""

    card_type: CardType
    photo_jp2: bytes
    front_image_tiff: bytes | None = None  # first generation: the whole front of the card
    name_image_tiff: bytes | None = None  # second generation
    address_image_tiff: bytes | None = None  # second generation, unsigned
    entries: PrintedEntries | None = None  # second generation
    back: BackEntries | None = None  # DF2, unsigned, when read

    def __repr__(self) -> str:
        return f"ResidenceContents({self.card_type.code}, <personal data>)"


@dataclass(frozen=True)
class ResidenceResult:
    steps: tuple[Step, ...]
    card_type: CardType | None
    chain: ChainFinding | None
    signature: SignatureFinding | None
    contents: ResidenceContents | None
    oddities: tuple[str, ...]  # "<file>.<kind>", never a value
    form: FileForm | None  # which addressing the card answered
    exchanges: int

    def step(self, check: ResidenceCheck) -> Step:
        return next(step for step in self.steps if step.check is check)

    @property
    def failed(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.outcome is Outcome.FAILED)

    @property
    def evidence(self) -> bool:
        return any(step.reason in EVIDENCE for step in self.failed)

    @property
    def invalid(self) -> bool:
        return not self.evidence and any(step.reason in INVALIDATING for step in self.failed)

    @property
    def genuine(self) -> bool:
        """Every step that ran passed, and the certificate and the signature ran."""
        return not self.failed and all(self.step(check).outcome is Outcome.PASSED
                                       for check in REQUIRED_FOR_GENUINE)

    @property
    def document(self) -> Document | None:
        return None if self.card_type is None else self.card_type.document

    @property
    def generation(self) -> Generation | None:
        return None if self.card_type is None else self.card_type.generation

    def __repr__(self) -> str:
        shown = ", ".join(f"{s.check}:{s.outcome}" + (f":{s.reason}" if s.reason else "")
                          for s in self.steps)
        return f"ResidenceResult({shown})"

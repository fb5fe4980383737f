"""Verdicts, checks and the result of one verification, and their JSON form."""

from __future__ import annotations

import base64
import enum
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from verifier.card.values import Sex, yyyymmdd


class Verdict(enum.Enum):
    GENUINE = "GENUINE"
    COUNTERFEIT_SUSPECTED = "COUNTERFEIT_SUSPECTED"
    INVALID_CARD = "INVALID_CARD"
    NOT_VERIFIED = "NOT_VERIFIED"

    @property
    def label_ja(self) -> str:
        return _LABELS_JA[self]

    @property
    def label_en(self) -> str:
        return _LABELS_EN[self]


_LABELS_JA = {Verdict.GENUINE: "真正", Verdict.COUNTERFEIT_SUSPECTED: "偽造の疑い",
              Verdict.INVALID_CARD: "無効なカード", Verdict.NOT_VERIFIED: "確認できず"}
_LABELS_EN = {Verdict.GENUINE: "Genuine", Verdict.COUNTERFEIT_SUSPECTED: "Counterfeit suspected",
              Verdict.INVALID_CARD: "Invalid card", Verdict.NOT_VERIFIED: "Not verified"}

#: Severity order used to pick the worst verdict of a batch.
VERDICT_SEVERITY = (Verdict.GENUINE, Verdict.NOT_VERIFIED, Verdict.INVALID_CARD,
                    Verdict.COUNTERFEIT_SUSPECTED)


def worst(verdicts: list[Verdict]) -> Verdict:
    return max(verdicts, key=VERDICT_SEVERITY.index, default=Verdict.GENUINE)


class Outcome(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"  # deliberately not run (an option, or not applicable)
    NOT_RUN = "not_run"  # an earlier step ended the verification first


#: A check's stable id ("chip.present", "code_b.verify", ...): each document package names its
#: own checks (a StrEnum, whose members are these strings); the engine knows only these two.
CheckId = str
#: The chip answered at all: the first check of every document (a connect error fails it).
CHIP_PRESENT = "chip.present"
#: Only when the key was read from a picture of the card: the printed face against the chip.
PRINTED_FACE = "printed_face.matches_chip"


class Reason(enum.StrEnum):
    """Why a check failed, machine-readable; the verdict is derived from these."""

    # evidence of counterfeit (docs/evidence.md: each is positive evidence, never a fault)
    NO_CARD_FACE_AP = "no_card_face_ap"
    BAD_CERTIFICATE_SIGNATURE = "bad_certificate_signature"
    UNKNOWN_AUTHORITY = "unknown_authority"
    MALFORMED_DATA = "malformed_data"
    BAD_SIGNATURE = "bad_signature"
    CHALLENGE_FAILED = "challenge_failed"
    INCONSISTENT = "inconsistent"
    # a real chip, but not an acceptable ID
    UNTRUSTED_HIERARCHY = "untrusted_hierarchy"
    EXPIRED = "expired"
    # could not decide
    CODE_REJECTED = "code_rejected"
    #: this card already rejected this very code in this session: it is not sent again
    CODE_ALREADY_REJECTED = "code_already_rejected"
    TOO_FEW_TRIES = "too_few_tries"
    BLOCKED = "blocked"  # the chip answered 6984 or 63C0: its code is locked
    #: the tries query was refused or answered unclearly: no count, and no lock either
    TRIES_UNCLEAR = "tries_unclear"
    #: the chip answered the challenge with no signature (a status word, or nothing): it did not
    #: prove it holds the card's key. Not evidence (our command form could be wrong for a card
    #: generation not seen), and never a reading fault: the document is not accepted
    CHIP_REFUSED_CHALLENGE = "chip_refused_challenge"
    #: a card is on the reader but its chip gives no usable answer to reset or to commands
    NO_CHIP_ANSWER = "no_chip_answer"
    NO_CODE = "no_code"
    CARD_REMOVED = "card_removed"
    NO_CARD = "no_card"  # none was placed: nothing was removed either
    NO_READER = "no_reader"
    SERVICE_NOT_RUNNING = "service_not_running"  # the PC/SC service (pcscd, SCardSvr)
    READER_BUSY = "reader_busy"  # another program holds the card: nothing was sent to it
    READER_ERROR = "reader_error"
    TIMEOUT = "timeout"
    READ_FAILED = "read_failed"  # a transient or unexplained status word: read again
    KEY_OPEN = "key_open"  # another program opened the key, and it could not be closed
    KEY_CLOSED = "key_closed"  # the key closed under us (the card was reset by someone)
    INTERNAL_ERROR = "internal_error"  # a fault of this program, never of the card
    #: Signed data that verified but is in a form this program does not know: the issuer
    #: signed it, so it is our reading of the format that failed, never evidence.
    UNSUPPORTED_LAYOUT = "unsupported_layout"
    # evidence too: a genuine chip under a printed face read surely and not its own
    PRINTED_FACE_DIFFERS = "printed_face_differs"
    # The residence card's (verifier.documents.residence.outcome keeps the same strings).
    #: evidence: no residence application although the clerk gave a card number, i.e. said
    #: the card is one (the My Number Card's NO_CARD_FACE_AP for this document)
    NO_RESIDENCE_APPLICATION = "no_residence_application"
    #: the chip did not accept the card number: re-check it (never evidence: typos happen)
    NUMBER_REJECTED = "number_rejected"
    #: this card already rejected this very number in this session: it is not sent again
    NUMBER_ALREADY_REJECTED = "number_already_rejected"
    NO_NUMBER = "no_number"
    #: a document of a kind this program does not read (特定在留カード, types 07/08)
    NOT_SUPPORTED = "not_supported"
    #: no CA certificate of the issuer is installed: nothing can be judged until one is
    NO_PRODUCTION_CA = "no_production_ca"
    #: some of the issuer's CA certificates are not installed: the card may be one of theirs
    CA_NOT_INSTALLED = "ca_not_installed"


#: The evidence rule (rule 7), in this one place: only these reasons make a verdict
#: COUNTERFEIT_SUSPECTED. Every other failure is NOT_VERIFIED (or INVALID_CARD below).
COUNTERFEIT_REASONS = frozenset({
    Reason.NO_CARD_FACE_AP, Reason.BAD_CERTIFICATE_SIGNATURE,
    Reason.UNKNOWN_AUTHORITY, Reason.MALFORMED_DATA, Reason.BAD_SIGNATURE,
    Reason.CHALLENGE_FAILED, Reason.INCONSISTENT, Reason.PRINTED_FACE_DIFFERS,
    Reason.NO_RESIDENCE_APPLICATION})
INVALID_REASONS = frozenset({Reason.UNTRUSTED_HIERARCHY, Reason.EXPIRED})


@dataclass(frozen=True)
class Detail:
    ja: str
    en: str


@dataclass(frozen=True)
class Check:
    id: CheckId
    outcome: Outcome
    detail: Detail
    reason: Reason | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": str(self.id), "outcome": self.outcome.value,
                               "detail": {"ja": self.detail.ja, "en": self.detail.en}}
        if self.reason is not None:
            out["reason"] = self.reason.value
        return out


@dataclass(frozen=True)
class CardSummary:
    """What may be logged: no personal data."""

    hierarchy: str | None = None
    #: who certified the card's key, and that certificate's subject, as printable names
    #: (a My Number key id "5000023/001", a residence-card CA's name)
    issuer_key_id: str | None = None
    subject_key_id: str | None = None
    expiry: date | None = None  # not personal, and needed to act on INVALID_CARD
    retries_left: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"hierarchy": self.hierarchy, "issuer_key_id": self.issuer_key_id,
                "subject_key_id": self.subject_key_id,
                "expiry": yyyymmdd(self.expiry) if self.expiry else None,
                "retries_left": self.retries_left}


@dataclass(frozen=True)
class PersonalData:
    """Shown to the clerk, never logged. Images are raw chip bytes, already signature-checked."""

    birth_date: date | None = None
    sex: Sex | None = None
    name_png: bytes | None = None
    address_png: bytes | None = None
    photo_jp2: bytes | None = None
    photo_png: bytes | None = None  # decoded after the signature verified (rule 4)
    text_name: str | None = None
    text_address: str | None = None
    #: the whole front of the card as its chip stores it (the residence card's first
    #: generation), decoded after the signature verified: the clerk holds the card against it
    front_png: bytes | None = None
    #: printed entries the chip holds as text, each with its label, in the card's order (the
    #: residence card's second generation: nationality, status of residence, ...)
    entries: tuple[tuple[Detail, str], ...] = ()
    #: the address image is not covered by the issuer's signature (the residence card's)
    address_unsigned: bool = False
    #: the nationality or region code the chip holds (the residence card's second generation)
    nationality: str | None = None

    def to_json(self) -> dict[str, Any]:
        def b64(value: bytes | None) -> str | None:
            return base64.b64encode(value).decode("ascii") if value is not None else None

        return {"birth_date": yyyymmdd(self.birth_date) if self.birth_date else None,
                "sex": self.sex.code if self.sex else None,
                "name_png": b64(self.name_png), "address_png": b64(self.address_png),
                "photo_jp2": b64(self.photo_jp2), "photo_png": b64(self.photo_png),
                "text_name": self.text_name, "text_address": self.text_address,
                "front_png": b64(self.front_png),
                "entries": [{"label": {"ja": label.ja, "en": label.en}, "value": value}
                            for label, value in self.entries],
                "address_unsigned": self.address_unsigned, "nationality": self.nationality}

    def __repr__(self) -> str:  # keep personal data out of tracebacks and debug logs
        return "PersonalData(<redacted>)"


@dataclass(frozen=True)
class Result:
    verdict: Verdict
    checks: tuple[Check, ...]
    card: CardSummary = field(default_factory=CardSummary)
    personal: PersonalData | None = None
    apdu_count: int = 0
    elapsed_ms: float = 0.0
    simulated: bool = False
    #: Code B was read from a picture of the card (and confirmed), not typed.
    code_from_image: bool = False
    #: Unsigned details of the chip's layout that differ from what is known (an offset table
    #: that disagrees, an object after the signed ones, filler, ...): stable short ids such as
    #: "card_face.offset_table", for developers; never a reason, never personal data.
    oddities: tuple[str, ...] = ()
    #: Which document the chip answered as ("my_number_card", "residence_card", ...; None when
    #: no chip answered), and its generation where a document has several.
    document: str | None = None
    generation: int | None = None
    #: The checks that must have run and passed for GENUINE (the document's own).
    required: tuple[CheckId, ...] = ()

    def check(self, check_id: CheckId) -> Check | None:
        return next((c for c in self.checks if c.id == check_id), None)

    @property
    def failing_check(self) -> Check | None:
        """The first failed check, the one that decided the verdict."""
        return next((c for c in self.checks if c.outcome is Outcome.FAILED), None)

    def to_json(self, *, include_personal_data: bool = False) -> dict[str, Any]:
        failing = self.failing_check
        out: dict[str, Any] = {
            "verdict": self.verdict.value,
            "failing_check": str(failing.id) if failing else None,
            "checks": [c.to_json() for c in self.checks],
            "card": self.card.to_json(),
            "apdu_count": self.apdu_count,
            "elapsed_ms": round(self.elapsed_ms, 3),
            "simulated": self.simulated,
            "document": self.document,
        }
        if self.generation is not None:
            out["generation"] = self.generation
        if self.code_from_image:
            out["code_from_image"] = True
        if self.oddities:
            out["oddities"] = list(self.oddities)
        if include_personal_data and self.personal is not None:
            out["personal"] = self.personal.to_json()
        return out



def decide(checks: tuple[Check, ...], required: tuple[CheckId, ...]) -> Verdict:
    """The verdict follows from the checks alone (design.md's table); `required`: the checks
    of the document that must have run and passed for GENUINE."""
    failed = [c for c in checks if c.outcome is Outcome.FAILED]
    if any(c.reason in COUNTERFEIT_REASONS for c in failed):
        return Verdict.COUNTERFEIT_SUSPECTED
    if any(c.reason in INVALID_REASONS for c in failed):
        return Verdict.INVALID_CARD
    if failed:
        return Verdict.NOT_VERIFIED
    passed = {c.id for c in checks if c.outcome is Outcome.PASSED}
    if required and all(check_id in passed for check_id in required):
        return Verdict.GENUINE
    return Verdict.NOT_VERIFIED

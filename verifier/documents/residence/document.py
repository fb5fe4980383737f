"""The 在留カード and the 特別永住者証明書 as one document of the counter: recognised by their card
type in MF EF02, opened with the card number printed on the front, trusted through the
Immigration Services Agency's CA certificates that an administrator installed.

The steps themselves are `verification.ResidenceCheckRun`'s; this module runs them in the
engine's frame (deadline, abandon, the count of exchanges, the Result) and words them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from verifier.card.trust_files import starts_with
from verifier.documents.residence import words
from verifier.documents.residence.card_number import CardNumber
from verifier.documents.residence.card_type import CardType
from verifier.documents.residence.outcome import (
    REQUIRED_FOR_GENUINE,
    Outcome,
    ResidenceCheck,
    ResidenceContents,
    ResidenceReason,
    Step,
)
from verifier.documents.residence.reader import Forms as ResidenceForms
from verifier.documents.residence.trust import (
    AGENCY_TEST,
    PRODUCTION,
    SIMULATED,
    CaFileError,
    LoadedCertificate,
    ResidenceTrust,
    load_certificate_file,
    load_certificates,
)
from verifier.documents.residence.verification import ResidenceCheckRun
from verifier.documents.residence.words import CHECK_NAMES, EITHER
from verifier.engine import messages as m
from verifier.engine.document import (
    Found,
    KeyGate,
    KeyKind,
    Options,
    Recognition,
    TrustRequest,
)
from verifier.engine.steps import Channel, StepCallback, StepRunner
from verifier.engine.verdict import CardSummary, Check, Detail, PersonalData, Reason, Result
from verifier.engine.verdict import Outcome as EngineOutcome
from verifier.errors import ConfigError, MalformedData, TrustFileError

log = logging.getLogger(__name__)

NAME = "residence_card"
#: The built-in file of the simulated CAs' certificates (testcards' public halves).
SIMULATED_CA_FILE = "simulated-residence-ca.pem"


def _reason(reason: ResidenceReason) -> Reason:
    """The residence reasons are the engine's strings (outcome.py keeps them so)."""
    return Reason(reason.value)


def _check(step: Step, card_type: CardType | None) -> Check:
    if step.outcome is Outcome.PASSED:
        return words.passed(step.check, card_type, step.detail)
    if step.outcome is Outcome.FAILED and step.reason is not None:
        return words.failed(step.check, _reason(step.reason), step.detail)
    if step.outcome is Outcome.SKIPPED:
        return words.skipped(step.check)
    return Check(step.check, EngineOutcome.NOT_RUN, m.NOT_RUN)


class ResidenceVerification(StepRunner):
    """One residence card at the counter: precheck (steps 1-2, nothing secret sent) and verify
    (the number sent once, then the certificate, the signature and the expiry)."""

    DOCUMENT = NAME
    CHECK_ORDER = tuple(ResidenceCheck)
    REQUIRED = REQUIRED_FOR_GENUINE

    def __init__(self, channel: Channel, options: Options, trust: ResidenceTrust,
                 run: ResidenceCheckRun, *,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        super().__init__(channel, simulated=options.simulated, deadline_s=options.deadline_s,
                         clock=clock)
        self._options = options
        self._trust = trust.for_card(simulated=options.simulated)
        self._residence = run
        self._contents: ResidenceContents | None = None
        self._summary = CardSummary()

    @property
    def card_type(self) -> CardType | None:
        return self._residence.card_type

    def precheck(self, on_step: StepCallback | None = None) -> Result:
        """chip.present and document.type: no number is sent."""
        def steps() -> None:
            self._identify(on_step)

        return self._timed(on_step, steps)

    def verify(self, key: Any, on_step: StepCallback | None = None, *,
               code_printed: bool = False, gate: KeyGate | None = None) -> Result:
        """The card number sent once; `gate` may refuse to send it (the counter's memory of
        numbers this card rejected): the number step then fails with the gate's reason."""
        number = key if isinstance(key, CardNumber) else None

        def steps() -> None:
            if not self._identify(on_step):
                return
            refused = gate(number) if gate is not None and number is not None else None
            if refused is not None:
                self._residence.refuse(ResidenceReason.NUMBER_REJECTED, "not sent")
                self._sync()
                self._checks[ResidenceCheck.CARD_NUMBER_VERIFY] = words.failed(
                    ResidenceCheck.CARD_NUMBER_VERIFY, refused)
                return
            self._residence.finish(number, self._trust, today=self._options.today,
                                   on_step=on_step)
            self._sync()

        return self._timed(on_step, steps)

    def _identify(self, on_step: StepCallback | None) -> bool:
        going_on = self._residence.identify(on_step)
        self._sync()
        return going_on

    def _sync(self) -> None:
        """The residence steps so far as the engine's checks (those not run only once the
        verification ended), and what the card showed."""
        result = self._residence.result()
        card_type = result.card_type
        ended = self._residence.finished or any(step.outcome is Outcome.FAILED
                                                for step in result.steps)
        for step in result.steps:
            if step.outcome is not Outcome.NOT_RUN or ended:
                self._checks[step.check] = _check(step, card_type)
        if card_type is not None:
            self.DOCUMENT = card_type.document.value
            self._generation = int(card_type.generation)
        self._oddities = list(result.oddities)
        authority = result.chain.authority if result.chain is not None else None
        if result.contents is not None and self._contents is None:
            self._contents = result.contents
            self._personal = _personal(result.contents, decode=self._options.decode_photo)
        entries = self._contents.entries if self._contents is not None else None
        self._summary = CardSummary(
            hierarchy=authority.hierarchy if authority is not None else None,
            issuer_key_id=authority.name if authority is not None else None,
            expiry=entries.expiry if entries is not None else None)

    def _card_summary(self) -> CardSummary:
        return self._summary

    def identity(self) -> tuple[bytes, ...]:
        """What the chip answered without the number: its ATR and card type."""
        card_type = self.card_type
        return self._atr, card_type.value if card_type is not None else b""

    def card_key(self) -> bytes | None:
        """The signed photo, once verified: what tells one card from every other."""
        if self._contents is None:
            return None
        return hashlib.sha256(self._contents.photo_jp2).digest()


def _decoded(decode: Callable[[bytes], bytes], data: bytes | None, what: str) -> bytes | None:
    if not data:
        return None
    try:
        return decode(data)
    except MalformedData as error:
        log.warning("%s could not be decoded: %s", what, error)
        return None


def _personal(contents: ResidenceContents, *, decode: bool) -> PersonalData:
    """What the clerk compares with the person and the card. Images are decoded only when the
    front end shows them, and only here: after the signature verified (rule 4)."""
    from verifier.documents.residence.images import decode_photo, decode_tiff

    entries = contents.entries
    photo_png = front_png = name_png = address_png = None
    if decode:
        photo_png = _decoded(decode_photo, contents.photo_jp2, "photo")
        front_png = _decoded(decode_tiff, contents.front_image_tiff, "front-of-card image")
        name_png = _decoded(decode_tiff, contents.name_image_tiff, "name image")
        address_png = _decoded(decode_tiff, contents.address_image_tiff, "address image")
    shown: list[tuple[Detail, str]] = []
    if entries is not None:
        def day(value: date | None) -> str:
            return value.isoformat() if value is not None else ""

        shown = [(words.BIRTH, day(entries.birth)),
                 (words.SEX, words.SEXES.get(entries.sex, entries.sex)),
                 (words.NATIONALITY, entries.nationality)]
        if entries.status:
            shown.append((words.STATUS, entries.status))
        if entries.period_of_stay:
            shown.append((words.PERIOD, entries.period_of_stay))
        if entries.residence_expiry:
            shown.append((words.RESIDENCE_EXPIRY, day(entries.residence_expiry)))
        if entries.permission_type:
            shown.append((words.PERMISSION, entries.permission_type))
        if entries.permission_date:
            shown.append((words.PERMISSION_DATE, day(entries.permission_date)))
        if entries.work_restriction:
            shown.append((words.WORK, entries.work_restriction))
        shown.append((words.CARD_EXPIRY, day(entries.expiry)))
    return PersonalData(birth_date=entries.birth if entries else None,
                        name_png=name_png, address_png=address_png,
                        photo_jp2=contents.photo_jp2, photo_png=photo_png,
                        front_png=front_png, entries=tuple(shown),
                        address_unsigned=contents.address_image_tiff is not None,
                        nationality=entries.nationality if entries else None)


# --- trust ------------------------------------------------------------------------------------
def simulated_cas() -> list[LoadedCertificate]:
    """The simulated CAs' certificates (the built-in `simulated` hierarchy), each named by
    its subject's common name."""
    data = resources.files("verifier").joinpath("data", SIMULATED_CA_FILE).read_bytes()
    return [replace(loaded, member=_common_name(loaded) or loaded.member)
            for loaded in load_certificates(data, name=SIMULATED_CA_FILE)]


def _common_name(loaded: LoadedCertificate) -> str | None:
    from cryptography.x509.oid import NameOID

    names = loaded.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else None


def takes_trust_file(path: Path) -> bool:
    """X.509 CA certificates, DER or PEM (one or more)."""
    return starts_with(path, b"-----BEGIN CERTIFICATE", b"\x30\x82")


class ResidenceCard:
    name = NAME
    title = EITHER
    key_kind = KeyKind.CARD_NUMBER
    check_names: Mapping[str, Any] = CHECK_NAMES

    def trust(self, request: TrustRequest) -> ResidenceTrust:
        """The Agency's CAs installed (`mynacheck trust add`), accepted as production; its
        test CA when named; the X.509 trust files given (trusted as the operator's); and the
        simulated CA when named or for the simulated-card plug-in's own cards. (The checks
        accept the simulated CA only on a simulated card: its private keys are public.)"""
        accepted = {PRODUCTION, *(name for name in request.hierarchies
                                  if name in (AGENCY_TEST, SIMULATED))}
        try:
            store = (ResidenceTrust.from_directory(request.installed, accepted)
                     if request.installed is not None else ResidenceTrust(accepted=accepted))
            if request.in_process_simulated or SIMULATED in request.hierarchies:
                store = store.with_cas(simulated_cas(), hierarchy=SIMULATED)
            for path in request.files:
                if takes_trust_file(path):
                    store = store.with_cas(load_certificate_file(path), hierarchy="operator")
        except TrustFileError as error:
            raise ConfigError(str(error)) from error
        return store

    def accepts_trust_file(self, path: Path) -> bool:
        return takes_trust_file(path)

    def trust_file_keys(self, path: Path) -> tuple[PublicKeyTypes, ...]:
        """The public keys of the CA certificates in a trust file of this format."""
        try:
            return tuple(loaded.certificate.public_key()
                         for loaded in load_certificate_file(path))
        except CaFileError as error:
            raise TrustFileError(str(error)) from error

    def recognise(self, channel: Channel) -> Recognition:
        """MF EF02's card type. The run that asked is handed to the verification, so that
        nothing is asked twice."""
        forms = (channel.forms.others.setdefault(NAME, ResidenceForms())
                 if channel.forms is not None else None)
        run = ResidenceCheckRun(channel.link, forms=forms, t0=channel.t0)
        run.identify()
        result = run.result()
        if run.card_type is not None:
            return Recognition(Found.YES, run)
        failed = next((step for step in result.steps if step.outcome is Outcome.FAILED), None)
        if failed is not None and failed.reason is ResidenceReason.NO_RESIDENCE_APPLICATION:
            return Recognition(Found.NO, run)
        return Recognition(Found.UNCLEAR, run)

    def verification(self, channel: Channel, options: Options, trust: Any,
                     recognition: Recognition, *,
                     clock: Callable[[], float] = time.perf_counter,
                     nonce: Callable[[int], bytes] = os.urandom) -> ResidenceVerification:
        assert isinstance(trust, ResidenceTrust)
        run = recognition.answer
        if not isinstance(run, ResidenceCheckRun) or run.finished \
                or recognition.found is not Found.YES:
            # asked afresh: a retyped number, or a chip whose first answer was unclear
            forms = (channel.forms.others.setdefault(NAME, ResidenceForms())
                     if channel.forms is not None else None)
            run = ResidenceCheckRun(channel.link, forms=forms, t0=channel.t0, random=nonce)
        return ResidenceVerification(channel, options, trust, run, clock=clock)


RESIDENCE = ResidenceCard()

"""The residence card's steps in the engine's frame: `verification.ResidenceCheckRun` run under
the engine's deadline, abandon guard and count of exchanges, each step worded as a `Check`, and
what a genuine card shows the clerk as `PersonalData`."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from verifier.documents.residence import words
from verifier.documents.residence.card_number import CardNumber
from verifier.documents.residence.card_type import CardType
from verifier.documents.residence.check_ids import DOCUMENT, ResidenceCheck
from verifier.documents.residence.outcome import (
    REQUIRED_FOR_GENUINE,
    Outcome,
    ResidenceContents,
    ResidenceReason,
    Step,
)
from verifier.documents.residence.trust import ResidenceTrust
from verifier.documents.residence.verification import ResidenceCheckRun
from verifier.engine import messages as m
from verifier.engine.document import KeyGate, Options
from verifier.engine.steps import Channel, StepCallback, StepRunner
from verifier.engine.verdict import CardSummary, Check, Detail, PersonalData, Reason, Result
from verifier.engine.verdict import Outcome as EngineOutcome
from verifier.errors import MalformedData

log = logging.getLogger(__name__)


def _reason(reason: ResidenceReason) -> Reason:
    """The residence reasons are the engine's strings (outcome.py keeps them so)."""
    return Reason(reason.value)


def _check(step: Step, card_type: CardType | None, authority: str | None) -> Check:
    if step.outcome is Outcome.PASSED:
        return words.passed(step.check, card_type, step.detail, authority)
    if step.outcome is Outcome.FAILED and step.reason is not None:
        return words.failed(step.check, _reason(step.reason), step.detail)
    if step.outcome is Outcome.SKIPPED:
        return words.skipped(step.check)
    return Check(step.check, EngineOutcome.NOT_RUN, m.NOT_RUN)


class ResidenceVerification(StepRunner):
    """One residence card at the counter: precheck (steps 1-2, nothing secret sent) and verify
    (the number sent once, then the certificate, the signature and the expiry)."""

    DOCUMENT = DOCUMENT
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
                self._residence.refuse(ResidenceReason(refused.value),
                                       "not sent: this card rejected it before")
            else:
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
        authority = result.chain.authority if result.chain is not None else None
        for step in result.steps:
            if step.outcome is not Outcome.NOT_RUN or ended:
                self._checks[step.check] = _check(step, card_type,
                                                  authority.name if authority else None)
        if card_type is not None:
            self.DOCUMENT = card_type.document.value
            self._generation = int(card_type.generation)
        self._oddities = list(result.oddities)
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
        """Nothing: without its number a residence chip answers as every other of its type
        (the same ATR, the same card-type file), so it cannot be told from the next
        customer's card until its signed photo is read (`card_key`)."""
        return ()

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

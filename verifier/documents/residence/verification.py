"""One residence card verified, as numbered steps each producing a `Step` (design.md
conventions): the engine wraps this in its own Result, wording and deadline.

1. chip.present — the chip answers at all.
2. document.type — MF EF02: types 1/2/05/06 go on; 07/08 not supported; no residence
   application (not found, twice) is evidence only because the caller typed a card number,
   i.e. said this is a residence card.
3. card_number.verify — mutual authentication and the one VERIFY.
4. certificate.trusted — DF3 read (with DF1, after the VERIFY) and the card certificate
   chained to the store.
5. document.signature — the signed bytes located and the Agency's signature checked over them;
   only then are the chip's values read and its images released.
6. card.not_expired — second generation: the signed expiry (C5) against today. The first
   generation stores its expiry only inside the front-of-card image: skipped, and the clerk
   compares the image.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from apdu.errors import CardError
from apdu.transport import Transport
from verifier.documents.residence import records
from verifier.documents.residence.card_number import CardNumber
from verifier.documents.residence.card_type import CardType
from verifier.documents.residence.certificate import parse_card_certificate
from verifier.documents.residence.check_ids import STEPS, ResidenceCheck
from verifier.documents.residence.oddities import ResidenceOddity
from verifier.documents.residence.outcome import (
    Outcome,
    ResidenceContents,
    ResidenceReason,
    ResidenceResult,
    Step,
    reason_for_error,
)
from verifier.documents.residence.reader import (
    ChipFiles,
    FirstGenerationFiles,
    Forms,
    ResidenceReader,
    SecondGenerationFiles,
)
from verifier.documents.residence.signature import (
    ChainFinding,
    ChainStatus,
    SignatureFinding,
    SignatureStatus,
    check_chain,
    verify_first_generation,
    verify_second_generation,
)
from verifier.documents.residence.trust import SIMULATED, ResidenceTrust
from verifier.errors import VerifierError

_CHAIN_REASONS = {
    ChainStatus.UNKNOWN_AUTHORITY: ResidenceReason.UNKNOWN_AUTHORITY,
    ChainStatus.BAD_CERTIFICATE_SIGNATURE: ResidenceReason.BAD_CERTIFICATE_SIGNATURE,
    ChainStatus.NO_PRODUCTION_CA: ResidenceReason.NO_PRODUCTION_CA,
    ChainStatus.CA_NOT_INSTALLED: ResidenceReason.CA_NOT_INSTALLED,
    ChainStatus.UNSUPPORTED: ResidenceReason.UNSUPPORTED_LAYOUT,
}


def chain_reason(finding: ChainFinding) -> ResidenceReason | None:
    """None when trusted. A CA of the store that is not accepted: the simulated CA means a chip
    signed with this repository's public test keys — nobody we trust issued it; the Agency's
    test CA means a real sample card, not an ID."""
    if finding.status is ChainStatus.TRUSTED:
        return None
    if finding.status is ChainStatus.NOT_ACCEPTED:
        authority = finding.authority
        if authority is not None and authority.hierarchy == SIMULATED:
            return ResidenceReason.UNKNOWN_AUTHORITY
        return ResidenceReason.UNTRUSTED_HIERARCHY
    return _CHAIN_REASONS[finding.status]


@dataclass
class _Run:
    """The steps so far, and what they found."""

    steps: list[Step] = field(default_factory=list)
    oddities: list[str] = field(default_factory=list)
    card_type: CardType | None = None
    chain: ChainFinding | None = None
    signature: SignatureFinding | None = None
    contents: ResidenceContents | None = None
    #: told each check's id as it starts (a front end's progress)
    on_step: Callable[[ResidenceCheck], None] | None = None

    def starting(self, check: ResidenceCheck) -> None:
        if self.on_step is not None:
            self.on_step(check)

    def passed(self, check: ResidenceCheck, detail: str = "") -> None:
        self.steps.append(Step(check, Outcome.PASSED, None, detail))

    def failed(self, check: ResidenceCheck, reason: ResidenceReason, detail: str) -> None:
        self.steps.append(Step(check, Outcome.FAILED, reason, detail))

    def error(self, check: ResidenceCheck, error: Exception) -> None:
        # Our errors' and apdu's messages carry no personal data; another library's might.
        known = isinstance(error, VerifierError | CardError)
        self.failed(check, reason_for_error(error), str(error) if known
                    else type(error).__name__)

    def odd(self, where: str, kinds: Iterable[ResidenceOddity]) -> None:
        self.oddities.extend(f"{where}.{kind}" for kind in kinds)

    @property
    def ended(self) -> bool:
        return any(step.outcome is Outcome.FAILED for step in self.steps)


class ResidenceCheckRun:
    """One card's steps in two phases, on one connection: `identify` (steps 1-2, nothing
    secret sent: what the counter asks to recognise the document) and `finish` (steps 3-6: the
    one VERIFY and everything after it). `result` is what has been found so far."""

    def __init__(self, transport: Transport, *, forms: Forms | None = None, t0: bool = False,
                 random: Callable[[int], bytes] = os.urandom) -> None:
        self.reader = ResidenceReader(transport, forms=forms, t0=t0, random=random)
        self._run = _Run()
        self._identified = False
        self._finished = False

    @property
    def card_type(self) -> CardType | None:
        return self._run.card_type

    @property
    def finished(self) -> bool:
        return self._finished

    def identify(self, on_step: Callable[[ResidenceCheck], None] | None = None) -> bool:
        """Steps 1-2, once; whether the card may go on to the number."""
        if not self._identified:
            self._identified = True
            self._run.on_step = on_step
            _identify(self.reader, self._run)
        return not self._run.ended

    def refuse(self, reason: ResidenceReason, detail: str) -> None:
        """The number is not sent (the counter's reason: this card rejected it before)."""
        if self.identify() and not self._finished:
            self._finished = True
            self._run.failed(ResidenceCheck.CARD_NUMBER_VERIFY, reason, detail)

    def finish(self, number: CardNumber | None, trust: ResidenceTrust, *, today: date,
               now: datetime | None = None,
               on_step: Callable[[ResidenceCheck], None] | None = None,
               back_entries: bool = False, card_number_file: bool = False) -> None:
        """Steps 3-6 with `number` sent once (a second call sends nothing). `now` dates the
        certificates (default: today at noon UTC); `back_entries` reads DF2;
        `card_number_file` the second generation's stored number (unsigned: one that is not
        the number the chip accepted is an oddity, one exchange more)."""
        run = self._run
        if not self.identify(on_step) or self._finished:
            return
        self._finished = True
        run.on_step = on_step
        moment = now or datetime(today.year, today.month, today.day, 12, tzinfo=UTC)
        files = _open(self.reader, number, run) and _read(
            self.reader, run, back_entries=back_entries, card_number_file=card_number_file)
        if files:
            _judge(files, trust, moment, today, run)
            if number is not None and isinstance(files, SecondGenerationFiles) \
                    and files.card_number_file is not None:
                stored = records.read_card_number_file(files.card_number_file)
                run.odd("card_number", stored.oddities)
                if stored.value is not None and stored.value != number.to_bytes():
                    run.odd("card_number", [ResidenceOddity.CARD_NUMBER_DIFFERS])

    def result(self) -> ResidenceResult:
        run = self._run
        done = {step.check for step in run.steps}
        steps = [*run.steps, *(Step(check, Outcome.NOT_RUN) for check in STEPS
                               if check not in done)]
        return ResidenceResult(tuple(steps), run.card_type, run.chain, run.signature,
                               run.contents, tuple(dict.fromkeys(run.oddities)),
                               self.reader.form_used, self.reader.stats.exchanges)


def check_residence_card(transport: Transport, number: CardNumber | None,
                         trust: ResidenceTrust, *, today: date, now: datetime | None = None,
                         forms: Forms | None = None, t0: bool = False,
                         back_entries: bool = False, card_number_file: bool = False,
                         random: Callable[[int], bytes] = os.urandom) -> ResidenceResult:
    """Every step on one card (see `ResidenceCheckRun`)."""
    run = ResidenceCheckRun(transport, forms=forms, t0=t0, random=random)
    run.finish(number, trust, today=today, now=now, back_entries=back_entries,
               card_number_file=card_number_file)
    return run.result()


def _identify(reader: ResidenceReader, run: _Run) -> None:
    # 1-2. chip.present, document.type
    run.starting(ResidenceCheck.CHIP_PRESENT)
    try:
        recognition = reader.recognise()
    except Exception as error:  # each error has its reason; none escapes a verification
        if isinstance(error, CardError):  # the link, not what the chip holds
            run.error(ResidenceCheck.CHIP_PRESENT, error)
            return
        run.passed(ResidenceCheck.CHIP_PRESENT)
        run.card_type = reader.recognition.card_type if reader.recognition else None
        run.error(ResidenceCheck.DOCUMENT_TYPE, error)
        return
    run.passed(ResidenceCheck.CHIP_PRESENT)
    run.card_type = recognition.card_type
    run.passed(ResidenceCheck.DOCUMENT_TYPE, f"card type {recognition.card_type.code}")


def _open(reader: ResidenceReader, number: CardNumber | None, run: _Run) -> bool:
    # 3. card_number.verify
    run.starting(ResidenceCheck.CARD_NUMBER_VERIFY)
    if number is None:
        run.failed(ResidenceCheck.CARD_NUMBER_VERIFY, ResidenceReason.NO_NUMBER,
                   "no card number was given")
        return False
    try:
        reader.open(number)
    except Exception as error:
        run.error(ResidenceCheck.CARD_NUMBER_VERIFY, error)
        return False
    run.passed(ResidenceCheck.CARD_NUMBER_VERIFY)
    return True


def _read(reader: ResidenceReader, run: _Run, *, back_entries: bool,
          card_number_file: bool) -> ChipFiles | None:
    try:
        files = reader.read(back_entries=back_entries, card_number_file=card_number_file)
    except Exception as error:
        run.error(ResidenceCheck.CERTIFICATE_TRUSTED, error)
        return None
    run.odd("secure_messaging", [ResidenceOddity.SM_TRAILER] if files.sm_trailers else [])
    return files


def _judge(files: ChipFiles, trust: ResidenceTrust, moment: datetime, today: date,
           run: _Run) -> None:
    # 4. certificate.trusted
    run.starting(ResidenceCheck.CERTIFICATE_TRUSTED)
    try:
        located = records.locate_signature_file(files.signature_file, files.generation)
        run.odd("signature_file", located.oddities)
        certificate = parse_card_certificate(located.certificate)
        run.odd("certificate", certificate.oddities)
        chain = check_chain(certificate, files.generation, trust, at=moment)
    except Exception as error:
        run.error(ResidenceCheck.CERTIFICATE_TRUSTED, error)
        return
    run.chain = chain
    reason = chain_reason(chain)
    if reason is not None:
        run.failed(ResidenceCheck.CERTIFICATE_TRUSTED, reason, chain.status.value)
        return
    authority = chain.authority.name if chain.authority else ""
    run.passed(ResidenceCheck.CERTIFICATE_TRUSTED, f"issued by {authority}; CA dates "
               f"{chain.ca_dates.value if chain.ca_dates else '-'}")
    # 5. document.signature, then the values
    run.starting(ResidenceCheck.DOCUMENT_SIGNATURE)
    try:
        if isinstance(files, FirstGenerationFiles):
            _first_generation(files, chain, located, run)
        else:
            _second_generation(files, chain, located, run, today)
    except Exception as error:
        signed = any(step.check is ResidenceCheck.DOCUMENT_SIGNATURE for step in run.steps)
        run.error(ResidenceCheck.CARD_NOT_EXPIRED if signed
                  else ResidenceCheck.DOCUMENT_SIGNATURE, error)


def _signature_step(finding: SignatureFinding, run: _Run) -> bool:
    run.signature = finding
    run.odd("signature", finding.oddities)
    if finding.status is SignatureStatus.VALID:
        run.passed(ResidenceCheck.DOCUMENT_SIGNATURE, finding.detail)
        return True
    reason = (ResidenceReason.BAD_SIGNATURE if finding.status is SignatureStatus.INVALID
              else ResidenceReason.UNSUPPORTED_LAYOUT)
    run.failed(ResidenceCheck.DOCUMENT_SIGNATURE, reason, finding.detail)
    return False


def _first_generation(files: FirstGenerationFiles, chain: ChainFinding,
                      located: records.SignatureFile, run: _Run) -> None:
    images = records.locate_front_and_photo(files.front_image_file, files.photo_file)
    run.odd("images", images.oddities)
    if not _signature_step(verify_first_generation(chain.certificate, located, images), run):
        return
    back = records.read_back_entries(files.back_files) if files.back_files else None
    run.contents = ResidenceContents(files.card_type, photo_jp2=images.photo,
                                     front_image_tiff=images.front_image, back=back)
    # 6. the first generation's expiry is printed inside the front image only
    run.steps.append(Step(ResidenceCheck.CARD_NOT_EXPIRED, Outcome.SKIPPED, None,
                          "first generation: the expiry is in the front-of-card image"))


def _second_generation(files: SecondGenerationFiles, chain: ChainFinding,
                       located: records.SignatureFile, run: _Run, today: date) -> None:
    entries = records.locate_printed_entries(files.printed_entries_file)
    images = records.locate_name_and_photo(files.images_file)
    run.odd("printed_entries", entries.oddities)
    run.odd("images", images.oddities)
    finding = verify_second_generation(chain.certificate, located, entries, images,
                                       files.card_type)
    if not _signature_step(finding, run):
        return
    values = records.read_printed_entries(entries)
    address = (records.read_address_image_file(files.address_file)
               if files.address_file is not None else None)
    if address is not None:
        run.odd("address_image", address.oddities)
    back = records.read_back_entries(files.back_files) if files.back_files else None
    run.contents = ResidenceContents(files.card_type, photo_jp2=images.photo,
                                     name_image_tiff=images.name_image,
                                     address_image_tiff=address.value if address else None,
                                     entries=values, back=back)
    # 6. card.not_expired: valid through its expiry day
    if values.expiry < today:
        run.failed(ResidenceCheck.CARD_NOT_EXPIRED, ResidenceReason.EXPIRED,
                   "the card's expiry date has passed")
    else:
        run.passed(ResidenceCheck.CARD_NOT_EXPIRED)

"""The 在留カード and the 特別永住者証明書 as one document of the counter: recognised by their card
type in MF EF02, opened with the card number printed on the front, trusted through the
Immigration Services Agency's CA certificates that an administrator installed.

This module is what the counter holds from start-up, so it stays light: the chip protocol, the
certificates and the steps (`checks.py`) are imported when a card is read.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verifier.card.trust_files import starts_with
from verifier.documents.residence.card_type import Document as CardDocument
from verifier.documents.residence.check_ids import DOCUMENT
from verifier.documents.residence.words import CHECK_NAMES, EITHER
from verifier.engine.document import Found, KeyKind, Options, Recognition, TrustRequest
from verifier.engine.steps import Channel
from verifier.errors import ConfigError, TrustFileError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

    from verifier.documents.residence.checks import ResidenceVerification
    from verifier.documents.residence.trust import LoadedCertificate, ResidenceTrust
    from verifier.documents.residence.verification import ResidenceCheckRun

NAME = DOCUMENT
#: The built-in file of the simulated CAs' certificates (testcards' public halves).
SIMULATED_CA_FILE = "simulated-residence-ca.pem"


# --- trust ------------------------------------------------------------------------------------
def simulated_cas() -> list[LoadedCertificate]:
    """The simulated CAs' certificates (the built-in `simulated` hierarchy), each named by
    its subject's common name."""
    from verifier.documents.residence.trust import load_certificates

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
    result_names = tuple(kind.value for kind in CardDocument)
    title = EITHER
    key_kind = KeyKind.CARD_NUMBER
    check_names: Mapping[str, Any] = CHECK_NAMES

    def trust(self, request: TrustRequest) -> ResidenceTrust:
        """The Agency's CAs installed (`mynacheck trust add`), accepted as production; its
        test CA when named; the X.509 trust files given (trusted as the operator's); and the
        simulated CA when named or for the simulated-card plug-in's own cards. (The checks
        accept the simulated CA only on a simulated card: its private keys are public.)"""
        from verifier.documents.residence.trust import (
            AGENCY_TEST,
            OPERATOR,
            PRODUCTION,
            SIMULATED,
            ResidenceTrust,
            load_certificate_file,
        )

        accepted = {PRODUCTION, *(name for name in request.hierarchies
                                  if name in (AGENCY_TEST, SIMULATED))}
        try:
            store = (ResidenceTrust.from_directory(request.installed, accepted)
                     if request.installed is not None else ResidenceTrust(accepted=accepted))
            if request.in_process_simulated or SIMULATED in request.hierarchies:
                store = store.with_cas(simulated_cas(), hierarchy=SIMULATED)
            for path in request.files:
                if takes_trust_file(path):
                    store = store.with_cas(load_certificate_file(path), hierarchy=OPERATOR)
        except TrustFileError as error:
            raise ConfigError(str(error)) from error
        return store

    def accepts_trust_file(self, path: Path) -> bool:
        return takes_trust_file(path)

    def trust_file_keys(self, path: Path) -> tuple[PublicKeyTypes, ...]:
        """The public keys of the CA certificates in a trust file of this format."""
        from verifier.documents.residence.trust import CaFileError, load_certificate_file

        try:
            return tuple(loaded.certificate.public_key()
                         for loaded in load_certificate_file(path))
        except CaFileError as error:
            raise TrustFileError(str(error)) from error

    def recognise(self, channel: Channel) -> Recognition:
        """MF EF02's card type. The run that asked is handed to the verification, so that
        nothing is asked twice."""
        from verifier.documents.residence.outcome import Outcome, ResidenceReason

        run = _new_run(channel)
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
        from verifier.documents.residence.checks import ResidenceVerification
        from verifier.documents.residence.trust import ResidenceTrust
        from verifier.documents.residence.verification import ResidenceCheckRun

        assert isinstance(trust, ResidenceTrust)
        run = recognition.answer
        if not isinstance(run, ResidenceCheckRun) or run.finished \
                or recognition.found is not Found.YES:
            # asked afresh: a retyped number, or a chip whose first answer was unclear
            run = _new_run(channel, random=nonce)
        return ResidenceVerification(channel, options, trust, run, clock=clock)


def _new_run(channel: Channel, *, random: Callable[[int], bytes] = os.urandom
             ) -> ResidenceCheckRun:
    """The residence steps on this channel, with the forms its reader already showed."""
    from verifier.documents.residence.reader import Forms
    from verifier.documents.residence.verification import ResidenceCheckRun

    forms = (channel.forms.others.setdefault(NAME, Forms()) if channel.forms is not None
             else None)
    return ResidenceCheckRun(channel.link, forms=forms, t0=channel.t0, random=random)


RESIDENCE = ResidenceCard()

"""Judging a card-verifiable certificate against the trust store, for either AP."""

from __future__ import annotations

from dataclasses import dataclass

from verifier.documents.my_number.crypto import verify_certificate
from verifier.documents.my_number.records import CertifiedKey, CvCertificate, read_certified_key
from verifier.documents.my_number.trust import SIMULATED, TrustAnchor, TrustStore
from verifier.engine.verdict import Reason

PURPOSE_CARD_FACE = "card-face-ap"
PURPOSE_TEXT = "text-ap"


@dataclass(frozen=True)
class CertificateFinding:
    certificate: CvCertificate
    issuer: str  # printable key id
    anchor: TrustAnchor | None  # set once the certificate's signature verified
    failure: Reason | None
    note: str = ""
    #: What the certificate certifies: read only once it is trusted (failure is None).
    certified: CertifiedKey | None = None

    @property
    def cause(self) -> str:
        hierarchy = f", hierarchy {self.anchor.hierarchy}" if self.anchor else ""
        return f"issuer {self.issuer}{hierarchy}{self.note}"


def judge_certificate(certificate: CvCertificate, trust: TrustStore, *, purpose: str,
                      simulated_card: bool) -> CertificateFinding:
    """Unknown authority, bad signature, untrusted hierarchy, or trusted — in that order.

    "Unknown authority" (nothing could be checked) stays distinct from "signature invalid".
    A known key of another AP's purpose is no authority for this one. The simulated CA's
    private keys are committed to the repository, so anyone can sign with them: on a card that
    is not a simulated one (in-process or on a virtual reader) they prove nothing at all.
    The certified key is read from the body only after all that: a body a trusted CA signed
    but whose key this program cannot read raises `UnsupportedLayout` (not evidence).
    """
    issuer = str(certificate.issuer_key_id)
    anchor = trust.lookup(certificate.issuer_key_id)
    if anchor is None or anchor.purpose != purpose:
        return CertificateFinding(certificate, issuer, None, Reason.UNKNOWN_AUTHORITY)
    if not verify_certificate(anchor.key, certificate):
        return CertificateFinding(certificate, issuer, None, Reason.BAD_CERTIFICATE_SIGNATURE)
    if anchor.hierarchy == SIMULATED and not simulated_card:
        return CertificateFinding(certificate, issuer, anchor, Reason.UNKNOWN_AUTHORITY,
                                  ": the simulated CA, whose keys are public, on a real reader")
    if not trust.accepts(anchor):
        return CertificateFinding(certificate, issuer, anchor, Reason.UNTRUSTED_HIERARCHY)
    return CertificateFinding(certificate, issuer, anchor, None,
                              certified=read_certified_key(certificate))

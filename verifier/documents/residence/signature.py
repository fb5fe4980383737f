"""Authenticity (spec 4): the card certificate chained to a CA of the store, then the Agency's
signature over exactly the signed target. Findings, not booleans, wherever the difference
decides a verdict:

- the chain: trusted; a known CA of a hierarchy not accepted (the Agency's test CA, this
  project's simulated CA); unknown authority (no CA issued it, and the store holds every CA
  that could have); a bad certificate signature (a CA it names, by key id or by name, did not
  sign it); no production CA installed, or some missing (never evidence: install them); a
  certificate in a form whose chain this program cannot judge;
- the CA's and the certificate's validity dates, reported apart and never a failure of the
  card (a card signed years ago chains to the CA of its time);
- the data signature: valid, invalid, or in a form this program does not read.

Signed targets, as the spec says:

- first generation: RSA-2048 PKCS#1 v1.5 with SHA-256 over pad_right(D0, 7000, 00) ‖
  pad_right(D1, 3000, 00), values only;
- second generation: ECDSA P-384 with SHA-256 over the printed entries' values (53 bytes; an
  SPR certificate's 34 padded with 00 to 53) ‖ D1 ‖ D0. The other public reading pads D1 to
  3000 and D0 to 2500 here too; where the images are shorter and the spec's target fails,
  that one is tried, and a pass on it is reported as an oddity. (On the Agency's example
  card both images fill their maxima and the two readings agree.)
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

from verifier.documents.residence import constants as c
from verifier.documents.residence.card_type import CardType, Generation
from verifier.documents.residence.certificate import CardCertificate, CertificateForm
from verifier.documents.residence.oddities import ResidenceOddity
from verifier.documents.residence.records import (
    FrontAndPhoto,
    NameAndPhoto,
    PrintedEntriesFile,
    SignatureFile,
)
from verifier.documents.residence.trust import PRODUCTION, AgencyCa, ResidenceTrust, TrustedCa

RSA_BITS = 2048
P384 = "secp384r1"

#: Certificate signature algorithms, by OID: the hash, and whether the key is RSA (PKCS#1 v1.5).
_ALGORITHMS: dict[str, tuple[hashes.HashAlgorithm, bool]] = {
    "1.2.840.113549.1.1.11": (hashes.SHA256(), True),
    "1.2.840.113549.1.1.12": (hashes.SHA384(), True),
    "1.2.840.113549.1.1.13": (hashes.SHA512(), True),
    "1.2.840.10045.4.3.2": (hashes.SHA256(), False),
    "1.2.840.10045.4.3.3": (hashes.SHA384(), False),
    "1.2.840.10045.4.3.4": (hashes.SHA512(), False),
}


# --- signed targets -----------------------------------------------------------------------------
def pad_right(value: bytes, size: int) -> bytes:
    """`value` followed by 00 up to `size` bytes (never cut: the records refused longer ones)."""
    return value + bytes(size - len(value))


def first_generation_target(images: FrontAndPhoto) -> bytes:
    """pad_right(D0, 7000, 00) ‖ pad_right(D1, 3000, 00): 10,000 bytes."""
    return (pad_right(images.front_image, c.FRONT_IMAGE_SIGNED_BYTES)
            + pad_right(images.photo, c.PHOTO_SIGNED_BYTES))


class TargetForm(enum.Enum):
    SPEC = "spec"  # entries ‖ D1 ‖ D0, as stored
    PADDED = "padded"  # the other reading: D1 padded to 3000, D0 to 2500


def second_generation_target(printed: bytes, images: NameAndPhoto,
                             form: TargetForm = TargetForm.SPEC) -> bytes:
    """The 53 signed bytes of printed entries ‖ D1 ‖ D0."""
    if form is TargetForm.PADDED:
        return (printed + pad_right(images.photo, max(c.PHOTO_MAX, len(images.photo)))
                + pad_right(images.name_image, max(c.NAME_IMAGE_MAX_2, len(images.name_image))))
    return printed + images.photo + images.name_image


# --- dates --------------------------------------------------------------------------------------
class Dates(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"


def dates_at(not_before: datetime, not_after: datetime, moment: datetime) -> Dates:
    if moment < not_before:
        return Dates.NOT_YET_VALID
    if moment > not_after:
        return Dates.EXPIRED
    return Dates.VALID


# --- the chain ----------------------------------------------------------------------------------
class ChainStatus(enum.Enum):
    TRUSTED = "trusted"
    NOT_ACCEPTED = "not_accepted"  # a CA of the store whose hierarchy is not accepted
    UNKNOWN_AUTHORITY = "unknown_authority"  # evidence
    BAD_CERTIFICATE_SIGNATURE = "bad_certificate_signature"  # evidence
    NO_PRODUCTION_CA = "no_production_ca"  # no Agency CA of this generation installed
    CA_NOT_INSTALLED = "ca_not_installed"  # some Agency CAs of this generation missing
    UNSUPPORTED = "unsupported"  # a certificate form or algorithm this program cannot judge


@dataclass(frozen=True)
class ChainFinding:
    status: ChainStatus
    authority: TrustedCa | None  # the CA that signed it (TRUSTED, NOT_ACCEPTED)
    certificate: CardCertificate
    generation: Generation
    missing: tuple[AgencyCa, ...]  # Agency CAs of this generation not installed
    certificate_dates: Dates
    ca_dates: Dates | None  # the authority's own validity; None without one

    @property
    def trusted(self) -> bool:
        return self.status is ChainStatus.TRUSTED

    @property
    def oddities(self) -> tuple[ResidenceOddity, ...]:
        return self.certificate.oddities


def _subject_key_id(ca: TrustedCa) -> bytes | None:
    try:
        return ca.certificate.extensions.get_extension_for_class(
            x509.SubjectKeyIdentifier).value.digest
    except (x509.ExtensionNotFound, ValueError):
        return None


def _names_match(certificate: CardCertificate, ca: TrustedCa) -> bool:
    try:
        subject = asn1_x509.Name.load(ca.certificate.subject.public_bytes())
        return bool(certificate.issuer == subject)
    except (ValueError, TypeError):
        return False


def _issued_by(certificate: CardCertificate, ca: TrustedCa) -> bool | None:
    """Whether `ca` signed the certificate's to-be-signed bytes; None: an algorithm this
    program does not verify (or a key that does not go with it)."""
    algorithm = _ALGORITHMS.get(certificate.signature_algorithm)
    if algorithm is None:
        return None
    digest, is_rsa = algorithm
    key = ca.certificate.public_key()
    try:
        if is_rsa and isinstance(key, rsa.RSAPublicKey):
            key.verify(certificate.signature, certificate.tbs, padding.PKCS1v15(), digest)
        elif not is_rsa and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(certificate.signature, certificate.tbs, ec.ECDSA(digest))
        else:
            return False  # a CA of the other key type did not sign it
    except InvalidSignature:
        return False
    except (ValueError, UnsupportedAlgorithm):
        return None
    return True


def check_chain(certificate: CardCertificate, generation: Generation, trust: ResidenceTrust,
                *, at: datetime) -> ChainFinding:
    """The chain of the card certificate, judged as the module docstring says."""
    cas = trust.for_generation(generation)
    missing = trust.missing(generation)
    card_dates = dates_at(certificate.not_before, certificate.not_after, at)

    def finding(status: ChainStatus, authority: TrustedCa | None = None) -> ChainFinding:
        ca_dates = None if authority is None else dates_at(
            authority.certificate.not_valid_before_utc, authority.certificate.not_valid_after_utc,
            at)
        return ChainFinding(status, authority, certificate, generation, missing, card_dates,
                            ca_dates)

    results = [(ca, _issued_by(certificate, ca)) for ca in cas]
    for ca, issued in results:
        if issued:
            return finding(ChainStatus.TRUSTED if trust.accepts(ca) else ChainStatus.NOT_ACCEPTED,
                           ca)
    if certificate.form is CertificateForm.BER or any(r is None for _, r in results):
        return finding(ChainStatus.UNSUPPORTED)
    aki = certificate.authority_key_id
    by_key_id = [ca for ca in cas if aki is not None and _subject_key_id(ca) == aki]
    by_name = [ca for ca in cas if _names_match(certificate, ca)]
    if by_key_id or (by_name and not missing):
        return finding(ChainStatus.BAD_CERTIFICATE_SIGNATURE)
    if by_name or missing:
        production = any(ca.hierarchy == PRODUCTION for ca in cas)
        return finding(ChainStatus.CA_NOT_INSTALLED if production
                       else ChainStatus.NO_PRODUCTION_CA)
    return finding(ChainStatus.UNKNOWN_AUTHORITY)


# --- the data signature -------------------------------------------------------------------------
class SignatureStatus(enum.Enum):
    VALID = "valid"
    INVALID = "invalid"  # evidence: the data changed after the Agency signed it
    UNSUPPORTED = "unsupported"  # a key or signature form this program does not read


@dataclass(frozen=True)
class SignatureFinding:
    status: SignatureStatus
    detail: str
    oddities: tuple[ResidenceOddity, ...] = ()

    @property
    def valid(self) -> bool:
        return self.status is SignatureStatus.VALID


def verify_first_generation(certificate: CardCertificate, signature_file: SignatureFile,
                            images: FrontAndPhoto) -> SignatureFinding:
    """DA over the two padded images under the certified RSA-2048 key. Call only once the
    chain is trusted (the key is then the Agency's)."""
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size != RSA_BITS:
        return SignatureFinding(SignatureStatus.UNSUPPORTED,
                                "the certified key is not RSA-2048")
    if len(signature_file.signature) != c.RSA_SIGNATURE_BYTES:
        return SignatureFinding(SignatureStatus.INVALID,
                                f"a {len(signature_file.signature)}-byte check code")
    try:
        key.verify(signature_file.signature, first_generation_target(images), padding.PKCS1v15(),
                   hashes.SHA256())
    except InvalidSignature:
        return SignatureFinding(SignatureStatus.INVALID, "the check code (DA) does not verify")
    return SignatureFinding(SignatureStatus.VALID, "the check code (DA) verifies")


def _ecdsa_der(signature: bytes) -> tuple[bytes, tuple[ResidenceOddity, ...]] | None:
    """The signature as DER for cryptography: 96 bytes are r ‖ s; DER is taken as it is (with
    its 00 padding cut); anything else is None."""
    if len(signature) == c.ECDSA_SIGNATURE_BYTES:
        half = c.ECDSA_SIGNATURE_BYTES // 2
        r, s = int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
        return utils.encode_dss_signature(r, s), ()
    for candidate in (signature, signature.rstrip(b"\x00")):
        try:
            utils.decode_dss_signature(candidate)
        except ValueError:
            continue
        return candidate, (ResidenceOddity.SIGNATURE_DER,)
    return None


def verify_second_generation(certificate: CardCertificate, signature_file: SignatureFile,
                             entries: PrintedEntriesFile, images: NameAndPhoto,
                             card_type: CardType) -> SignatureFinding:
    """DC over entries ‖ D1 ‖ D0 under the certified P-384 key. Call only once the chain is
    trusted. UnsupportedLayout (raised) when the entries do not add up to the signed size."""
    key = certificate.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != P384:
        return SignatureFinding(SignatureStatus.UNSUPPORTED,
                                "the certified key is not ECDSA P-384")
    printed = entries.signed_part(card_type)
    decoded = _ecdsa_der(signature_file.signature)
    if decoded is None:
        return SignatureFinding(SignatureStatus.UNSUPPORTED,
                                f"a {len(signature_file.signature)}-byte signature that is "
                                "neither r ‖ s nor DER")
    der, oddities = decoded
    forms = [TargetForm.SPEC]
    if len(images.photo) < c.PHOTO_MAX or len(images.name_image) < c.NAME_IMAGE_MAX_2:
        forms.append(TargetForm.PADDED)
    for form in forms:
        try:
            key.verify(der, second_generation_target(printed, images, form),
                       ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            continue
        extra = (ResidenceOddity.SIGNED_TARGET_PADDED,) if form is TargetForm.PADDED else ()
        return SignatureFinding(SignatureStatus.VALID, "the signature (DC) verifies",
                                (*oddities, *extra))
    return SignatureFinding(SignatureStatus.INVALID, "the signature (DC) does not verify",
                            oddities)

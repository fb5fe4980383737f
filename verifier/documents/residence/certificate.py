"""The card certificate (DB / DD): an X.509 v3 certificate issued by an Agency CA, read as the
chip stores it.

Real cards are known (the other public reading's notes) to pad the certificate with 00 to the
object's fixed size, and some encoders write BER that strict DER parsers refuse (an ECDSA
algorithm identifier with NULL parameters, indefinite lengths). So the certificate is read in
three forms, strictest first: exact DER (`cryptography`), DER followed by 00 padding, and BER
(asn1crypto, lenient). The CA's signature is always checked over the to-be-signed bytes exactly
as they stand. Bytes that are not a certificate in any form are `MalformedData` — junk where
the certificate must be is evidence; a BER form is an oddity, and a chain that fails on one is
not judged (signature.py).
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from verifier.documents.residence.oddities import ResidenceOddity
from verifier.documents.residence.tlv import header
from verifier.errors import MalformedData, UnsupportedLayout


class CertificateForm(enum.Enum):
    DER = "der"
    DER_PADDED = "der_padded"  # DER, then 00 bytes inside the object
    BER = "ber"  # read leniently


@dataclass(frozen=True, eq=False)
class CardCertificate:
    """What the chain and the data signature need from the card certificate."""

    form: CertificateForm
    der: bytes  # the certificate's own bytes, padding removed
    tbs: bytes  # the to-be-signed part exactly as stored: what the CA signed
    signature: bytes  # the CA's signature value
    signature_algorithm: str  # dotted OID
    issuer: Any  # asn1crypto Name: compared the RFC 5280 way (case, spaces)
    authority_key_id: bytes | None
    not_before: datetime
    not_after: datetime
    spki: Any  # asn1crypto PublicKeyInfo
    oddities: tuple[ResidenceOddity, ...]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.der).hexdigest()

    def public_key(self) -> PublicKeyTypes:
        """The certified key. Called only once the CA's signature verified: a key in a form
        `cryptography` refuses is then our reading's failure (`UnsupportedLayout`)."""
        for force in (False, True):
            try:
                return serialization.load_der_public_key(self.spki.dump(force=force))
            except (ValueError, TypeError):
                continue
        raise UnsupportedLayout("the card certificate's public key is in a form this program "
                                "does not read")

    def __repr__(self) -> str:
        return f"CardCertificate({self.form.value}, {self.sha256[:16]}…)"


def _outer_length(value: bytes) -> int | None:
    try:
        _, header_len, length = header(value)
    except MalformedData:
        return None
    return header_len + length


def _trailing_oddities(rest: bytes) -> list[ResidenceOddity]:
    if not rest:
        return []
    if rest.strip(b"\x00"):
        return [ResidenceOddity.UNPARSED_TAIL]
    return [ResidenceOddity.CERTIFICATE_PADDING]


def parse_card_certificate(value: bytes) -> CardCertificate:
    """The certificate in DB / DD. MalformedData when the bytes are not a certificate."""
    for form, candidate in ((CertificateForm.DER, value), (CertificateForm.DER_PADDED, None)):
        if candidate is None:
            end = _outer_length(value)
            if end is None or end >= len(value) or value[end:].strip(b"\x00"):
                continue
            candidate = value[:end]
        try:
            x509.load_der_x509_certificate(candidate)
        except ValueError:
            continue
        return _read(candidate, form, _trailing_oddities(value[len(candidate):]))
    return _read_ber(value)


def _read(der: bytes, form: CertificateForm, oddities: list[ResidenceOddity]) -> CardCertificate:
    try:
        cert = asn1_x509.Certificate.load(der)
        return _fields(cert, der, form, oddities)
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        # cryptography read it, asn1crypto not: our tooling disagrees, not the card
        raise UnsupportedLayout(f"card certificate: {type(error).__name__}") from None


def _read_ber(value: bytes) -> CardCertificate:
    try:
        cert = asn1_x509.Certificate.load(value, strict=False)
        consumed = len(cert.dump())
        parsed = _fields(cert, bytes(value[:consumed]), CertificateForm.BER,
                         [ResidenceOddity.CERTIFICATE_BER])
    except Exception as error:  # hostile bytes may fail anywhere in a lenient parser
        raise MalformedData(f"card certificate: not an X.509 certificate "
                            f"({type(error).__name__})") from None
    rest = value[consumed:]
    return replace(parsed, oddities=(*parsed.oddities, *_trailing_oddities(rest)))


def _fields(cert: Any, der: bytes, form: CertificateForm,
            oddities: list[ResidenceOddity]) -> CardCertificate:
    tbs = cert["tbs_certificate"]
    validity = tbs["validity"]
    return CardCertificate(
        form=form, der=der, tbs=bytes(tbs.dump()),
        signature=bytes(cert["signature_value"].native),
        signature_algorithm=str(cert["signature_algorithm"]["algorithm"].dotted),
        issuer=tbs["issuer"], authority_key_id=cert.authority_key_identifier,
        not_before=validity["not_before"].native, not_after=validity["not_after"].native,
        spki=tbs["subject_public_key_info"], oddities=tuple(dict.fromkeys(oddities)))

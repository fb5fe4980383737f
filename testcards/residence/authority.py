"""The simulated Agency CA of each generation, the card certificates it issues, and the
counterfeiter's certificates the forged profiles carry.

Every certificate is built by `cryptography` from the committed TEST-ONLY keys, with fixed
names, serials and dates and deterministic signatures (RSA PKCS#1 v1.5; ECDSA per RFC 6979),
so each run builds the same bytes. The names say "simulated": no one can take them for the
Agency's.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from testcards.residence import keys
from verifier.documents.residence.card_type import Generation
from verifier.documents.residence.trust import (
    SIMULATED,
    LoadedCertificate,
    ResidenceTrust,
)

ECDSA_HALF = 48  # bytes of r and of s on P-384


class Issuer(enum.Enum):
    """Who issued a card's certificate (DB / DD)."""

    SIMULATED = "simulated"  # the simulated Agency CA: a genuine simulated card
    FORGED_CA = "forged-ca"  # the counterfeiter's own CA, under its own name
    FORGED_ISSUER = "forged-issuer"  # names the simulated CA, signed by the counterfeiter


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "mynacheck simulated"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


_CA_NAMES = {Generation.FIRST: _name("Simulated ZairyuCard CA"),
             Generation.SECOND: _name("Simulated ZairyuCard CA2")}
_FORGER_NAMES = {Generation.FIRST: _name("ZairyuCard CA (forged)"),
                 Generation.SECOND: _name("ZairyuCard CA2 (forged)")}
_CA_KEYS = {Generation.FIRST: keys.CA_1, Generation.SECOND: keys.CA_2}
_SIGNER_KEYS = {Generation.FIRST: keys.SIGNER_1, Generation.SECOND: keys.SIGNER_2}
_FORGER_KEYS = {Generation.FIRST: keys.FORGER_1, Generation.SECOND: keys.FORGER_2}
CA_VALIDITY = (datetime(2015, 6, 6, tzinfo=UTC), datetime(2040, 6, 5, tzinfo=UTC))
CARD_CERT_VALIDITY = (datetime(2015, 6, 6, tzinfo=UTC), datetime(2038, 6, 5, tzinfo=UTC))


def _sign(builder: x509.CertificateBuilder, key: keys.PrivateKey) -> x509.Certificate:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return builder.sign(key, hashes.SHA256(), ecdsa_deterministic=True)
    return builder.sign(key, hashes.SHA256())


def _ski(key: keys.PrivateKey) -> x509.SubjectKeyIdentifier:
    return x509.SubjectKeyIdentifier.from_public_key(key.public_key())


@dataclass(frozen=True)
class _Ca:
    name: x509.Name
    key: str
    serial: int


def _self_signed(ca: _Ca) -> x509.Certificate:
    key = keys.private_key(ca.key)
    builder = (x509.CertificateBuilder()
               .subject_name(ca.name).issuer_name(ca.name).public_key(key.public_key())
               .serial_number(ca.serial)
               .not_valid_before(CA_VALIDITY[0]).not_valid_after(CA_VALIDITY[1])
               .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                            key_encipherment=False, data_encipherment=False,
                                            key_agreement=False, key_cert_sign=True,
                                            crl_sign=True, encipher_only=False,
                                            decipher_only=False), critical=True)
               .add_extension(_ski(key), critical=False))
    return _sign(builder, key)


@cache
def ca_certificate(generation: Generation) -> x509.Certificate:
    """The simulated Agency CA of a generation (RSA-2048 or ECDSA P-384), self-signed."""
    return _self_signed(_Ca(_CA_NAMES[generation], _CA_KEYS[generation], 0x5A1000 + generation))


@cache
def forger_ca_certificate(generation: Generation) -> x509.Certificate:
    """The counterfeiter's CA, under its own name: in no trust store."""
    return _self_signed(_Ca(_FORGER_NAMES[generation], _FORGER_KEYS[generation],
                            0xF0F000 + generation))


def signing_key(generation: Generation, issuer: Issuer) -> keys.PrivateKey:
    """The key that signs the card's data: the certified signer's, or the forger's own."""
    if issuer is Issuer.SIMULATED:
        return keys.private_key(_SIGNER_KEYS[generation])
    return keys.private_key(_FORGER_KEYS[generation])


@cache
def card_certificate(generation: Generation, issuer: Issuer) -> bytes:
    """The DER card certificate (DB / DD) certifying the data-signing key."""
    if issuer is Issuer.SIMULATED:
        issuer_name, issuer_key = _CA_NAMES[generation], keys.private_key(_CA_KEYS[generation])
        aki_key = issuer_key
    elif issuer is Issuer.FORGED_CA:
        issuer_name = _FORGER_NAMES[generation]
        issuer_key = aki_key = keys.private_key(_FORGER_KEYS[generation])
    else:  # the simulated CA's name and key id, the counterfeiter's signature
        issuer_name, issuer_key = _CA_NAMES[generation], keys.private_key(_FORGER_KEYS[generation])
        aki_key = keys.private_key(_CA_KEYS[generation])
    subject_key = signing_key(generation, issuer)
    suffix = "" if generation is Generation.FIRST else "2"
    builder = (x509.CertificateBuilder()
               .subject_name(_name(f"Simulated ZairyuCard Signer{suffix}"))
               .issuer_name(issuer_name).public_key(subject_key.public_key())
               .serial_number(0x5A2000 + 16 * generation + list(Issuer).index(issuer))
               .not_valid_before(CARD_CERT_VALIDITY[0]).not_valid_after(CARD_CERT_VALIDITY[1])
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                            key_encipherment=False, data_encipherment=False,
                                            key_agreement=False, key_cert_sign=False,
                                            crl_sign=False, encipher_only=False,
                                            decipher_only=False), critical=True)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                   aki_key.public_key()), critical=False))
    return _sign(builder, issuer_key).public_bytes(Encoding.DER)


def sign_first_generation(target: bytes, issuer: Issuer) -> bytes:
    """DA: RSA PKCS#1 v1.5 with SHA-256, 256 bytes."""
    key = signing_key(Generation.FIRST, issuer)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("the first generation signs with RSA")
    return key.sign(target, padding.PKCS1v15(), hashes.SHA256())


def sign_second_generation(target: bytes, issuer: Issuer) -> bytes:
    """DC: ECDSA P-384 with SHA-256 (RFC 6979), as 96 bytes r ‖ s."""
    key = signing_key(Generation.SECOND, issuer)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise TypeError("the second generation signs with ECDSA")
    der = key.sign(target, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    r, s = utils.decode_dss_signature(der)
    return r.to_bytes(ECDSA_HALF, "big") + s.to_bytes(ECDSA_HALF, "big")


def simulated_ca_certificates() -> list[x509.Certificate]:
    """Both generations' simulated CA certificates: what a store trusts for simulated cards."""
    return [ca_certificate(generation) for generation in Generation]


def simulated_ca_pem() -> bytes:
    """The same as one PEM file, e.g. for `--trust-file` in training."""
    return b"".join(cert.public_bytes(Encoding.PEM) for cert in simulated_ca_certificates())


def simulated_trust(*, accept: bool = True) -> ResidenceTrust:
    """A store holding only the simulated CAs, accepting them (in-process simulated cards), or
    not (`accept=False`: a simulated card as a real reader would see it)."""
    loaded = [LoadedCertificate(f"simulated CA {index + 1}", cert, cert.public_bytes(Encoding.DER))
              for index, cert in enumerate(simulated_ca_certificates())]
    return ResidenceTrust(accepted=()).with_cas(loaded, hierarchy=SIMULATED, accept=accept)

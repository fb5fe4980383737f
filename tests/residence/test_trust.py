"""The Agency CA table and `trust add`: a file whose certificates are all in the table installs,
one byte changed is refused, PEM bundles and ZIP members are found. Then the chain findings that
decide a verdict: trusted, unknown authority, bad certificate signature, and the cases that are
never evidence (no production CA, some missing, a test CA not named).

No Agency certificate is in this repository, so the install tests give the functions a table
holding the simulated CAs' fingerprints instead of the shipped one (a parameter, not a mock)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from testcards.residence import authority
from testcards.residence.authority import Issuer
from testcards.residence.builder import build_residence_card
from tests.residence.conftest import TODAY, verdict_of
from verifier.documents.residence.card_type import Generation
from verifier.documents.residence.certificate import CertificateForm, parse_card_certificate
from verifier.documents.residence.check_ids import ResidenceCheck
from verifier.documents.residence.oddities import ResidenceOddity
from verifier.documents.residence.outcome import ResidenceReason
from verifier.documents.residence.signature import ChainFinding, ChainStatus, Dates, check_chain
from verifier.documents.residence.trust import (
    AGENCY_CAS,
    AGENCY_TEST,
    PRODUCTION,
    AgencyCa,
    CaFileError,
    NotAnAgencyCertificate,
    ResidenceTrust,
    agency_ca,
    certificates_to_install,
    load_certificates,
)
from verifier.documents.residence.verification import check_residence_card
from verifier.engine.verdict import Verdict

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
CA1 = authority.ca_certificate(Generation.FIRST)
CA2 = authority.ca_certificate(Generation.SECOND)


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(Encoding.DER)


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(Encoding.PEM)


def row(cert: x509.Certificate, name: str, generation: Generation, *,
        test: bool = False) -> AgencyCa:
    return AgencyCa(name, generation, date(2040, 6, 5), hashlib.sha256(der(cert)).hexdigest(),
                    test=test)


ROW1, ROW2 = row(CA1, "sim CA 1", Generation.FIRST), row(CA2, "sim CA2", Generation.SECOND)
TABLE = (ROW1, ROW2)
#: One more second-generation CA the store does not hold: the table is then incomplete.
ABSENT = AgencyCa("an absent CA2", Generation.SECOND, date(2041, 1, 1), "00" * 32)
FORGER2 = authority.forger_ca_certificate(Generation.SECOND)


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


# --- the table ---------------------------------------------------------------------------------
def test_the_shipped_table_is_the_specs() -> None:
    assert len(AGENCY_CAS) == 6
    assert [r.generation for r in AGENCY_CAS].count(Generation.FIRST) == 4
    assert sum(r.test for r in AGENCY_CAS) == 1 and AGENCY_CAS[-1].test
    assert all(len(r.sha256) == 64 and int(r.sha256, 16) >= 0 for r in AGENCY_CAS)
    assert agency_ca(AGENCY_CAS[1].sha256.upper()) is AGENCY_CAS[1]
    assert agency_ca(hashlib.sha256(der(CA1)).hexdigest()) is None  # the simulated CA is not


# --- installing --------------------------------------------------------------------------------
@pytest.mark.parametrize("form", ["der", "pem", "zip"])
def test_a_file_with_the_right_fingerprint_installs(form: str) -> None:
    data = {"der": der(CA2), "pem": pem(CA2),
            "zip": zipped({"readme.txt": b"not a certificate", "ca/ec_cacert.crt": der(CA2)})
            }[form]
    (installed,) = certificates_to_install(data, f"ca.{form}", table=TABLE)
    assert installed.row is ROW2 and installed.der == der(CA2)
    assert installed.row.file_name.endswith(".der")


def test_one_byte_changed_is_refused() -> None:
    changed = bytearray(der(CA2))
    changed[-5] ^= 0x01  # inside the signature: still a certificate, another fingerprint
    with pytest.raises(NotAnAgencyCertificate) as caught:
        certificates_to_install(bytes(changed), "ca2.der", table=TABLE)
    assert hashlib.sha256(bytes(changed)).hexdigest() in str(caught.value)
    assert "nothing was installed" in str(caught.value)


def test_the_shipped_table_refuses_the_simulated_ca() -> None:
    with pytest.raises(NotAnAgencyCertificate):
        certificates_to_install(der(CA1), "simulated.der")


def test_a_pem_with_several_certificates() -> None:
    found = certificates_to_install(pem(CA1) + b"\n" + pem(CA2), "both.pem", table=TABLE)
    assert [item.row for item in found] == [ROW1, ROW2]
    assert [item.member for item in found] == ["both.pem#1", "both.pem#2"]


def test_a_zip_with_one_stranger_is_refused_whole() -> None:
    data = zipped({"a.cer": der(CA1), "b.pem": pem(FORGER2)})
    with pytest.raises(NotAnAgencyCertificate) as caught:
        certificates_to_install(data, "cas.zip", table=TABLE)
    assert "cas.zip!b.pem" in str(caught.value)


@pytest.mark.parametrize("data", [b"", b"junk", zipped({"readme.txt": b"x"}),
                                  b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
                                  zipped({"bad.cer": b"junk"})])
def test_files_without_a_readable_certificate(data: bytes) -> None:
    with pytest.raises(CaFileError):
        certificates_to_install(data, "file", table=TABLE)


def test_installed_files_load_back_and_are_checked_again(tmp_path: Path) -> None:
    for item in certificates_to_install(pem(CA1) + pem(CA2), "both.pem", table=TABLE):
        (tmp_path / item.row.file_name).write_bytes(item.der)
    store = ResidenceTrust.from_directory(tmp_path, table=TABLE)
    assert {ca.name for ca in store.cas} == {"sim CA 1", "sim CA2"}
    assert all(ca.hierarchy == PRODUCTION for ca in store.cas)
    assert store.missing(Generation.SECOND) == ()
    (tmp_path / "stranger.der").write_bytes(der(FORGER2))
    (tmp_path / "junk.der").write_bytes(b"junk")
    kept = ResidenceTrust.from_directory(tmp_path, table=TABLE)
    assert {ca.name for ca in kept.cas} == {"sim CA 1", "sim CA2"}
    assert kept.refused == ("junk.der", "stranger.der")
    assert ResidenceTrust.from_directory(tmp_path / "none", table=TABLE).cas == ()


def test_load_certificates_names_members() -> None:
    loaded = load_certificates(zipped({"x/one.crt": der(CA1)}), name="f.zip")
    assert [item.member for item in loaded] == ["f.zip!x/one.crt"]


# --- the chain ---------------------------------------------------------------------------------
def production(*certs: x509.Certificate, table: tuple[AgencyCa, ...] = TABLE,
               accepted: tuple[str, ...] = (PRODUCTION,)) -> ResidenceTrust:
    loaded = load_certificates(b"".join(pem(cert) for cert in certs), name="installed")
    return ResidenceTrust(accepted=accepted, table=table).with_cas(loaded, hierarchy=PRODUCTION,
                                                                   accept=False)


def chain(issuer: Issuer, generation: Generation, store: ResidenceTrust,
          at: datetime = NOW) -> ChainFinding:
    card = parse_card_certificate(authority.card_certificate(generation, issuer))
    return check_chain(card, generation, store, at=at)


def status(issuer: Issuer, generation: Generation, store: ResidenceTrust) -> ChainStatus:
    return chain(issuer, generation, store).status


def test_trusted_names_its_authority() -> None:
    finding = chain(Issuer.SIMULATED, Generation.SECOND, production(CA1, CA2))
    assert finding.status is ChainStatus.TRUSTED
    assert finding.authority.name == "sim CA2"
    assert finding.ca_dates is Dates.VALID


def test_a_stranger_is_unknown_authority_only_when_the_store_is_complete() -> None:
    assert status(Issuer.FORGED_CA, Generation.SECOND, production(CA1, CA2)) is \
        ChainStatus.UNKNOWN_AUTHORITY
    incomplete = production(CA1, CA2, table=(*TABLE, ABSENT))
    assert status(Issuer.FORGED_CA, Generation.SECOND, incomplete) is \
        ChainStatus.CA_NOT_INSTALLED
    assert incomplete.missing(Generation.SECOND) == (ABSENT,)
    assert status(Issuer.FORGED_CA, Generation.SECOND, production(CA1)) is \
        ChainStatus.NO_PRODUCTION_CA


def test_no_production_ca_installed_is_never_an_accusation() -> None:
    """The counter's default until an administrator installs the Agency's files."""
    for issuer in Issuer:
        assert status(issuer, Generation.SECOND, ResidenceTrust()) is \
            ChainStatus.NO_PRODUCTION_CA
        assert status(issuer, Generation.FIRST, ResidenceTrust()) is \
            ChainStatus.NO_PRODUCTION_CA


def test_a_known_ca_named_by_key_id_whose_signature_fails() -> None:
    assert status(Issuer.FORGED_ISSUER, Generation.FIRST, production(CA1, CA2)) is \
        ChainStatus.BAD_CERTIFICATE_SIGNATURE
    # the key id names an installed CA exactly: evidence even while other CAs are missing
    missing_one = (*TABLE, AgencyCa("an absent CA", Generation.FIRST, date(2041, 1, 1),
                                    "11" * 32))
    assert status(Issuer.FORGED_ISSUER, Generation.FIRST,
                  production(CA1, CA2, table=missing_one)) is \
        ChainStatus.BAD_CERTIFICATE_SIGNATURE


def test_the_agency_test_ca_is_trusted_only_when_named() -> None:
    table = (ROW1, row(CA2, "sim CA2 test", Generation.SECOND, test=True))
    store = production(CA1, CA2, table=table)
    finding = chain(Issuer.SIMULATED, Generation.SECOND, store)
    assert finding.status is ChainStatus.NOT_ACCEPTED
    assert finding.authority.hierarchy == AGENCY_TEST
    assert status(Issuer.SIMULATED, Generation.SECOND, store.accepting(AGENCY_TEST)) is \
        ChainStatus.TRUSTED
    card = build_residence_card("residence-genuine-2")
    result = check_residence_card(card, card.card_number, store, today=TODAY)
    assert result.step(ResidenceCheck.CERTIFICATE_TRUSTED).reason is \
        ResidenceReason.UNTRUSTED_HIERARCHY
    assert verdict_of(result) is Verdict.INVALID_CARD


def test_the_cas_validity_is_reported_apart() -> None:
    later = datetime(2041, 1, 1, tzinfo=UTC)
    finding = chain(Issuer.SIMULATED, Generation.FIRST, production(CA1, CA2), at=later)
    assert finding.status is ChainStatus.TRUSTED
    assert finding.ca_dates is Dates.EXPIRED
    assert finding.certificate_dates is Dates.EXPIRED


def test_the_generations_never_mix() -> None:
    """A second-generation certificate is never judged against a first-generation CA."""
    assert status(Issuer.SIMULATED, Generation.SECOND, production(CA1, table=(ROW1,))) is \
        ChainStatus.UNKNOWN_AUTHORITY


def test_an_operator_trust_file_is_accepted_as_given() -> None:
    loaded = load_certificates(pem(CA2), name="operator.pem")
    store = ResidenceTrust().with_cas(loaded, hierarchy="operator")
    finding = chain(Issuer.SIMULATED, Generation.SECOND, store)
    assert finding.status is ChainStatus.TRUSTED
    assert finding.authority.name == "operator.pem"


# --- certificate forms -------------------------------------------------------------------------
def test_a_padded_certificate_is_read_with_an_oddity() -> None:
    padded = authority.card_certificate(Generation.FIRST, Issuer.SIMULATED) + bytes(300)
    certificate = parse_card_certificate(padded)
    assert certificate.form is CertificateForm.DER_PADDED
    assert certificate.oddities == (ResidenceOddity.CERTIFICATE_PADDING,)


def test_a_ber_certificate_is_read_but_its_failed_chain_is_not_judged() -> None:
    exact = authority.card_certificate(Generation.SECOND, Issuer.SIMULATED)
    assert exact[:2] == b"\x30\x82"
    indefinite = b"\x30\x80" + exact[4:] + b"\x00\x00"
    certificate = parse_card_certificate(indefinite)
    assert certificate.form is CertificateForm.BER
    assert ResidenceOddity.CERTIFICATE_BER in certificate.oddities
    store = production(CA1, CA2)
    assert check_chain(certificate, Generation.SECOND, store, at=NOW).status is \
        ChainStatus.TRUSTED  # the signed bytes are the same
    forged = parse_card_certificate(
        b"\x30\x80" + authority.card_certificate(Generation.SECOND, Issuer.FORGED_CA)[4:]
        + b"\x00\x00")
    assert check_chain(forged, Generation.SECOND, store, at=NOW).status is \
        ChainStatus.UNSUPPORTED


@pytest.mark.parametrize("junk", [b"", b"\x30\x03\x02\x01\x01", b"\xff" * 40,
                                  b"certificate"])
def test_junk_where_the_certificate_must_be_is_evidence(junk: bytes) -> None:
    from verifier.errors import MalformedData

    with pytest.raises(MalformedData):
        parse_card_certificate(junk)

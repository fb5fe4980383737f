"""Installing the Immigration Services Agency's CA certificates (`mynacheck trust add`): only a
file whose every certificate is in the fingerprint table, kept under the table's name, checked
again whenever a card is judged; and the X.509 trust files an operator names.

The Agency's certificates are not in this repository, so the table here is built from the
simulated CAs' fingerprints (the product's table itself is never widened)."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from testcards.residence.builder import build_residence_card
from verifier.counter.installed import install, status
from verifier.counter.policy import CommittedKeyRefused, CounterPolicy
from verifier.counter.visit import Counter
from verifier.documents.residence.card_type import Generation
from verifier.documents.residence.trust import AGENCY_CAS, AgencyCa, ResidenceTrust
from verifier.engine.verdict import Reason, Verdict
from verifier.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]
SIMULATED_PEM = REPO / "verifier" / "data" / "simulated-residence-ca.pem"


def simulated_ders() -> list[bytes]:
    certificates = x509.load_pem_x509_certificates(SIMULATED_PEM.read_bytes())
    return [certificate.public_bytes(serialization.Encoding.DER) for certificate in certificates]


def table_of(ders: list[bytes]) -> tuple[AgencyCa, ...]:
    return tuple(AgencyCa(f"test CA {index}", Generation(index + 1), date(2040, 1, 1),
                          hashlib.sha256(der).hexdigest()) for index, der in enumerate(ders))


@pytest.fixture
def table() -> tuple[AgencyCa, ...]:
    return table_of(simulated_ders())


def test_a_certificate_in_the_table_installs_under_the_tables_name(
        tmp_path: Path, table: tuple[AgencyCa, ...]) -> None:
    source = tmp_path / "downloaded.cer"
    source.write_bytes(simulated_ders()[0])
    done = install(source, tmp_path / "trust", table=table)
    assert [item.row for item in done] == [table[0]]
    assert done[0].path.name == table[0].file_name and not done[0].already
    assert done[0].path.read_bytes() == simulated_ders()[0]
    again = install(source, tmp_path / "trust", table=table)
    assert again[0].already
    assert [row.installed for row in status(tmp_path / "trust", table=table)] == [True, False]
    store = ResidenceTrust.from_directory(tmp_path / "trust", table=table)
    assert len(store.cas) == 1


def test_the_agencys_zip_installs_every_certificate_it_holds(
        tmp_path: Path, table: tuple[AgencyCa, ...]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index, der in enumerate(simulated_ders()):
            archive.writestr(f"ca{index}.cer", der)
        archive.writestr("readme.txt", "not a certificate")
    source = tmp_path / "zairyu-ca.zip"
    source.write_bytes(buffer.getvalue())
    done = install(source, tmp_path / "trust", table=table)
    assert sorted(item.row.name for item in done) == ["test CA 0", "test CA 1"]


def test_a_changed_byte_is_refused_and_nothing_is_installed(
        tmp_path: Path, table: tuple[AgencyCa, ...]) -> None:
    der = bytearray(simulated_ders()[1])
    der[-10] ^= 0x01
    source = tmp_path / "changed.der"
    source.write_bytes(bytes(der))
    with pytest.raises(ConfigError, match="not one of the Agency's CA certificates"):
        install(source, tmp_path / "trust", table=table)
    assert not (tmp_path / "trust").exists() or not any((tmp_path / "trust").iterdir())


def test_a_zip_with_one_unknown_certificate_is_refused_whole(
        tmp_path: Path, table: tuple[AgencyCa, ...]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("good.cer", simulated_ders()[0])
        archive.writestr("other.pem", other_ca_pem())
    source = tmp_path / "mixed.zip"
    source.write_bytes(buffer.getvalue())
    with pytest.raises(ConfigError):
        install(source, tmp_path / "trust", table=table)
    assert not (tmp_path / "trust").exists() or not any((tmp_path / "trust").iterdir())


def test_a_file_changed_after_installing_is_left_out_and_never_accuses(
        tmp_path: Path, table: tuple[AgencyCa, ...]) -> None:
    source = tmp_path / "ca.der"
    source.write_bytes(simulated_ders()[1])
    installed = install(source, tmp_path / "trust", table=table)[0].path
    installed.write_bytes(other_ca_der())
    store = ResidenceTrust.from_directory(tmp_path / "trust", table=table)
    assert store.cas == () and store.refused == (installed.name,)
    assert [(row.installed, row.changed) for row in status(tmp_path / "trust", table=table)] \
        == [(False, False), (False, True)]
    # the counter goes on: a My Number Card is checked, a residence card is not verified
    policy = CounterPolicy(trust_dir=tmp_path / "trust", training=True)
    policy.check_trust()
    card = build_residence_card("residence-genuine-2")
    result = Counter(policy).attach(card, reader="Virtual PCD 00 00",
                                    in_process=False).verify(card.card_number).result
    assert result.verdict is Verdict.NOT_VERIFIED
    assert result.failing_check is not None
    assert result.failing_check.reason is Reason.NO_PRODUCTION_CA


def test_the_shipped_table_refuses_anything_else(tmp_path: Path) -> None:
    """The command line with the product's own table: the simulated CA is not the Agency's."""
    assert all(len(row.sha256) == 64 for row in AGENCY_CAS)
    done = subprocess.run([sys.executable, "-m", "verifier.cli.main", "trust", "--trust-dir",
                           str(tmp_path / "trust"), "add", str(SIMULATED_PEM)],
                          capture_output=True, text=True, cwd=REPO, timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    assert "nothing was installed" in done.stderr
    listed = subprocess.run([sys.executable, "-m", "verifier.cli.main", "trust", "--trust-dir",
                             str(tmp_path / "trust"), "list"],
                            capture_output=True, text=True, cwd=REPO, timeout=60, check=True)
    assert listed.stdout.count("missing") == len(AGENCY_CAS)
    assert AGENCY_CAS[-1].sha256 in listed.stdout


def other_ca_key() -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(0x5EED, ec.SECP384R1())


def other_ca_certificate() -> x509.Certificate:
    key = other_ca_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "An operator's own CA")])
    start = datetime(2024, 1, 1)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(7)
            .not_valid_before(start).not_valid_after(start + timedelta(days=9000))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(key, hashes.SHA256()))


def other_ca_pem() -> bytes:
    return other_ca_certificate().public_bytes(serialization.Encoding.PEM)


def other_ca_der() -> bytes:
    return other_ca_certificate().public_bytes(serialization.Encoding.DER)


def test_an_x509_trust_file_is_accepted_named_and_listed(tmp_path: Path) -> None:
    path = tmp_path / "operator-ca.pem"
    path.write_bytes(other_ca_pem())
    policy = CounterPolicy(trust_files=(path,), training=True, trust_dir=tmp_path / "none")
    policy.check_trust()
    assert policy.extra_trust() == ("file:operator-ca.pem",)
    # a card that CA did not issue, no Agency CA installed: not verified, never evidence
    card = build_residence_card("residence-genuine-2")
    checked = Counter(policy).attach(card, reader="Virtual PCD 00 00",
                                     in_process=False).verify(card.card_number)
    assert checked.result.verdict is Verdict.NOT_VERIFIED
    assert checked.result.failing_check is not None
    assert checked.result.failing_check.reason is Reason.NO_PRODUCTION_CA
    assert "file:operator-ca.pem" in checked.extra_trust


def test_an_x509_trust_file_holding_a_committed_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommittedKeyRefused):
        CounterPolicy(trust_files=(SIMULATED_PEM,)).check_trust()
    # accepted in training on a virtual reader, where a simulated card verifies against it
    policy = CounterPolicy(trust_files=(SIMULATED_PEM,), training=True,
                           trust_dir=tmp_path / "none")
    policy.check_trust()
    card = build_residence_card("residence-genuine-1")
    checked = Counter(policy).attach(card, reader="Virtual PCD 00 00",
                                     in_process=False).verify(card.card_number)
    assert checked.result.verdict is Verdict.GENUINE, checked.result
    assert checked.result.simulated
    # and on a physical reader the counter refuses the card before anything is sent
    with pytest.raises(CommittedKeyRefused):
        Counter(policy).attach(build_residence_card("residence-genuine-1"),
                               reader="ACS ACR1252 1S CL Reader PICC 0", in_process=False)

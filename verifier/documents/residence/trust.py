"""The Agency's CA certificates: the fingerprint table the product ships, installing the files an
administrator downloaded, and the trust store a residence card is judged against.

The certificates themselves are not in this repository (spec 4): the product ships their
SHA-256 fingerprints (of the DER certificate, as `openssl x509 -fingerprint -sha256` prints
them) and installs only a file whose every certificate is in the table. The Agency's test CA
(its sample cards) is in the table too, but trusted only when named (design.md rule 5).

Other CAs enter a store only when given explicitly: this project's simulated CA (testcards,
for simulated cards) and an operator's `--trust-file` of X.509 CA certificates. Stores are
immutable; widening the policy makes a new one.
"""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding

from verifier.documents.residence.card_type import Generation
from verifier.documents.residence.hierarchies import AGENCY_TEST as AGENCY_TEST
from verifier.documents.residence.hierarchies import OPERATOR as OPERATOR
from verifier.documents.residence.hierarchies import PRODUCTION as PRODUCTION
from verifier.documents.residence.hierarchies import SIMULATED as SIMULATED
from verifier.errors import TrustFileError

DEFAULT_ACCEPTED = frozenset({PRODUCTION})

log = logging.getLogger(__name__)

MAX_CA_FILE_BYTES = 1 << 20
MAX_ZIP_MEMBERS = 64
CERTIFICATE_SUFFIXES = (".cer", ".crt", ".der", ".pem")
_PEM_BEGIN = b"-----BEGIN CERTIFICATE-----"


@dataclass(frozen=True)
class AgencyCa:
    """One row of the fingerprint table (spec 4)."""

    name: str
    generation: Generation
    valid_until: date
    sha256: str  # lower-case hex of the DER certificate
    test: bool = False

    @property
    def hierarchy(self) -> str:
        return AGENCY_TEST if self.test else PRODUCTION

    @property
    def file_name(self) -> str:
        """Where `mynacheck trust add` keeps it: named for the row, never for the upload."""
        return f"residence-ca-{self.sha256[:16]}.der"


#: As recorded by eringoio/zairyu-card-reader docs/official-certificates.md (spec 4).
AGENCY_CAS: tuple[AgencyCa, ...] = (
    AgencyCa("在留カード CA 2015-06-06", Generation.FIRST, date(2025, 9, 5),
             "97f37c5967af5f3cd84e6ed694b09539abb7f8e7e76b6f7496a060008982983d"),
    AgencyCa("在留カード CA 2018-04-07", Generation.FIRST, date(2028, 7, 6),
             "ff02323cea7b8c3dfc0dc2de79d46e78514af587368523086b188e9690aec861"),
    AgencyCa("在留カード CA 2021-05-27", Generation.FIRST, date(2031, 8, 27),
             "6f50161aa80f7ff7c630505faf472906f7b101d5083e327a6182c82cd7985e67"),
    AgencyCa("在留カード CA 2024-05-08", Generation.FIRST, date(2034, 8, 8),
             "bf854466ed9abf61f559c39bf8790546f8acdab99b51fd2330563669ce4a71b2"),
    AgencyCa("在留カード CA2 2026-04-20", Generation.SECOND, date(2039, 7, 20),
             "11e6ad8b8e64f0cdb1d8ba9e3689926c80e8479a2f098616f674a23582bec13b"),
    AgencyCa("在留カード CA2 test 2026-03-19 (sample cards)", Generation.SECOND,
             date(2039, 6, 19),
             "1846b815d31f04fe93d57450a6d8a8c351eac3d8c444a2375d95734df7dd1057", test=True),
)
Table = tuple[AgencyCa, ...]


def agency_ca(fingerprint: str, table: Table = AGENCY_CAS) -> AgencyCa | None:
    """The table's row for a DER certificate's SHA-256 (hex, any case), or None. `table` is
    the shipped one; tests give their own (no Agency certificate is in this repository)."""
    wanted = fingerprint.lower()
    return next((row for row in table if row.sha256 == wanted), None)


class CaFileError(TrustFileError):
    """A CA certificate file could not be read."""


class NotAnAgencyCertificate(CaFileError):
    """The file holds a certificate whose SHA-256 is not in the table of the Agency's CAs:
    refused, whole."""


def generation_of(certificate: x509.Certificate) -> Generation | None:
    """Which generation's cards a CA key can sign: RSA the first, ECDSA P-384 the second."""
    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return Generation.FIRST
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp384r1":
        return Generation.SECOND
    return None


# --- reading CA certificate files --------------------------------------------------------------
@dataclass(frozen=True)
class LoadedCertificate:
    """One certificate from a file, with where it was found."""

    member: str  # the file, or "file!member" inside a ZIP
    certificate: x509.Certificate
    der: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.der).hexdigest()


def _der_certificates(data: bytes, member: str) -> Iterator[LoadedCertificate]:
    if _PEM_BEGIN in data:
        try:
            certificates = x509.load_pem_x509_certificates(data)
        except ValueError:
            raise CaFileError(f"{member}: PEM that does not hold readable certificates") \
                from None
        for index, certificate in enumerate(certificates):
            der = certificate.public_bytes(Encoding.DER)
            label = member if len(certificates) == 1 else f"{member}#{index + 1}"
            yield LoadedCertificate(label, certificate, der)
        return
    try:
        certificate = x509.load_der_x509_certificate(data)
    except ValueError:
        raise CaFileError(f"{member}: not a DER or PEM X.509 certificate") from None
    yield LoadedCertificate(member, certificate, bytes(data))


def _zip_members(data: bytes, name: str) -> Iterator[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise CaFileError(f"{name}: not a readable ZIP file") from None
    with archive:
        members = [info for info in archive.infolist()
                   if not info.is_dir() and info.filename.lower().endswith(CERTIFICATE_SUFFIXES)]
        if len(members) > MAX_ZIP_MEMBERS:
            raise CaFileError(f"{name}: more than {MAX_ZIP_MEMBERS} certificate files")
        for info in members:
            if info.file_size > MAX_CA_FILE_BYTES:
                raise CaFileError(f"{name}!{info.filename}: larger than {MAX_CA_FILE_BYTES} "
                                  "bytes")
            try:
                content = archive.read(info)
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError) as error:
                raise CaFileError(f"{name}!{info.filename}: cannot be extracted "
                                  f"({type(error).__name__})") from None
            yield f"{name}!{info.filename}", content


def load_certificates(data: bytes, *, name: str) -> list[LoadedCertificate]:
    """Every certificate in a DER file, a PEM file (one or more), or a ZIP of such files (the
    members named .cer, .crt, .der or .pem; others, such as a read-me, are left alone).
    `name` names the file in errors. CaFileError when none can be read."""
    if len(data) > MAX_CA_FILE_BYTES:
        raise CaFileError(f"{name}: larger than {MAX_CA_FILE_BYTES} bytes")
    if zipfile.is_zipfile(io.BytesIO(data)):
        found = [loaded for member, content in _zip_members(data, name)
                 for loaded in _der_certificates(content, member)]
    else:
        found = list(_der_certificates(data, name))
    if not found:
        raise CaFileError(f"{name}: no certificate found")
    return found


def load_certificate_file(path: str | Path) -> list[LoadedCertificate]:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CaFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    return load_certificates(data, name=str(path))


# --- installing the Agency's files -------------------------------------------------------------
@dataclass(frozen=True)
class InstallableCa:
    """A certificate whose fingerprint is in the table: safe to keep as `row.file_name`."""

    row: AgencyCa
    der: bytes
    member: str


def certificates_to_install(data: bytes, name: str, *,
                            table: Table = AGENCY_CAS) -> list[InstallableCa]:
    """What `mynacheck trust add FILE` installs from a file an administrator downloaded from
    the Agency (the ZIP, or the certificate in DER or PEM). Every certificate in the file must
    be in the table, else the whole file is refused with NotAnAgencyCertificate naming the
    member and its fingerprint; a file holding no certificate is a CaFileError."""
    installable: list[InstallableCa] = []
    for loaded in load_certificates(data, name=name):
        row = agency_ca(loaded.sha256, table)
        if row is None:
            raise NotAnAgencyCertificate(
                f"{loaded.member}: SHA-256 {loaded.sha256} is not one of the Agency's CA "
                "certificates this program knows; nothing was installed")
        installable.append(InstallableCa(row, loaded.der, loaded.member))
    return list({item.row.sha256: item for item in installable}.values())


# --- the trust store ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TrustedCa:
    """A CA certificate in a store, and the hierarchy it counts for."""

    certificate: x509.Certificate
    der: bytes
    hierarchy: str
    name: str  # the table's name, or the file it came from
    generation: Generation | None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.der).hexdigest()

    @property
    def not_valid_after(self) -> datetime:
        return self.certificate.not_valid_after_utc

    def __repr__(self) -> str:
        return f"TrustedCa({self.name!r}, {self.hierarchy})"


def trusted(loaded: LoadedCertificate, *, hierarchy: str, name: str | None = None,
            table: Table = AGENCY_CAS) -> TrustedCa:
    row = agency_ca(loaded.sha256, table)
    if row is not None:  # the Agency's own CA keeps its table name and hierarchy
        return TrustedCa(loaded.certificate, loaded.der, row.hierarchy, row.name, row.generation)
    return TrustedCa(loaded.certificate, loaded.der, hierarchy, name or loaded.member,
                     generation_of(loaded.certificate))


class ResidenceTrust:
    """CA certificates, and the hierarchies whose CAs count as trusted."""

    __slots__ = ("_accepted", "_cas", "_refused", "_table")
    _cas: tuple[TrustedCa, ...]
    _accepted: frozenset[str]
    _refused: tuple[str, ...]
    _table: Table

    def __init__(self, cas: Iterable[TrustedCa] = (),
                 accepted: Iterable[str] = DEFAULT_ACCEPTED, *,
                 table: Table = AGENCY_CAS) -> None:
        unique = {ca.sha256: ca for ca in cas}
        object.__setattr__(self, "_cas", tuple(unique.values()))
        object.__setattr__(self, "_accepted", frozenset(
            (accepted,) if isinstance(accepted, str) else accepted))
        object.__setattr__(self, "_table", table)
        object.__setattr__(self, "_refused", ())

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("ResidenceTrust is immutable; use accepting() or with_cas()")

    @classmethod
    def from_directory(cls, directory: str | Path, accepted: Iterable[str] = DEFAULT_ACCEPTED,
                       *, table: Table = AGENCY_CAS) -> ResidenceTrust:
        """The Agency CAs `trust add` installed in `directory`, each checked against the table
        again. A file changed since, or one that cannot be read, is left out and named in
        `refused` (its CA then counts as not installed: never evidence, and the clerk is told
        to have the certificates installed) — it does not stop the counter. A missing
        directory is an empty store."""
        directory = Path(directory)
        cas: list[TrustedCa] = []
        refused: list[str] = []
        if directory.is_dir():
            for path in sorted(directory.glob("*.der")):
                try:
                    loaded_all = load_certificate_file(path)
                except CaFileError:
                    refused.append(path.name)
                    continue
                for loaded in loaded_all:
                    if agency_ca(loaded.sha256, table) is None:
                        refused.append(path.name)
                        continue
                    cas.append(trusted(loaded, hierarchy=PRODUCTION, table=table))
        for name in refused:
            log.warning("installed CA file %s is not one of the Agency's certificates (changed "
                        "since it was installed?): left out; install the Agency's file again",
                        name)
        store = cls(cas, accepted, table=table)
        object.__setattr__(store, "_refused", tuple(refused))
        return store

    @property
    def refused(self) -> tuple[str, ...]:
        """Installed files left out because they are no longer the Agency's certificates."""
        return self._refused

    @property
    def cas(self) -> tuple[TrustedCa, ...]:
        return self._cas

    @property
    def accepted(self) -> frozenset[str]:
        return self._accepted

    @property
    def table(self) -> Table:
        return self._table

    def for_card(self, *, simulated: bool) -> ResidenceTrust:
        """The store as one card is judged against. A real card: the simulated CA never counts
        (its private keys are public), whatever was named. A simulated card (in training) with
        the simulated CA accepted: the simulated CAs are its complete set of issuers — the
        Agency's cannot have issued it — so a CA outside them is an unknown authority."""
        if not simulated:
            accepted = self._accepted - {SIMULATED}
        elif SIMULATED in self._accepted:
            accepted = self._accepted - {PRODUCTION}
        else:
            return self
        return ResidenceTrust(self._cas, accepted, table=self._table)

    def accepting(self, *hierarchies: str) -> ResidenceTrust:
        return ResidenceTrust(self._cas, self._accepted | frozenset(hierarchies),
                              table=self._table)

    def with_cas(self, certificates: Iterable[LoadedCertificate], *, hierarchy: str,
                 accept: bool = True) -> ResidenceTrust:
        """A store with more CA certificates (the simulated CA, an operator's --trust-file);
        their hierarchy is accepted unless `accept` is False. The Agency's own certificates
        keep their table hierarchy whatever `hierarchy` says."""
        added = [trusted(loaded, hierarchy=hierarchy, table=self._table)
                 for loaded in certificates]
        accepted = self._accepted | ({ca.hierarchy for ca in added} if accept else set())
        return ResidenceTrust((*self._cas, *added), accepted, table=self._table)

    def accepts(self, ca: TrustedCa) -> bool:
        return ca.hierarchy in self._accepted

    def for_generation(self, generation: Generation) -> tuple[TrustedCa, ...]:
        return tuple(ca for ca in self._cas if ca.generation is generation)

    def missing(self, generation: Generation) -> tuple[AgencyCa, ...]:
        """The table's production CAs of a generation that are not installed, when production
        is accepted: while any is missing, a certificate no installed CA issued may be a
        genuine card of that CA, so it is never evidence."""
        if PRODUCTION not in self._accepted:
            return ()
        have = {ca.sha256 for ca in self._cas}
        return tuple(row for row in self._table if row.generation is generation
                     and not row.test and row.sha256 not in have)

    def has_production(self, generation: Generation) -> bool:
        return any(ca.hierarchy == PRODUCTION and ca.generation is generation
                   for ca in self._cas)

    def __repr__(self) -> str:
        return (f"ResidenceTrust({len(self._cas)} CAs, accepting "
                f"{', '.join(sorted(self._accepted)) or 'nothing'})")

"""The issuers' CA certificates an administrator installs on a counter PC (`mynacheck trust add`,
the counter app's settings): where they are kept, and installing one file.

The Immigration Services Agency publishes its CA certificates as ZIP files on its web site; they
cannot ship with this program. What ships is the table of their SHA-256 fingerprints
(`verifier.documents.residence.trust.AGENCY_CAS`): a file is installed only when every
certificate in it is in the table, and each is kept under a name of the table's row, never the
upload's. Each run of the command line, and the counter app whenever its settings change, reads
the directory again and checks every file against the table: a file changed since is left out
(its CA counts as not installed, so a residence card is not verified, never accused).
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from verifier.errors import ConfigError, TrustFileError

if TYPE_CHECKING:  # the certificate machinery loads when a file is installed, not at start-up
    from verifier.documents.residence.trust import AGENCY_CAS as AGENCY_CAS
    from verifier.documents.residence.trust import AgencyCa as AgencyCa
    from verifier.documents.residence.trust import Table as Table

#: The fingerprint table's names, for the front ends (the GUI's settings take a table as tests
#: give one), which import the counter layer only; loaded on first use (PEP 562).
_FROM_TRUST = frozenset({"AGENCY_CAS", "AgencyCa", "Table"})
__all__ = ["AGENCY_CAS", "ENVIRONMENT", "AgencyCa", "Installed", "Table", "TableRow",
           "default_directory", "install", "status"]


def __getattr__(name: str) -> object:
    if name in _FROM_TRUST:
        from verifier.documents.residence import trust

        return getattr(trust, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

#: Overrides where the certificates are kept (tests, and a shop that keeps them centrally).
ENVIRONMENT = "MYNACHECK_TRUST_DIR"
MAX_UPLOAD_BYTES = 1 << 20


def default_directory() -> Path:
    """Per user: `$XDG_DATA_HOME/mynacheck/trust` (Linux), `%LOCALAPPDATA%\\mynacheck\\trust`
    (Windows), `~/Library/Application Support/mynacheck/trust` (macOS)."""
    override = os.environ.get(ENVIRONMENT)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "mynacheck" / "trust"


@dataclass(frozen=True)
class Installed:
    """One certificate of the file, now in the directory."""

    row: AgencyCa
    path: Path
    member: str  # where in the uploaded file it was
    already: bool  # the same certificate was installed before


def install(source: Path, directory: Path | None = None, *,
            table: Table | None = None) -> list[Installed]:
    """Install the Agency's CA certificates of `source` (its ZIP, or a certificate in DER or
    PEM) into `directory`. Raises ConfigError, installing nothing, for a file that cannot be
    read or holds any certificate whose SHA-256 is not in the table (the shipped one unless
    `table` is given)."""
    from verifier.documents.residence.trust import AGENCY_CAS, certificates_to_install

    target = directory if directory is not None else default_directory()
    try:
        size = source.stat().st_size
        if size > MAX_UPLOAD_BYTES:
            raise ConfigError(f"{source}: larger than {MAX_UPLOAD_BYTES} bytes; not a CA file")
        data = source.read_bytes()
    except OSError as error:
        raise ConfigError(f"{source}: cannot be read ({error.strerror or error})") from None
    try:
        found = certificates_to_install(data, source.name,
                                        table=AGENCY_CAS if table is None else table)
    except TrustFileError as error:
        raise ConfigError(str(error)) from error
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"{target}: cannot be created ({error.strerror or error})") from None
    done: list[Installed] = []
    for item in found:
        path = target / item.row.file_name
        already = path.is_file() and path.read_bytes() == item.der
        if not already:
            temporary = path.with_suffix(".tmp")
            try:
                temporary.write_bytes(item.der)
                temporary.replace(path)
            except OSError as error:
                raise ConfigError(f"{path}: cannot be written ({error.strerror or error})") \
                    from None
        done.append(Installed(item.row, path, item.member, already))
    return done


@dataclass(frozen=True)
class TableRow:
    """One row of the fingerprint table, and whether it is installed: its file is there and
    still the certificate the table names."""

    row: AgencyCa
    installed: bool
    #: its file is there but is no longer that certificate: left out when cards are judged
    changed: bool = False


def status(directory: Path | None = None, *, table: Table | None = None) -> list[TableRow]:
    """Every CA of the table, and whether its file is in `directory`."""
    from verifier.documents.residence.trust import AGENCY_CAS

    target = directory if directory is not None else default_directory()
    rows = []
    for row in (AGENCY_CAS if table is None else table):
        path = target / row.file_name
        held = _holds(path, row)
        rows.append(TableRow(row, held, changed=path.exists() and not held))
    return rows


def _holds(path: Path, row: AgencyCa) -> bool:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == row.sha256
    except OSError:
        return False

"""The issuers' CA certificates an administrator installs on a counter PC (`mynacheck trust add`,
the counter app's settings): where they are kept, and installing one file.

The Immigration Services Agency publishes its CA certificates as ZIP files on its web site; they
cannot ship with this program. What ships is the table of their SHA-256 fingerprints
(`verifier.documents.residence.trust.AGENCY_CAS`): a file is installed only when every
certificate in it is in the table, and each is kept under a name of the table's row, never the
upload's. Each card re-checks the directory against the table, so a file changed later is
refused there too.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from verifier.documents.residence.trust import (
    AGENCY_CAS,
    AgencyCa,
    Table,
    certificates_to_install,
)
from verifier.errors import ConfigError, TrustFileError

#: The fingerprint table's names are re-exported for the front ends (the GUI's settings take a
#: table as tests give one), which import the counter layer only.
__all__ = ["AGENCY_CAS", "ENVIRONMENT", "AgencyCa", "Installed", "Table", "TableRow",
           "default_directory", "install", "status"]

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
            table: Table = AGENCY_CAS) -> list[Installed]:
    """Install the Agency's CA certificates of `source` (its ZIP, or a certificate in DER or
    PEM) into `directory`. Raises ConfigError, installing nothing, for a file that cannot be
    read or holds any certificate whose SHA-256 is not in the table."""
    target = directory if directory is not None else default_directory()
    try:
        size = source.stat().st_size
        if size > MAX_UPLOAD_BYTES:
            raise ConfigError(f"{source}: larger than {MAX_UPLOAD_BYTES} bytes; not a CA file")
        data = source.read_bytes()
    except OSError as error:
        raise ConfigError(f"{source}: cannot be read ({error.strerror or error})") from None
    try:
        found = certificates_to_install(data, source.name, table=table)
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
    """One row of the fingerprint table, and whether it is installed."""

    row: AgencyCa
    installed: bool


def status(directory: Path | None = None, *, table: Table = AGENCY_CAS) -> list[TableRow]:
    """Every CA of the table, and whether its file is in `directory`."""
    target = directory if directory is not None else default_directory()
    return [TableRow(row, (target / row.file_name).is_file()) for row in table]

"""The audit record: one JSON line per verification, and nothing personal (rule 2).

Each line goes to the file in a single O_APPEND write and is fsynced before the call returns,
so several processes can share one file without interleaving lines (POSIX and Windows both
append atomically for a single write of this size) and a crash loses at most the line being
written.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verifier import __version__
from verifier.errors import ConfigError

if TYPE_CHECKING:
    from verifier.counter.answer import Checked


def audit_record(checked: Checked, *, when: datetime, operator: str | None,
                 request_id: Any = None) -> dict[str, Any]:
    """Only what may be kept: verdict, action, check ids and outcomes, key ids, timing, the
    names of the printed fields to check and of the trust beyond production, and the id the
    caller gave the request (a batch line's `id`), so a record can be matched to it."""
    result = checked.result
    card = result.card.to_json()
    return {
        "time": when.isoformat(timespec="milliseconds"),
        "app": f"mynacheck {__version__}",
        "reader": checked.reader,
        "operator": operator,
        "request_id": request_id,
        "verdict": result.verdict.value,
        "action": checked.action.value,
        "attempts_in_a_row": checked.attempts_in_a_row,
        "warnings": [caution.to_json() for caution in checked.cautions],
        "extra_trust": list(checked.extra_trust),
        "document": result.document,
        "generation": result.generation,
        "checks": {str(c.id): c.outcome.value for c in result.checks},
        "reasons": {str(c.id): c.reason.value for c in result.checks if c.reason is not None},
        "issuer_key_id": card["issuer_key_id"],
        "subject_key_id": card["subject_key_id"],
        "hierarchy": card["hierarchy"],
        "apdu_count": result.apdu_count,
        "elapsed_ms": round(result.elapsed_ms, 1),
        "simulated": result.simulated,
        "code_from_image": result.code_from_image,  # that it did, never what was read
    }


_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def check(self) -> None:
        """Opens the file for appending, as `append` will, and writes nothing: raises
        ConfigError, saying why, when no record could be written there. Front ends call it
        before a card is touched, so a verification is never done that cannot be recorded."""
        if self.path.is_dir():
            raise ConfigError(f"the audit log {self.path} is a directory")
        try:
            fd = os.open(self.path, _FLAGS, 0o600)
        except OSError as error:
            raise ConfigError(f"cannot write the audit log {self.path}: "
                              f"{error.strerror or error}") from error
        os.close(fd)

    def append(self, checked: Checked, *, when: datetime, operator: str | None = None,
               request_id: Any = None) -> None:
        line = json.dumps(audit_record(checked, when=when, operator=operator,
                                       request_id=request_id),
                          ensure_ascii=False, separators=(",", ":")) + "\n"
        fd = os.open(self.path, _FLAGS, 0o600)
        try:
            data = line.encode("utf-8")
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(f"short write to the audit log {self.path}")
            os.fsync(fd)
        finally:
            os.close(fd)


def audit_path_problem(path: Path) -> str | None:
    """Why records could not be appended to `path` (None: they can): `AuditLog.check`, for a
    front end that shows the reason rather than raising it (the settings dialog)."""
    try:
        AuditLog(path).check()
    except ConfigError as error:
        return str(error)
    return None

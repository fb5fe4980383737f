"""Files a front end will write after a verification (a saved photo): checked before any card
is touched, so a result is never lost, nor a try spent, for a path that cannot be written."""

from __future__ import annotations

import os
from pathlib import Path

from verifier.errors import ConfigError


def check_output_file(path: Path, what: str) -> None:
    """Raises ConfigError, naming `what`, when `path` cannot be created or overwritten.
    Creates nothing: a check that left an empty file behind would look like a result."""
    if path.is_dir():
        raise ConfigError(f"{what} {path} is a directory")
    folder = path.parent
    if not folder.is_dir():
        raise ConfigError(f"{what} {path}: the folder {folder} does not exist")
    writable = (os.access(path, os.W_OK) if path.exists()
                else os.access(folder, os.W_OK | os.X_OK))
    if not writable:
        raise ConfigError(f"{what} {path} cannot be written (permission denied)")

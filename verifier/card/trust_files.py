"""Which format a trust file is in, told by its first bytes: each document takes the files in
its own format (a JSON key table, X.509 certificates) and leaves the others alone."""

from __future__ import annotations

from pathlib import Path

HEAD_BYTES = 64


def starts_with(path: Path, *prefixes: bytes) -> bool:
    """Whether the file's first bytes, white space skipped, begin with one of `prefixes`;
    False for a file that cannot be read (the trust check says why, once)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(HEAD_BYTES).lstrip()
    except OSError:
        return False
    return head.startswith(prefixes)

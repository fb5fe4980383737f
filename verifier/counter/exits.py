"""Exit codes, in one place: every front end and script reads a verdict through these.

A usage or configuration error (the operator's to fix, found before any card is touched) is 2;
each verdict has its own code; a batch exits with its worst verdict, or 2 when any line was
refused or any result could not be recorded, so a script never takes a partly rejected batch
for a clean one.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType

from verifier.engine.verdict import Verdict, worst

USAGE_EXIT = 2
EXIT_CODES = MappingProxyType({Verdict.GENUINE: 0, Verdict.COUNTERFEIT_SUSPECTED: 10,
                               Verdict.INVALID_CARD: 11, Verdict.NOT_VERIFIED: 12})
#: The line `--help` ends with.
EXIT_HELP = ("exit codes: " + ", ".join(f"{code} {verdict.value}"
                                         for verdict, code in EXIT_CODES.items())
             + f", {USAGE_EXIT} usage or configuration error")


def exit_code(verdict: Verdict) -> int:
    return EXIT_CODES[verdict]


def batch_exit_code(verdicts: Iterable[Verdict], *, clean: bool) -> int:
    """The worst verdict's code; USAGE_EXIT when a line was refused or a record lost."""
    if not clean:
        return USAGE_EXIT
    return exit_code(worst(list(verdicts)))

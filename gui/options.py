"""The engine options the window hands to each new card's Verification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from verifier.checks import VerifyOptions
from verifier.trust import TrustStore

PRODUCTION = "production"
SIMULATED = "simulated"


def build_trust(trust_files: tuple[str, ...], *, hierarchies: tuple[str, ...] = (),
                simulated: bool = False) -> TrustStore:
    """Production always; test hierarchies only when named, or `simulated` in training mode.

    Raises verifier.errors.TrustFileError for a file that cannot be loaded.
    """
    accepted = {PRODUCTION, *hierarchies}
    if simulated:
        accepted.add(SIMULATED)
    store = TrustStore.builtin(accepted=tuple(sorted(accepted)))
    for path in trust_files:
        store = store.with_file(Path(path))
    return store


@dataclass(frozen=True)
class OptionsFactory:
    """Fresh VerifyOptions per card: today's date is read when the card arrives."""

    trust: TrustStore
    keep_tries: int
    simulated: bool

    def __call__(self) -> VerifyOptions:
        return VerifyOptions(trust=self.trust, today=date.today(), keep_tries=self.keep_tries,
                             simulated=self.simulated)

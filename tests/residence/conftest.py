"""Shared helpers of the residence tests: the verdict the engine's rule gives a result (the lead
wires the real one; this mirrors docs/evidence.md so the profile table can be held to it)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from verifier.documents.residence.outcome import ResidenceResult
from verifier.engine.verdict import Verdict

TODAY = date(2026, 11, 23)


def verdict_of(result: ResidenceResult) -> Verdict:
    if result.evidence:
        return Verdict.COUNTERFEIT_SUSPECTED
    if result.invalid:
        return Verdict.INVALID_CARD
    if result.genuine:
        return Verdict.GENUINE
    return Verdict.NOT_VERIFIED


def seeded(seed: int = 7) -> Callable[[int], bytes]:
    """A reproducible source of nonces (RND.IFD, K.IFD, RND.ICC, K.ICC) for one test."""
    generator = random.Random(seed)
    return generator.randbytes

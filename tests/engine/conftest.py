from __future__ import annotations

from datetime import date

import pytest

from verifier.card.trust import TrustStore
from verifier.engine.checks import VerifyOptions

TODAY = date(2026, 11, 23)


@pytest.fixture
def options() -> VerifyOptions:
    return VerifyOptions(trust=TrustStore.builtin(accepted=("production", "simulated")),
                         today=TODAY, simulated=True)

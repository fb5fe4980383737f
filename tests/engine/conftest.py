from __future__ import annotations

from datetime import date

import pytest

from verifier.documents.my_number.checks import VerifyOptions
from verifier.documents.my_number.trust import TrustStore

TODAY = date(2026, 11, 23)


@pytest.fixture
def options() -> VerifyOptions:
    return VerifyOptions(trust=TrustStore.builtin(accepted=("production", "simulated")),
                         today=TODAY, simulated=True)

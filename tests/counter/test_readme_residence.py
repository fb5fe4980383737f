"""The README's table of simulated residence cards names every profile with the card number a
trainee types, as the simulated card prints it: a profile added, or a number changed, without
the README following fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from testcards.residence.plugin import RESIDENCE_SOURCE
from testcards.residence.profiles import RESIDENCE_PROFILES

REPO = Path(__file__).resolve().parents[2]


def readme_row(profile: str) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith(f"| `{profile}` |")]
    assert len(rows) == 1, f"README.md has {len(rows)} table rows for {profile}"
    return rows[0]


@pytest.mark.parametrize("profile", list(RESIDENCE_PROFILES))
def test_readme_lists_every_residence_profiles_card_number(profile: str) -> None:
    number = RESIDENCE_SOURCE.printed(profile, persona=0).card_number.text
    assert f"`{number}`" in readme_row(profile)


@pytest.mark.parametrize("profile", list(RESIDENCE_PROFILES))
def test_readme_gives_every_residence_profiles_verdict(profile: str) -> None:
    expected = RESIDENCE_PROFILES[profile].expected_when_typed
    assert expected.name in readme_row(profile)

"""Without root the pcscd tier is skipped with one summary line, and under CI it fails instead.

Not marked `pcsc`: it runs pytest on two files of the tier in a subprocess that takes itself for
an unprivileged user (os.geteuid patched by a plugin), so it needs neither pcscd nor root and
runs, never skipped, wherever the suite runs. The tier's fixture stops the tests before the
session lock and pcscd (tests/conftest.py); TMPDIR points the lock at tmp_path all the same.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Each test in these needs pcscd, except test_simcard_rejects_an_unknown_profile.
TIER_FILES = ["tests/pcsc/test_pcsc_cli.py", "tests/gui/test_gui_pcsc.py"]
NEEDING_PCSCD = 8


def _run_as_user(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "as_unprivileged_user.py").write_text("import os\nos.geteuid = lambda: 1000\n")
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS")}
    env.update(PYTHONPATH=str(tmp_path), TMPDIR=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "-p", "as_unprivileged_user", *TIER_FILES],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def test_without_root_the_tier_is_skipped_with_one_line(tmp_path: Path) -> None:
    done = _run_as_user(tmp_path, ci=None)
    assert done.returncode == 0, done.stdout + done.stderr
    skip_lines = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(skip_lines) == 1, done.stdout
    assert skip_lines[0].startswith(f"SKIPPED [{NEEDING_PCSCD}] tests/conftest.py:")
    assert skip_lines[0].endswith(
        "pcscd tier skipped: needs root for pcscd in a network namespace (scripts/pcscd.sh); "
        "run `sudo make test`"
    )
    assert f"1 passed, {NEEDING_PCSCD} skipped" in done.stdout


def test_without_root_under_ci_the_tier_fails(tmp_path: Path) -> None:
    done = _run_as_user(tmp_path, ci="true")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "SKIPPED" not in done.stdout
    assert done.stdout.splitlines()[-1].startswith(f"1 passed, {NEEDING_PCSCD} errors in ")
    assert "under CI nothing is skipped: run the tests as root (`sudo make test`" in done.stdout

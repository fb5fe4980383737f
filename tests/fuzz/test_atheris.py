"""A short, fixed-seed atheris session over the parsers and the verification (atheris_card.py).

Skipped, saying so, when atheris is not installed (it is an optional dev tool; Hypothesis
covers the same properties in the other files here). Run time: about 10 s.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import atheris  # noqa: F401  -- in the dev extra: a missing fuzzer fails, it never skips

ROOT = Path(__file__).resolve().parents[2]
RUNS = 4000


def test_atheris_session_finds_no_crash(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seed = [sys.executable, "-c",
            f"from tests.fuzz.atheris_card import write_seeds; write_seeds({str(corpus)!r})"]
    subprocess.run(seed, cwd=ROOT, check=True, timeout=120)
    run = subprocess.run(
        [sys.executable, "-m", "tests.fuzz.atheris_card", f"-atheris_runs={RUNS}", "-seed=1",
         "-max_len=12000", f"-artifact_prefix={tmp_path}/", str(corpus)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert f"Done {RUNS}" in run.stderr

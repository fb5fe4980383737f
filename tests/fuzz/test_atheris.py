"""A short, fixed-seed atheris session over the parsers and the verification (atheris_card.py).

atheris is in the dev extra: without it this file fails to import; it is never skipped.
Hypothesis covers the same properties in the other files here. Run time: about 3 s.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import atheris  # noqa: F401  -- in the dev extra: a missing fuzzer fails, it never skips

from testcards import PERSONAS
from tests.fuzz import chip as c

ROOT = Path(__file__).resolve().parents[2]
# libFuzzer's edge coverage (seed 1): 420 after 1,000 runs, 423 after 2,000, 425 after 4,000.
RUNS = 2000


def test_atheris_session_finds_no_crash(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    c.write_seeds(corpus, c.genuine_chip(PERSONAS[0]))  # the chip atheris_card.py fuzzes
    run = subprocess.run(
        [sys.executable, "-m", "tests.fuzz.atheris_card", f"-atheris_runs={RUNS}", "-seed=1",
         "-max_len=12000", f"-artifact_prefix={tmp_path}/", str(corpus)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert f"Done {RUNS}" in run.stderr

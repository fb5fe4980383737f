"""What the README and `--help` show works as shown (issue 11, item 10)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.__main__ import repeats
from testcards.plugin import SOURCE
from verifier.cli.main import main

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
CLI = [sys.executable, "-m", "verifier.cli.main"]


def console_block_after(marker: str) -> list[str]:
    start = README.index(marker)
    block = README[README.index("```console\n", start) + len("```console\n"):]
    return block[:block.index("```")].splitlines()


def test_the_readme_batch_example_runs_as_shown(tmp_path: Path) -> None:
    lines = console_block_after("Batch (JSON Lines in and out")
    assert lines[0] == "$ cat requests.jsonl"
    command_at = next(i for i, line in enumerate(lines) if line.startswith("$ mynacheck batch"))
    (tmp_path / "requests.jsonl").write_text("\n".join(lines[1:command_at]) + "\n",
                                             encoding="utf-8")
    command, _, projection = lines[command_at].removeprefix("$ mynacheck ").partition(" | ")
    keys = re.fullmatch(r"jq -c '\{(.*)\}'", projection)
    assert keys is not None, projection
    done = subprocess.run([*CLI, *command.split()], capture_output=True, text=True,
                          timeout=120, check=False, cwd=tmp_path)
    shown = [json.loads(line) for line in lines[command_at + 1:]]
    got = [{key.strip(): json.loads(line).get(key.strip()) for key in keys.group(1).split(",")}
           for line in done.stdout.splitlines()]
    assert got == shown, done.stderr
    records = (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(records) == len(shown)


def test_bench_headings_in_the_readme_say_how_often_each_table_was_measured() -> None:
    stated = re.search(r"`\.venv/bin/python -m bench --runs (\d+)`", README)
    assert stated is not None, "the README must say which --runs measured its tables"
    counts = repeats(int(stated.group(1)))
    headings = {
        "### In-process": counts["in-process"],
        "### Cold start": counts["cold start"],
        "### Through pcscd": counts["pcscd"],
        "### The counter app through pcscd": counts["counter app"],
    }
    for prefix, count in headings.items():
        heading = next(line for line in README.splitlines() if line.startswith(prefix))
        found = re.search(r"median of (\d+)", heading)
        assert found is not None and int(found.group(1)) == count, heading


def test_simcard_help_names_only_profiles_that_exist(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["simcard", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    named = re.search(r"--profile PROFILE .*?e\.g\. ([\w, -]+?)(?: \(| --|$)", text)
    assert named is not None, text
    for profile in (p.strip() for p in named.group(1).split(",")):
        assert profile in SOURCE.profiles, profile

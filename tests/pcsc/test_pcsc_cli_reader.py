"""Reader states at the command line through the real pcscd (issue 11, item 4): a reader that is
not there is a usage error listing the readers; no card anywhere says to place one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import testcards

pytestmark = pytest.mark.pcsc

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "verifier.cli.main"]
CODE = testcards.PERSONAS[0].code_b.digits


def mynacheck(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *argv], input=stdin, capture_output=True, text=True,
                          timeout=120, check=False, cwd=REPO)


@pytest.mark.parametrize("reader", ["No Such Reader", "5"])
def test_a_reader_that_is_not_there_is_a_usage_error_listing_the_readers(
        reader: str, vpcd_readers: tuple[str, str], tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    done = mynacheck("verify", "--reader", reader, "--code-b", CODE,
                     "--audit-log", str(audit))
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mynacheck: error:"), lines
    assert vpcd_readers[0] in lines[0] and vpcd_readers[1] in lines[0]
    assert audit.read_text(encoding="utf-8") == ""  # checked, nothing recorded


def test_batch_refuses_a_request_for_a_reader_that_is_not_there(
        vpcd_readers: tuple[str, str]) -> None:
    request = json.dumps({"id": "r1", "reader": "No Such Reader", "code_b": CODE})
    done = mynacheck("batch", "-", stdin=request + "\n")
    assert done.returncode == 2
    out = json.loads(done.stdout)
    assert out["id"] == "r1" and vpcd_readers[0] in out["error"]
    assert "verdict" not in out


def test_no_card_on_any_reader_says_place_a_card(vpcd_readers: tuple[str, str]) -> None:
    done = mynacheck("verify", "--code-b", CODE, "--json")
    assert done.returncode == 12, done.stderr
    failing = json.loads(done.stdout)["checks"][0]
    assert failing["reason"] == "no_card"
    assert failing["detail"]["ja"].startswith("カードを置いてください")
    assert "place a card" in failing["detail"]["en"]
    assert "取り外" not in done.stdout
    text = mynacheck("verify", "--code-b", CODE)
    assert "カードを置いてください" in text.stdout and "取り外" not in text.stdout


def test_no_card_on_the_named_reader_in_a_batch_says_place_a_card(
        vpcd_readers: tuple[str, str]) -> None:
    request = json.dumps({"id": "r1", "reader": vpcd_readers[0], "code_b": CODE})
    done = mynacheck("batch", "-", stdin=request + "\n")
    assert done.returncode == 12, done.stderr
    out = json.loads(done.stdout)
    assert out["id"] == "r1" and out["verdict"] == "NOT_VERIFIED"
    assert out["checks"][0]["reason"] == "no_card"
    assert "取り外" not in done.stdout

"""What the operator can get wrong is refused before the card is touched (issue 11, items 3, 5
and 6): no try spent, no card read, no audit line, exit 2 with one line, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import testcards
from verifier.cli.main import main
from verifier.counter.visit import Counter

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "verifier.cli.main"]
FIELDS = ["--expiry-year", "2035", "--security-code", "2285"]


@pytest.fixture
def card_never_touched(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Counter.open is where a card is first touched: a test fails if it is reached."""
    opened: list[object] = []

    def refuse(self: Counter, spec: object) -> object:
        opened.append(spec)
        raise AssertionError("the card was touched")

    monkeypatch.setattr(Counter, "open", refuse)
    return opened


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("mynacheck: error:")
    return lines[0]


@pytest.mark.parametrize(("argv", "words"), [
    (["--birth", "2099-01-01", *FIELDS], "future"),
    (["--birth", "令和80年1月1日", *FIELDS], "future"),
    (["--birth", "1980-02-17", "--expiry-year", "2099", "--security-code", "2285"], "expir"),
    (["--code-b", "55021720992285"], "expir"),
])
def test_a_code_no_card_can_print_spends_no_try(argv: list[str], words: str,
                                                card_never_touched: list[object],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--simulated", "genuine", *argv]) == 2
    assert words in one_error_line(capsys)
    assert card_never_touched == []


def test_save_photo_into_a_missing_folder_is_refused_before_reading(
        tmp_path: Path, card_never_touched: list[object],
        capsys: pytest.CaptureFixture[str]) -> None:
    audit = tmp_path / "audit.jsonl"
    assert main(["verify", "--simulated", "genuine", "--save-photo", "/nodir/p.png",
                 "--audit-log", str(audit)]) == 2
    assert "/nodir" in one_error_line(capsys)
    assert card_never_touched == []
    assert not audit.exists() or audit.read_text(encoding="utf-8") == ""


def test_save_photo_onto_a_folder_is_refused(tmp_path: Path, card_never_touched: list[object],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--simulated", "genuine", "--save-photo", str(tmp_path)]) == 2
    assert "directory" in one_error_line(capsys)


@pytest.mark.parametrize("where", ["missing/audit.jsonl", "."])
def test_an_audit_log_that_cannot_be_written_is_refused_before_reading(
        where: str, tmp_path: Path, card_never_touched: list[object],
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--simulated", "genuine",
                 "--audit-log", str(tmp_path / where)]) == 2
    assert "audit log" in one_error_line(capsys)
    assert card_never_touched == []


def test_save_photo_into_a_missing_folder_in_a_real_process(tmp_path: Path) -> None:
    done = subprocess.run([*CLI, "verify", "--simulated", "genuine", "--save-photo",
                           "/nodir/p.png", "--audit-log", str(tmp_path / "audit.jsonl")],
                          capture_output=True, text=True, timeout=120, check=False, cwd=REPO)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""  # no verdict: the card was never read
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("mynacheck: error:")
    assert not (tmp_path / "audit.jsonl").exists()


def test_demo_with_a_persona_out_of_range_is_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--persona", "9"]) == 2
    assert "persona" in one_error_line(capsys)


def test_no_code_on_a_simulated_card_says_the_printed_code_was_used(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--simulated", "genuine", "--json"]) == 0
    checks = {c["id"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    detail = checks["code_b.consistent"]["detail"]
    assert "printed code was used" in detail["en"] and "typed" not in detail["en"].split(":")[1]
    assert "印字" in detail["ja"]
    code = testcards.PERSONAS[0].code_b.digits
    assert main(["verify", "--simulated", "genuine", "--json", "--code-b", code]) == 0
    typed = {c["id"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert "match what was typed" in typed["code_b.consistent"]["detail"]["en"]


def test_verify_without_the_pcsc_service_says_so_and_what_to_do() -> None:
    env = dict(os.environ, PCSCLITE_CSOCK_NAME="/nonexistent/pcscd.comm")
    done = subprocess.run([*CLI, "verify", "--code-b", "55021720352285", "--json"], env=env,
                          capture_output=True, text=True, timeout=120, check=False, cwd=REPO)
    assert done.returncode == 12, done.stderr
    result = json.loads(done.stdout)
    failing = next(c for c in result["checks"] if c["outcome"] == "failed")
    assert failing["reason"] == "service_not_running"
    assert "PC/SC service is not running" in failing["detail"]["en"]
    assert "start" in failing["detail"]["en"]
    assert "サービス" in failing["detail"]["ja"]


def test_readers_without_the_pcsc_service_says_what_to_do() -> None:
    env = dict(os.environ, PCSCLITE_CSOCK_NAME="/nonexistent/pcscd.comm")
    done = subprocess.run([*CLI, "readers"], env=env, capture_output=True, text=True,
                          timeout=120, check=False, cwd=REPO)
    assert done.returncode == 2
    assert "not running" in done.stderr and "start it" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1

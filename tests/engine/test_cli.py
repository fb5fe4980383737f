"""The `mynacheck` command line, called in-process (console-script behaviour is in test_console)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import testcards
from verifier.cli.main import main
from verifier.counter.exits import EXIT_CODES


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main(["verify", "--json", *argv])
    out = capsys.readouterr().out
    return code, json.loads(out)


@pytest.mark.parametrize("name", list(testcards.PROFILES))
def test_exit_code_matches_the_verdict(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run_json(capsys, "--simulated", name)
    expected = testcards.PROFILES[name].expected
    assert data["verdict"] == expected.value
    assert code == EXIT_CODES[expected] == data["exit_code"]
    assert {"verdict", "checks", "card", "apdu_count", "elapsed_ms"} <= set(data)
    assert "personal" not in data


def test_json_has_no_personal_data_unless_asked(capsys: pytest.CaptureFixture[str]) -> None:
    persona = testcards.PERSONAS[0]
    _, plain = run_json(capsys, "--simulated", "genuine")
    text = json.dumps(plain, ensure_ascii=False)
    assert persona.birth.strftime("%Y%m%d") not in text
    assert persona.code_b.digits not in text
    code, full = run_json(capsys, "--simulated", "genuine", "--include-personal-data")
    assert code == 0
    personal = full["personal"]
    assert isinstance(personal, dict)
    assert personal["birth_date"] == persona.birth.strftime("%Y%m%d")
    assert personal["photo_png"]


def test_code_b_from_printed_fields(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run_json(capsys, "--simulated", "genuine", "--birth", "昭和55年2月17日",
                          "--expiry-year", "2035", "--security-code", "2285")
    assert code == 0, data
    code, data = run_json(capsys, "--simulated", "genuine", "--birth", "1980-02-17",
                          "--expiry-year", "2035", "--security-code", "2285")
    assert code == 0, data
    code, data = run_json(capsys, "--simulated", "genuine", "--birth", "S55.02.17",
                          "--expiry-year", "2035", "--security-code", "2286")
    assert code == 12 and data["failing_check"] == "code_b.verify"


def test_save_photo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "photo.png"
    assert main(["verify", "--simulated", "genuine", "--save-photo", str(target)]) == 0
    assert target.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("argv", [
    ["verify", "--simulated", "no-such-profile"],
    ["verify", "--simulated", "genuine", "--code-b", "123"],
    ["verify", "--simulated", "genuine", "--birth", "1980-02-17"],
    ["verify", "--simulated", "genuine", "--quirks", "no-such-quirk"],
    ["verify", "--simulated", "genuine", "--trust-file", "/nonexistent.json"],
    ["verify", "--simulated", "genuine", "--keep-tries", "-1"],
])
def test_usage_errors_exit_2_with_one_line(argv: list[str],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("mynacheck: error:")


def test_demo_exit_0_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    for name in testcards.PROFILES:
        assert name in out
    assert "genuine + wrong code" in out


def test_audit_log_lines_have_nothing_personal(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "audit.jsonl"
    for name in ("genuine", "cloned"):
        main(["verify", "--simulated", name, "--audit-log", str(log), "--operator", "clerk-7"])
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [line["verdict"] for line in lines] == ["GENUINE", "COUNTERFEIT_SUSPECTED"]
    assert lines[0]["operator"] == "clerk-7"
    assert lines[0]["issuer_key_id"] == "9000023/001"
    text = log.read_text(encoding="utf-8")
    persona = testcards.PERSONAS[0]
    for secret in (persona.birth.strftime("%Y%m%d"), persona.code_b.digits, persona.name):
        assert secret not in text


def test_batch_in_process(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    requests = tmp_path / "req.jsonl"
    requests.write_text("\n".join([
        json.dumps({"id": "a", "simulated": "genuine"}),
        json.dumps({"id": "b", "simulated": "cloned"}),
        "not json",
        json.dumps({"id": "c", "simulated": "genuine", "code_b": "55021720352286"}),
    ]) + "\n", encoding="utf-8")
    code = main(["batch", str(requests)])
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_id = {line.get("id"): line for line in out}
    assert by_id["a"]["verdict"] == "GENUINE"
    assert by_id["b"]["verdict"] == "COUNTERFEIT_SUSPECTED"
    assert by_id["c"]["verdict"] == "NOT_VERIFIED"
    assert any(line.get("line") == 3 and "error" in line for line in out)
    # A refused line makes the whole batch a usage error, whatever the verdicts (issue 11).
    assert code == 2
    assert [line["line"] for line in out] == [1, 2, 3, 4]  # in the order of the file

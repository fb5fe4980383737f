"""Virtual readers only in training, through the real pcscd: the CLI refuses a Virtual PCD
reader unless --training, with one clear line, and marks what it reads there simulated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from vpcd_cards import ServeCard

import testcards
from verifier.cli.main import main

pytestmark = pytest.mark.pcsc

CODE = testcards.PERSONAS[0].code_b.digits


def test_verify_refuses_a_virtual_reader_outside_training(
    serve_card: ServeCard, capsys: pytest.CaptureFixture[str]
) -> None:
    served = serve_card(lambda: testcards.build_card("genuine"), slot=0)
    code = main(["verify", "--reader", served.reader, "--trust", "simulated", "--json",
                 "--code-b", CODE])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert served.reader in lines[0] and "--training" in lines[0]
    assert served.bridge.card is not None


def test_verify_in_training_marks_the_result_simulated(
    serve_card: ServeCard, capsys: pytest.CaptureFixture[str]
) -> None:
    served = serve_card(lambda: testcards.build_card("genuine"), slot=1)
    code = main(["verify", "--training", "--reader", served.reader, "--trust", "simulated",
                 "--json", "--code-b", CODE])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["verdict"] == "GENUINE" and data["simulated"] is True


def test_batch_refuses_virtual_readers_outside_training(
    serve_card: ServeCard, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    served = serve_card(lambda: testcards.build_card("genuine"), slot=0)
    requests = tmp_path / "requests.jsonl"
    requests.write_text(json.dumps({"id": "a", "reader": served.reader, "code_b": CODE}) + "\n",
                        encoding="utf-8")
    code = main(["batch", str(requests), "--trust", "simulated"])
    out, err = capsys.readouterr()
    assert code == 2
    [line] = [json.loads(text) for text in out.splitlines()]
    assert line["id"] == "a" and "verdict" not in line
    assert served.reader in line["error"] and "--training" in line["error"]
    assert "--training" in err


def test_readers_marks_virtual_readers(
    vpcd_readers: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["readers", "--json"]) == 0
    listed = {r["name"]: r for r in json.loads(capsys.readouterr().out)["readers"]}
    assert all(listed[name]["virtual"] is True for name in vpcd_readers)
    assert main(["readers"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for name in vpcd_readers:
        assert any(name in line and "virtual" in line for line in lines)

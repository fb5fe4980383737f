"""Code B from a picture through the application layer, the CLI and batch: the printed face held
against the chip, the confirm step, nothing sent for an unclear picture, nothing of it logged."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

import testcards
from testcards.printed_face import capture_bytes
from verifier.cli.main import main
from verifier.counter.codes import CodeInput, code_from_picture
from verifier.counter.policy import CounterPolicy
from verifier.counter.sources import SourceSpec
from verifier.counter.visit import Counter
from verifier.documents.my_number.check_ids import CheckId
from verifier.engine.verdict import Outcome, Reason, Verdict
from verifier.ocr.fields import PrintedFace

PERSONA = testcards.PERSONAS[0]
SURE = 0.99


def face_of(persona: testcards.Persona, **changes: object) -> PrintedFace:
    face = PrintedFace(birth=persona.birth, expiry=persona.expiry,
                       security_code=persona.security_code, birth_confidence=SURE,
                       expiry_confidence=SURE, security_code_confidence=SURE)
    return replace(face, **changes)  # type: ignore[arg-type]


def from_picture(face: PrintedFace) -> CodeInput:
    return code_from_picture(face, today=date(2026, 12, 1))


def test_matching_face_is_its_own_passed_check(tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    desk = Counter(CounterPolicy(audit_log=audit))
    face = face_of(PERSONA)
    result = desk.check(SourceSpec(simulated="genuine"), from_picture(face)).result
    assert result.verdict is Verdict.GENUINE
    check = result.check(CheckId.PRINTED_FACE)
    assert check is not None and check.outcome is Outcome.PASSED
    assert result.to_json()["code_from_image"] is True
    record = json.loads(audit.read_text(encoding="utf-8"))
    assert record["code_from_image"] is True
    assert PERSONA.security_code not in audit.read_text(encoding="utf-8")


def test_a_genuine_chip_under_another_printed_face() -> None:
    # Born 平成2年 (1990); the printed face says 令和2年 (2020): the same era-year digits, so the
    # code B typed from it opens the chip. Only the printed face against the chip shows it.
    chip_persona = replace(PERSONA, key="heisei-2", birth=date(1990, 2, 17))
    card = testcards.build_card_for(chip_persona)
    face = face_of(chip_persona, birth=date(2020, 2, 17))
    assert face.code_b() == chip_persona.code_b
    visit = Counter(CounterPolicy()).attach(card, reader="in-process", in_process=True)
    result = visit.verify(from_picture(face)).result
    assert result.verdict is Verdict.COUNTERFEIT_SUSPECTED
    failing = result.failing_check
    assert failing is not None and failing.reason is Reason.PRINTED_FACE_DIFFERS
    assert result.personal is None  # nothing to compare with a person


def test_an_unsure_reading_is_not_compared_and_named() -> None:
    chip_persona = replace(PERSONA, key="heisei-2", birth=date(1990, 2, 17))
    card = testcards.build_card_for(chip_persona)
    face = face_of(chip_persona, birth=date(2020, 2, 17), birth_confidence=0.4)
    visit = Counter(CounterPolicy()).attach(card, reader="in-process", in_process=True)
    checked = visit.verify(CodeInput(chip_persona.code_b, face=face))
    result = checked.result
    assert result.verdict is Verdict.GENUINE
    check = result.check(CheckId.PRINTED_FACE)
    # the expiry was read surely and matches; the birth date is named for the clerk's eyes
    assert check is not None and check.outcome is Outcome.PASSED
    assert [c.to_json() for c in checked.cautions] == [
        {"id": "printed_field_not_compared", "field": "birth", "why": "unsure"}]
    assert "目で見比べて" in check.detail.ja


def test_typed_codes_add_no_picture_check() -> None:
    result = Counter(CounterPolicy()).check(SourceSpec(simulated="genuine"), None).result
    assert result.check(CheckId.PRINTED_FACE) is None and "code_from_image" not in result.to_json()


@pytest.fixture(scope="module")
def picture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faces") / "face.png"
    path.write_bytes(capture_bytes(PERSONA, "blur", seed=1))
    return path


def test_cli_reads_the_picture_and_verifies_with_yes(picture: Path,
                                                     capsys: pytest.CaptureFixture[str],
                                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    code = main(["-vv", "verify", "--simulated", "genuine", "--code-b-from-image", str(picture),
                 "--yes", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    data = json.loads(out)
    assert data["verdict"] == "GENUINE" and data["code_from_image"] is True
    assert "2285" in err  # shown to the operator for confirmation...
    assert "2285" not in caplog.text and PERSONA.code_b.digits not in caplog.text  # ...never logged


def test_cli_without_a_terminal_needs_yes(picture: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "verifier.cli.main", "verify", "--simulated",
                           "genuine", "--code-b-from-image", str(picture)],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 2
    assert "--yes" in done.stderr and "GENUINE" not in done.stdout


def test_unclear_picture_sends_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blank = tmp_path / "blank.png"
    from PIL import Image

    Image.new("RGB", (640, 400), "white").save(blank)
    code = main(["verify", "--simulated", "genuine", "--code-b-from-image", str(blank), "--yes"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert "not clear enough" in err or "every field" in err


def test_batch_key_code_b_image(picture: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    requests = tmp_path / "requests.jsonl"
    requests.write_text(
        json.dumps({"id": "a", "simulated": "genuine", "code_b_image": str(picture)}) + "\n"
        + json.dumps({"id": "b", "simulated": "genuine",
                      "code_b_image": str(tmp_path / "missing.png")}) + "\n", encoding="utf-8")
    code = main(["batch", str(requests)])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["id"] == "a" and lines[0]["verdict"] == "GENUINE"
    assert lines[0]["code_from_image"] is True
    assert lines[1]["id"] == "b" and "error" in lines[1]
    assert code == 2

"""`mynacheck verify` and `batch` with residence cards (issue 17): the card number on every path,
a key of the other document refused before any VERIFY (exit 2), `document` and `generation` in
the JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import testcards
from testcards.residence.plugin import RESIDENCE_SOURCE
from verifier.cli.main import main

CODE = testcards.PERSONAS[0].code_b.digits
WRONG = "ZZ00000001ZZ"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def number_of(profile: str) -> str:
    return RESIDENCE_SOURCE.printed(profile, persona=0).card_number.text


@pytest.mark.parametrize(("profile", "document", "generation"), [
    ("residence-genuine-1", "residence_card", 1),
    ("residence-spr-genuine-1", "special_permanent_resident_certificate", 1),
    ("residence-genuine-2", "residence_card", 2),
    ("residence-spr-genuine-2", "special_permanent_resident_certificate", 2)])
def test_json_names_the_document_and_its_generation(capsys: pytest.CaptureFixture[str],
                                                    profile: str, document: str,
                                                    generation: int) -> None:
    code, out, _ = run(capsys, "verify", "--simulated", profile, "--json")
    assert code == 0
    answer = json.loads(out)
    assert (answer["document"], answer["generation"]) == (document, generation)
    assert answer["verdict"] == "GENUINE"


def test_a_my_number_card_says_so_too(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "verify", "--simulated", "genuine", "--json")
    assert code == 0 and json.loads(out)["document"] == "my_number_card"


def test_the_card_number_from_standard_input(capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(WRONG.lower() + "\n"))
    code, out, err = run(capsys, "verify", "--simulated", "residence-genuine-2",
                         "--card-number", "-", "--json")
    answer = json.loads(out)
    assert code == 12
    assert answer["failing_check"] == "card_number.verify"
    assert answer["checks"][2]["reason"] == "number_rejected"
    assert WRONG not in out + err and WRONG.lower() not in out + err


def test_the_right_number_typed(capsys: pytest.CaptureFixture[str]) -> None:
    number = number_of("residence-genuine-1")
    code, out, err = run(capsys, "verify", "--simulated", "residence-genuine-1",
                         "--card-number", number)
    assert code == 0 and "真正" in out
    assert number not in out + err


@pytest.mark.parametrize(("profile", "key"), [
    ("residence-genuine-2", ("--code-b", CODE)),
    ("genuine", ("--card-number", WRONG))])
def test_a_key_of_the_other_document_is_exit_2(capsys: pytest.CaptureFixture[str],
                                               profile: str, key: tuple[str, str]) -> None:
    code, out, err = run(capsys, "verify", "--simulated", profile, *key)
    assert code == 2 and out == ""
    assert "nothing was sent to the card" in err


def test_both_keys_at_once_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "verify", "--simulated", "residence-genuine-2",
                       "--card-number", WRONG, "--code-b", CODE)
    assert code == 2 and "not both" in err


@pytest.mark.parametrize("text", ["AB1234567CD", "A112345678CD", "AB12345678C1", "AB-12"])
def test_a_number_no_card_prints_is_exit_2_and_not_repeated(
        capsys: pytest.CaptureFixture[str], text: str) -> None:
    code, _, err = run(capsys, "verify", "--simulated", "residence-genuine-2",
                       "--card-number", text)
    assert code == 2 and "card number" in err
    assert text not in err


def test_batch_takes_card_numbers(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    requests = tmp_path / "requests.jsonl"
    lines = [
        {"id": "a", "simulated": "residence-genuine-1",
         "card_number": number_of("residence-genuine-1")},
        {"id": "b", "simulated": "residence-spr-genuine-2"},
        {"id": "c", "simulated": "residence-genuine-2", "card_number": WRONG},
        {"id": "d", "simulated": "residence-genuine-2", "card_number": WRONG},
        {"id": "e", "simulated": "genuine", "card_number": WRONG},
        {"id": "f", "simulated": "genuine", "card_number": WRONG, "code_b": CODE},
    ]
    requests.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "batch", str(requests))
    answers = {answer["id"]: answer for answer in map(json.loads, out.splitlines())}
    assert answers["a"]["verdict"] == "GENUINE" and answers["a"]["generation"] == 1
    assert answers["b"]["document"] == "special_permanent_resident_certificate"
    assert answers["c"]["verdict"] == "NOT_VERIFIED"
    assert "already rejected this card number" in answers["d"]["error"]
    assert "My Number Card" in answers["e"]["error"]
    assert "not both" in answers["f"]["error"]
    assert code == 2  # refused lines make the batch a usage error
    assert WRONG not in out

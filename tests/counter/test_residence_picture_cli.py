"""The whole picture path of a residence card through the command line (issue 17): the printed
front drawn, read by the real recogniser, its number sent once, and the picture's entries held
against the chip — a genuine card passes, a genuine chip under another printed face is caught;
batch's `card_number_image` the same, unattended."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from testcards.residence import issuance
from testcards.residence.builder import printed_persona
from testcards.residence.personas import RESIDENCE_PERSONAS
from testcards.residence.profiles import RESIDENCE_PROFILES
from verifier.cli.main import main


def front_picture(profile: str, directory: Path) -> Path:
    """The card's printed front as a counter scan gives it: what the face prints for that
    profile (a forged face prints other entries), drawn as the simulated card draws its front
    image, at twice its size."""
    card_type = RESIDENCE_PROFILES[profile].card_type
    shown = printed_persona(profile, RESIDENCE_PERSONAS[0])
    title, lines = issuance.front_lines(shown, card_type)
    from testcards.residence import render

    drawn = render.front_image(lines, title=title, seed=shown.key)
    image = Image.open(io.BytesIO(drawn)).convert("RGB")
    image = image.resize((image.width * 2, image.height * 2))
    path = directory / f"{profile}.png"
    out = io.BytesIO()
    image.save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture(scope="module")
def fronts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("fronts")
    return {profile: front_picture(profile, directory)
            for profile in ("residence-genuine-2", "residence-different-face")}


def test_a_genuine_card_read_from_its_picture(fronts: dict[str, Path],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", "--simulated", "residence-genuine-2", "--card-number-from-image",
                 str(fronts["residence-genuine-2"]), "--yes", "--json"])
    captured = capsys.readouterr()
    answer = json.loads(captured.out)
    assert code == 0, captured.err
    assert answer["code_from_image"] and answer["verdict"] == "GENUINE"
    compared = next(check for check in answer["checks"]
                    if check["id"] == "printed_face.matches_chip")
    assert compared["outcome"] in ("passed", "skipped")
    assert {"id": "printed_field_not_compared", "field": "name", "why": "no_chip_value"} \
        in answer["warnings"]


def test_another_printed_face_over_a_genuine_chip_is_caught(
        fronts: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", "--simulated", "residence-different-face",
                 "--card-number-from-image", str(fronts["residence-different-face"]), "--yes",
                 "--json"])
    answer = json.loads(capsys.readouterr().out)
    assert code == 10
    assert answer["failing_check"] == "printed_face.matches_chip"
    assert answer["checks"][-1]["reason"] == "printed_face_differs"


def test_batch_reads_the_number_from_a_picture(fronts: dict[str, Path], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    requests = tmp_path / "requests.jsonl"
    lines = [{"id": name, "simulated": name, "card_number_image": str(path)}
             for name, path in fronts.items()]
    requests.write_text("\n".join(map(json.dumps, lines)) + "\n", encoding="utf-8")
    code = main(["batch", str(requests)])
    answers = {answer["id"]: answer for answer in map(json.loads,
                                                       capsys.readouterr().out.splitlines())}
    assert answers["residence-genuine-2"]["verdict"] == "GENUINE"
    assert answers["residence-different-face"]["verdict"] == "COUNTERFEIT_SUSPECTED"
    assert code == 10


def test_a_picture_without_a_number_sends_nothing(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    blank = tmp_path / "blank.png"
    Image.new("RGB", (800, 500), "white").save(blank)
    code = main(["verify", "--simulated", "residence-genuine-2", "--card-number-from-image",
                 str(blank), "--yes"])
    assert code == 2
    assert "card number" in capsys.readouterr().err


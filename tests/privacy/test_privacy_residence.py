"""No personal data of a residence card — its number, the name, the birth date, the photo, the
front-of-card image — in stdout, stderr, log records or the audit log of `mynacheck verify`, with
the most verbose logging on, for every residence profile and persona and every way of giving the
number (typed, standard input); asked for, it appears in stdout only. And the number given on
standard input never reaches the process's command line (what every local user can read)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from testcards.residence import issuance
from testcards.residence.builder import printed
from testcards.residence.personas import RESIDENCE_PERSONAS
from testcards.residence.profiles import RESIDENCE_PROFILES
from tests.privacy.capture import run_in_process
from tests.privacy.needles import Needle, _digits, _literal, image_needles

ROOT = Path(__file__).resolve().parents[2]


def residence_needles(profile: str, index: int) -> list[Needle]:
    shown = printed(profile, index)
    number = shown.card_number.text
    out = [_literal("card number", number),
           Needle("card number, any case", re.compile(re.escape(number), re.IGNORECASE)),
           _literal("card number, spaced", f"{number[:2]} {number[2:10]} {number[10:]}"),
           _literal("name", shown.name)]
    for day, who in ((shown.birth, "birth"), (RESIDENCE_PERSONAS[index].birth, "chip birth")):
        out += [_digits(who, day.strftime("%Y%m%d")), _literal(f"{who} iso", day.isoformat()),
                _literal(f"{who} slashes", day.strftime("%Y/%m/%d"))]
    chosen = RESIDENCE_PROFILES[profile]
    issued = issuance.issued_persona(chosen, RESIDENCE_PERSONAS[index])
    front, photo = issuance.first_generation_images(issued, chosen.card_type)
    name, _, address = issuance.second_generation_images(issued)
    images = {"photo": photo, "name image": name, "address image": address}
    if chosen.card_type.generation == 1:
        images["front image"] = front
    for label, image in images.items():
        out += image_needles(label, image)
    return out


def _argv(profile: str, index: int, audit: Path, *extra: str) -> list[str]:
    return ["-vv", "verify", "-v", "--simulated", profile, "--persona", str(index),
            "--audit-log", str(audit), "--operator", "clerk-7", *extra]


@pytest.mark.parametrize("index", range(len(RESIDENCE_PERSONAS)))
@pytest.mark.parametrize("profile", list(RESIDENCE_PROFILES))
def test_residence_output_and_logs_hold_no_personal_data(
        profile: str, index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    needles = residence_needles(profile, index)
    number = printed(profile, index).card_number.text
    ways: list[tuple[str, ...]] = [(), ("--card-number", number, "--json"),
                                   ("--card-number", "-"), ("--card-number", "ZZ00000001ZZ")]
    for way, extra in enumerate(ways):
        monkeypatch.setattr("sys.stdin", io.StringIO(number.lower() + "\n"))
        audit = tmp_path / f"audit-{way}.jsonl"
        run = run_in_process(_argv(profile, index, audit, *extra), capsys, caplog, audit)
        assert run.exit_code in (0, 10, 11, 12), run.stderr
        assert run.audit, "the audit log was written"
        assert "verifier" in run.logs
        assert run.leaks(needles) == {}, (way, run.exit_code)


@pytest.mark.parametrize("profile", ["residence-genuine-1", "residence-genuine-2"])
def test_residence_personal_data_only_in_stdout_when_asked(
        profile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    needles = residence_needles(profile, 0)
    audit = tmp_path / "audit.jsonl"
    run = run_in_process(_argv(profile, 0, audit, "--json", "--include-personal-data"),
                         capsys, caplog, audit)
    assert run.exit_code == 0
    assert run.leaks(needles, personal_in_stdout=True) == {}
    # and it was asked for, so stdout does carry the chip's images
    assert any(needle.found_in(run.stdout) for needle in needles if "base64" in needle.label)


def test_the_number_on_standard_input_never_reaches_the_command_line(tmp_path: Path) -> None:
    """`--card-number -`: the number is read from the pipe after start; /proc/PID/cmdline (what
    `ps` shows every user) holds only the dash."""
    number = printed("residence-genuine-2", 0).card_number.text
    process = subprocess.Popen(
        [sys.executable, "-m", "verifier.cli.main", "verify", "--simulated",
         "residence-genuine-2", "--card-number", "-"],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        seen = ""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "--card-number" not in seen:
            seen = Path(f"/proc/{process.pid}/cmdline").read_bytes().replace(b"\0", b" ") \
                .decode()
            time.sleep(0.01)
        out, err = process.communicate(number.encode() + b"\n", timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert "--card-number -" in seen and number not in seen
    assert process.returncode == 0, err.decode()
    assert number not in out.decode() + err.decode()


def test_the_needles_find_what_they_look_for() -> None:
    shown = printed("residence-genuine-2", 1)
    needles = residence_needles("residence-genuine-2", 1)
    for text in (shown.card_number.text, shown.card_number.text.lower(), shown.name,
                 shown.birth.isoformat(), shown.birth.strftime("%Y%m%d")):
        assert any(needle.found_in(f"x {text} y") for needle in needles), text
    assert not any(needle.found_in("GENUINE residence_card 12 APDUs, 4.2 ms") for needle in needles)

"""No personal data in the output, stderr, log records or audit log of `mynacheck batch`, run
over a JSON Lines file holding every profile and persona, with every way of giving the code,
and broken lines among them (their error messages must not echo what was typed).

Run time: about 6 s.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

import testcards
from tests.privacy.capture import run_in_process, run_process
from tests.privacy.needles import Needle, needles_for

PROFILES = list(testcards.PROFILES)
PERSONAS = range(len(testcards.PERSONAS))


def _request(profile: str, index: int, variant: int) -> dict[str, object]:
    printed = testcards.printed_persona(profile, testcards.PERSONAS[index])
    request: dict[str, object] = {"id": f"{profile}/{index}/{variant}", "simulated": profile,
                                  "persona": index}
    if variant == 1:
        request["code_b"] = printed.code_b.digits
    elif variant == 2:
        request.update(birth=printed.birth.isoformat(), expiry_year=printed.expiry.year,
                       security_code=printed.security_code,
                       printed_gregorian=printed.foreign)
    return request


def _broken_lines(index: int) -> list[str]:
    """Lines a tired operator might write, each carrying personal data into an error path."""
    printed = testcards.PERSONAS[index]
    return [
        json.dumps({"simulated": "genuine", "persona": index,
                    "code_b": printed.code_b.digits + "9"}),  # 15 digits
        json.dumps({"simulated": "genuine", "persona": index, "birth": printed.birth.isoformat(),
                    "expiry_year": printed.expiry.year}),  # security code missing
        json.dumps({"simulated": "genuine", "persona": index, "name": printed.name}),
        json.dumps({"simulated": "genuine", "persona": index,
                    "birth": printed.birth.strftime("%Y%m%d") + "x",
                    "expiry_year": printed.expiry.year,
                    "security_code": printed.security_code}),
        '{"simulated": "genuine", "code_b": "' + printed.code_b.digits + '"',  # not JSON
    ]


def _write_requests(path: Path, *, broken: bool,
                    personas: Sequence[int] = PERSONAS) -> list[Needle]:
    lines: list[str] = []
    needles: list[Needle] = []
    for index in personas:
        for profile in PROFILES:
            needles += needles_for(profile, index)
            for variant in range(3):
                lines.append(json.dumps(_request(profile, index, variant), ensure_ascii=False))
        if broken:
            lines += _broken_lines(index)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return list({(n.label, n.pattern.pattern): n for n in needles}.values())


def test_batch_of_every_profile_holds_no_personal_data(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    requests = tmp_path / "requests.jsonl"
    audit = tmp_path / "audit.jsonl"
    needles = _write_requests(requests, broken=True)
    run = run_in_process(["-vv", "batch", str(requests), "-v", "--audit-log", str(audit),
                          "--operator", "clerk-7"], capsys, caplog, audit)
    results = [json.loads(line) for line in run.stdout.splitlines()]
    verdicts = [r["verdict"] for r in results if "verdict" in r]
    assert len(verdicts) == len(PROFILES) * len(PERSONAS) * 3
    assert sum("error" in r for r in results) == 5 * len(PERSONAS)
    assert len(run.audit.splitlines()) == len(verdicts)
    assert "verifier.engine.session" in run.logs
    assert run.leaks(needles) == {}


def test_batch_personal_data_only_in_stdout_when_asked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    requests = tmp_path / "requests.jsonl"
    audit = tmp_path / "audit.jsonl"
    needles = _write_requests(requests, broken=False)
    run = run_in_process(["-vv", "batch", str(requests), "--include-personal-data",
                          "--audit-log", str(audit)], capsys, caplog, audit)
    for index in PERSONAS:
        assert testcards.PERSONAS[index].name in run.stdout
    assert run.leaks(needles, personal_in_stdout=True) == {}


def test_batch_in_a_real_process(tmp_path: Path) -> None:
    """What a real process adds is its own stderr (the log handler's output): every profile, on
    a persona with a 和暦 birth date and on one printed in Gregorian; every persona is above."""
    requests = tmp_path / "requests.jsonl"
    audit = tmp_path / "audit.jsonl"
    personas = (0, len(PERSONAS) - 1)
    assert not testcards.PERSONAS[0].foreign and testcards.PERSONAS[personas[1]].foreign
    needles = _write_requests(requests, broken=True, personas=personas)
    run = run_process(["-vv", "batch", str(requests), "--audit-log", str(audit)], audit)
    assert run.exit_code == 2  # broken lines are in the batch: never taken for a clean one
    assert " DEBUG " in run.stderr
    assert len(run.audit.splitlines()) == len(PROFILES) * len(personas) * 3
    assert run.leaks(needles) == {}


def test_audit_log_is_private_to_its_owner(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           caplog: pytest.LogCaptureFixture) -> None:
    """On a shared counter PC the audit log holds who verified when: owner-only (0600), and
    each line whole JSON even with several readers' workers appending at once. (Every profile
    on one persona: the log's mode and lines do not depend on whose card it was.)"""
    requests = tmp_path / "requests.jsonl"
    audit = tmp_path / "audit.jsonl"
    _write_requests(requests, broken=False, personas=(0,))
    run_in_process(["batch", str(requests), "--audit-log", str(audit)], capsys, caplog, audit)
    assert audit.stat().st_mode & 0o077 == 0
    lines = audit.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(PROFILES) * 3
    assert all(json.loads(line)["verdict"] for line in lines)

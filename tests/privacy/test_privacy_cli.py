"""No personal data in stdout, stderr, log records or the audit log of `mynacheck verify` and
`mynacheck demo`, with the most verbose logging on, for every profile and persona and every way
of typing the code — unless personal output was asked for, and then in stdout only.

Needles and why each is specific: needles.py. In-process runs capture every log record at
DEBUG on the root logger (message, args, extras, tracebacks); subprocess runs cover the stderr
of a real process. Run time: about 6 s.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import testcards
from tests.privacy.capture import VARIANTS, Captured, code_args, run_in_process, run_process
from tests.privacy.needles import needles_for

PROFILES = list(testcards.PROFILES)
PERSONAS = range(len(testcards.PERSONAS))


def _verify_argv(profile: str, index: int, variant: int, audit: Path, *extra: str) -> list[str]:
    return ["-vv", "verify", "-v", "--simulated", profile, "--persona", str(index),
            *code_args(profile, index, variant), "--audit-log", str(audit),
            "--operator", "clerk-7", *extra]


def _assert_logged(run: Captured) -> None:
    """The negative checks mean something only if the debug log was really on."""
    assert "verifier.engine.session" in run.logs or "->" in run.logs, run.logs[:500]


@pytest.mark.parametrize("index", PERSONAS)
@pytest.mark.parametrize("profile", PROFILES)
def test_verify_output_and_logs_hold_no_personal_data(
        profile: str, index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    needles = needles_for(profile, index)
    for variant in range(VARIANTS):
        audit = tmp_path / f"audit-{variant}.jsonl"
        extra = ("--json",) if variant % 2 else ()
        run = run_in_process(_verify_argv(profile, index, variant, audit, *extra),
                             capsys, caplog, audit)
        assert run.exit_code in (0, 10, 11, 12), run.stderr
        assert run.audit, "the audit log was written"
        _assert_logged(run)
        assert run.leaks(needles) == {}, (variant, run.exit_code)


@pytest.mark.parametrize("index", PERSONAS)
def test_personal_data_only_in_stdout_when_asked(
        index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    needles = needles_for("genuine", index)
    persona = testcards.PERSONAS[index]
    audit = tmp_path / "audit.jsonl"
    run = run_in_process(_verify_argv("genuine", index, 1, audit, "--json",
                                      "--include-personal-data"), capsys, caplog, audit)
    assert run.exit_code == 0
    personal = json.loads(run.stdout)["personal"]
    assert personal["text_name"] == persona.name
    # The request is honoured: name, address, birth date and images are in stdout...
    shown = {n.label for n in needles if n.found_in(run.stdout)}
    assert {"name", "address", "chip birth YYYYMMDD", "name PNG base64", "address PNG base64",
            "photo JP2 base64", "photo PNG base64"} <= shown, shown
    # ...and nowhere else; code B, security code and the 個人番号 not even there.
    assert run.leaks(needles, personal_in_stdout=True) == {}

    text = run_in_process(_verify_argv("genuine", index, 2, audit, "--include-personal-data"),
                          capsys, caplog, audit)
    assert persona.name in text.stdout and persona.address in text.stdout
    assert text.leaks(needles, personal_in_stdout=True) == {}


@pytest.mark.parametrize("index", PERSONAS)
def test_demo_holds_no_personal_data(index: int, capsys: pytest.CaptureFixture[str],
                                     caplog: pytest.LogCaptureFixture) -> None:
    needles = list({(n.label, n.pattern.pattern): n
                    for profile in PROFILES for n in needles_for(profile, index)}.values())
    run = run_in_process(["-vv", "demo", "--persona", str(index)], capsys, caplog)
    assert run.exit_code == 0, run.stdout
    _assert_logged(run)
    assert run.leaks(needles) == {}


@pytest.mark.parametrize(("profile", "index", "variant", "extra"), [
    ("genuine", 0, 1, ()),
    ("genuine", 5, 2, ("--json",)),
    ("tampered-birth", 1, 1, ("--json",)),
    ("cloned", 2, 3, ()),
    ("text-tampered", 3, 4, ("--json",)),
    ("expired", 4, 0, ()),
])
def test_real_process_stderr_holds_no_personal_data(profile: str, index: int, variant: int,
                                                    extra: tuple[str, ...],
                                                    tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    run = run_process(_verify_argv(profile, index, variant, audit, *extra), audit)
    assert run.exit_code in (0, 10, 11, 12), run.stderr
    assert " DEBUG " in run.stderr  # -vv really logged
    assert run.audit
    assert run.leaks(needles_for(profile, index)) == {}


def test_real_process_personal_output_stays_in_stdout(tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    run = run_process(_verify_argv("genuine", 0, 1, audit, "--json",
                                   "--include-personal-data"), audit)
    assert run.exit_code == 0, run.stderr
    needles = needles_for("genuine", 0)
    assert testcards.PERSONAS[0].name in run.stdout
    assert " DEBUG " in run.stderr
    assert run.leaks(needles, personal_in_stdout=True) == {}


def test_needles_find_what_they_look_for(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         caplog: pytest.LogCaptureFixture) -> None:
    """The test can fail: a leak planted in a log record is found."""
    import logging

    needles = needles_for("genuine", 0)
    persona = testcards.PERSONAS[0]
    caplog.set_level(logging.DEBUG)
    logging.getLogger("verifier.engine.session").debug("typed %s", persona.code_b.digits)
    logging.getLogger("verifier.documents.my_number.checks").debug("born %s", "昭和55年2月17日")
    from tests.privacy.capture import records_text

    found = Captured("", "", records_text(caplog.records), "", 0).leaks(needles)
    assert found == {"logs": ["chip birth 和暦", "code B"]}

"""Running mynacheck with everything captured: stdout, stderr, every log record, the audit log."""

from __future__ import annotations

import logging
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

import testcards
from tests.privacy.needles import Needle, leaks
from verifier.cli import main as cli

ROOT = Path(__file__).resolve().parents[2]
MYNACHECK = Path(sys.executable).with_name("mynacheck")


@dataclass(frozen=True)
class Captured:
    stdout: str
    stderr: str
    logs: str
    audit: str
    exit_code: int

    def channels(self) -> dict[str, str]:
        return {"stdout": self.stdout, "stderr": self.stderr, "logs": self.logs,
                "audit": self.audit}

    def leaks(self, needles: list[Needle], *, personal_in_stdout: bool = False) -> dict[str,
                                                                                    list[str]]:
        found = {}
        for name, text in self.channels().items():
            hits = leaks(text, needles, personal_allowed=personal_in_stdout and name == "stdout")
            if hits:
                found[name] = hits
        return found


#: LogRecord attributes that are the logging machinery's own (times, ids, source position).
#: Their digits are random (e.g. created=1763896545.550217) and carry nothing from a card.
MACHINERY = frozenset(vars(logging.makeLogRecord({}))) - {"msg", "args"}


def records_text(records: list[logging.LogRecord]) -> str:
    """Everything a log handler could write: message, raw args, extras and tracebacks."""
    parts = []
    for record in records:
        extras = {k: v for k, v in vars(record).items() if k not in MACHINERY}
        parts += [record.name, record.getMessage(), repr(record.args), repr(extras)]
        if record.exc_info:
            parts.append("".join(traceback.format_exception(*record.exc_info)))
        if record.stack_info:
            parts.append(record.stack_info)
    return "\n".join(parts)


def run_in_process(argv: list[str], capsys: pytest.CaptureFixture[str],
                   caplog: pytest.LogCaptureFixture, audit: Path | None = None) -> Captured:
    caplog.clear()
    caplog.set_level(logging.DEBUG)  # the root logger: every library logger propagates here
    capsys.readouterr()
    code = cli.main(argv)
    out, err = capsys.readouterr()
    logs = records_text(caplog.records) + "\n" + caplog.text
    audit_text = audit.read_text(encoding="utf-8") if audit and audit.exists() else ""
    return Captured(out, err, logs, audit_text, code)


def run_process(argv: list[str], audit: Path | None = None) -> Captured:
    done = subprocess.run([str(MYNACHECK), *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, encoding="utf-8")
    audit_text = audit.read_text(encoding="utf-8") if audit and audit.exists() else ""
    # A real process's log records go to its stderr: stderr is the log channel here.
    return Captured(done.stdout, done.stderr, done.stderr, audit_text, done.returncode)


def _era_text(index: int) -> str:
    from tests.privacy.needles import _era

    birth = testcards.PERSONAS[index].birth
    name, _, year = _era(birth)
    return f"{name}{'元' if year == 1 else year}年{birth.month}月{birth.day}日"


def code_args(profile: str, index: int, variant: int) -> list[str]:
    """The ways a clerk gives the code: none (a simulated card's own), 14 digits, the printed
    date ISO or 和暦 with expiry year and security code, or one mistyped digit."""
    printed = testcards.printed_persona(profile, testcards.PERSONAS[index])
    gregorian = ["--printed-gregorian"] if printed.foreign else []
    parts = ["--expiry-year", str(printed.expiry.year), "--security-code", printed.security_code]
    if variant == 0:
        return []
    if variant == 1:
        return ["--code-b", printed.code_b.digits]
    if variant == 2:
        return ["--birth", printed.birth.isoformat(), *parts, *gregorian]
    if variant == 3 and not printed.foreign and printed.birth == testcards.PERSONAS[index].birth:
        return ["--birth", _era_text(index), *parts]
    wrong = printed.security_code[:3] + str((int(printed.security_code[3]) + 1) % 10)
    return ["--birth", printed.birth.isoformat(), "--expiry-year", str(printed.expiry.year),
            "--security-code", wrong, *gregorian]


VARIANTS = 5

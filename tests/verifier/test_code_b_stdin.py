"""Code B off the command line: `--code-b -` reads it from standard input, so it never shows
in `ps` or /proc/PID/cmdline."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

import testcards
from verifier.cli import options
from verifier.cli.options import code_from_args
from verifier.counter.codes import CodeInput
from verifier.counter.codes import code_from_line as counter_line
from verifier.documents.my_number.code_b import CodeB
from verifier.errors import CodeBInputError

REPO = Path(__file__).resolve().parents[2]
CODE = testcards.PERSONAS[0].code_b.digits
CLI = [sys.executable, "-m", "verifier.cli.main"]
TODAY = date(2026, 12, 1)


def code_from_line(line: str) -> CodeB:
    return counter_line(line, today=TODAY).code


def digits(given: CodeInput | None) -> str | None:
    return given.code.digits if given is not None else None


def args(**given: object) -> argparse.Namespace:
    fields: dict[str, object] = {"code_b": None, "birth": None, "expiry_year": None,
                                 "security_code": None, "printed_gregorian": False}
    fields.update(given)
    return argparse.Namespace(**fields)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_line_holds_the_digits_or_the_three_fields() -> None:
    assert code_from_line(CODE + "\n").digits == CODE
    assert code_from_line(f"{CODE[:6]} {CODE[6:10]} {CODE[10:]}").digits == CODE
    assert code_from_line("S55.02.17 2035 2285").digits == "55021720352285"
    assert code_from_line("1980-02-17 2035 2285").digits == "55021720352285"
    for bad in ("", "   \n", "S55.02.17 2035", "1234"):
        with pytest.raises(CodeBInputError) as error:
            code_from_line(bad)
        assert "1234" not in str(error.value)


def test_dash_reads_standard_input_and_never_prompts_on_a_pipe() -> None:
    assert digits(code_from_args(args(code_b="-"), stdin=io.StringIO(CODE + "\n"))) == CODE
    with pytest.raises(CodeBInputError, match="either"):
        code_from_args(args(code_b="-", birth="S55.02.17"), stdin=io.StringIO(CODE))
    # No code, no terminal: nothing is asked (a script gets NOT_VERIFIED, as before).
    assert code_from_args(args(), ask=True, stdin=io.StringIO(CODE)) is None


def test_a_terminal_gets_a_hidden_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        asked.append(prompt)
        return CODE

    monkeypatch.setattr(options.getpass, "getpass", fake_getpass)
    assert digits(code_from_args(args(), ask=True, stdin=Terminal())) == CODE
    assert digits(code_from_args(args(code_b="-"), stdin=Terminal())) == CODE
    assert code_from_args(args(), ask=False, stdin=Terminal()) is None
    assert len(asked) == 2


def test_verify_reads_code_b_from_stdin_and_it_is_not_in_the_arguments() -> None:
    argv = [*CLI, "verify", "--simulated", "genuine", "--code-b", "-", "--json"]
    process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=REPO)
    # While it runs (it waits for standard input), what every local user can read:
    cmdline = b""
    deadline = time.monotonic() + 10
    while not cmdline and time.monotonic() < deadline:
        cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes()
        time.sleep(0.01)
    out, err = process.communicate(CODE + "\n", timeout=120)
    assert process.returncode == 0, err
    data = json.loads(out)
    assert data["verdict"] == "GENUINE" and data["simulated"] is True
    assert b"--code-b\x00-" in cmdline
    assert CODE.encode() not in cmdline and CODE not in " ".join(argv)
    assert CODE not in err


def test_verify_with_a_wrong_line_on_stdin_is_a_usage_error() -> None:
    done = subprocess.run([*CLI, "verify", "--simulated", "genuine", "--code-b", "-"],
                          input="12 34\n", capture_output=True, text=True, timeout=120,
                          check=False, cwd=REPO)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_code_no_card_can_print_is_refused_on_standard_input_too() -> None:
    # Expiry 2099: refused as `--code-b 55021720992285` always was; through `--code-b -`, the
    # path the help recommends, it used to reach the card and cost a try.
    done = subprocess.run([*CLI, "verify", "--simulated", "genuine", "--code-b", "-", "--json"],
                          input="55021720992285\n", capture_output=True, text=True, cwd=REPO,
                          timeout=120, check=False)
    assert done.returncode == 2
    assert done.stdout == ""  # nothing was verified
    assert len(done.stderr.strip().splitlines()) == 1 and "2099" not in done.stderr

"""`mynacheck readers` and `mynacheck simcard` through pcscd.

Simulated cards verified through pcscd (each quirk, each verdict, tears): test_pcsc_verify.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from vpcd_cards import TEST_ATR, ScriptedCard, ServeCard

import testcards
from apdu import pcsc
from verifier.cli.main import main

pytestmark = pytest.mark.pcsc

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "verifier.cli.main"]


def test_readers_json_lists_both_readers_and_the_card(
    serve_card: ServeCard, vpcd_readers: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    serve_card(ScriptedCard, slot=1)
    assert main(["readers", "--json"]) == 0
    listed = {r["name"]: r for r in json.loads(capsys.readouterr().out)["readers"]}
    assert listed[vpcd_readers[0]]["card_present"] is False
    assert listed[vpcd_readers[0]]["atr"] is None
    assert listed[vpcd_readers[1]]["card_present"] is True
    assert listed[vpcd_readers[1]]["atr"] == TEST_ATR.hex().upper()


def test_readers_text_numbers_the_readers(
    vpcd_readers: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["readers"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(f"{vpcd_readers[0]}  [empty]" in line for line in lines)


def test_readers_without_pcscd_is_a_configuration_error(pcscd: None) -> None:
    env = dict(os.environ, PCSCLITE_CSOCK_NAME="/nonexistent/pcscd.comm")
    done = subprocess.run([*CLI, "readers"], env=env, capture_output=True, text=True,
                          timeout=60, check=False, cwd=REPO)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("mynacheck: error: cannot list readers:")
    assert "pcscd" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def _verify_cli(reader: str) -> subprocess.CompletedProcess[str]:
    code_b = testcards.PERSONAS[0].code_b.digits
    return subprocess.run(
        [*CLI, "verify", "--training", "--reader", reader, "--trust", "simulated",
         "--code-b", code_b,
         "--json"],
        capture_output=True, text=True, timeout=120, check=False, cwd=REPO,
    )


def test_simcard_serves_until_sigterm(vpcd_readers: tuple[str, str]) -> None:
    process = subprocess.Popen(
        [*CLI, "simcard", "--profile", "genuine", "--port", "35964"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
    )
    try:
        assert pcsc.wait_for_card(vpcd_readers[1], 15) == vpcd_readers[1]
        done = _verify_cli(vpcd_readers[1])
        assert done.returncode == 0, done.stdout + done.stderr
        assert json.loads(done.stdout)["verdict"] == "GENUINE"
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=10)
        assert time.monotonic() - started < 5
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "serving simulated card 'genuine' (persona 0) on vpcd 127.0.0.1:35964" in err
    assert "reader 'Virtual PCD 00 01'" in err
    assert pcsc.wait_for_card_removal(vpcd_readers[1], 10)


def test_simcard_rejects_an_unknown_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simcard", "--profile", "no-such-profile"]) == 2
    assert "unknown profile" in capsys.readouterr().err

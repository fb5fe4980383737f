"""The audit log: one whole JSON line per verification, even with several processes appending."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

WRITER = """
import sys
from datetime import datetime, timezone
from pathlib import Path
import testcards
from verifier.counter.answer import Checked
from verifier.counter.audit import AuditLog
from verifier.documents.my_number.checks import VerifyOptions, verify_card
from verifier.documents.my_number.trust import TrustStore

log = AuditLog(Path(sys.argv[1]))
options = VerifyOptions(trust=TrustStore.builtin(accepted=("production", "simulated")),
                        today=datetime.now(timezone.utc).date(), simulated=True)
result = verify_card(testcards.build_card("genuine"), options, testcards.PERSONAS[0].code_b)
checked = Checked(result, f"proc-{sys.argv[2]}")
for i in range(int(sys.argv[3])):
    log.append(checked, when=datetime.now(timezone.utc), operator=f"op-{i}")
"""


def test_processes_appending_at_once_never_interleave(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    writers, lines_each = 4, 150
    root = Path(__file__).resolve().parents[2]
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(n), str(lines_each)],
                              cwd=root) for n in range(writers)]
    assert all(proc.wait(timeout=120) == 0 for proc in procs)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == writers * lines_each
    records = [json.loads(line) for line in lines]  # every line whole and parseable
    for n in range(writers):
        mine = [r["operator"] for r in records if r["reader"] == f"proc-{n}"]
        assert mine == [f"op-{i}" for i in range(lines_each)]  # each writer's order kept
    assert {r["verdict"] for r in records} == {"GENUINE"}
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # the operator's eyes only

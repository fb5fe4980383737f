"""`mynacheck batch` as scripts on Japanese Windows use it (issue 11, items 6 and 7): the file's
encodings, ids kept and unique, empty files, refused lines in the exit code, results in the
order of the file, and an audit log that never silently loses a record."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import testcards
from verifier.cli.main import main
from verifier.counter import audit as audit_module
from verifier.counter.visit import Counter

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "verifier.cli.main"]
CODE = testcards.PERSONAS[0].code_b.digits
REQUESTS = [
    {"id": "窓口-1", "simulated": "genuine", "birth": "昭和55年2月17日", "expiry_year": "2035",
     "security_code": "2285"},
    {"id": "窓口-2", "simulated": "cloned", "code_b": CODE},
    {"id": "窓口-3", "simulated": "genuine", "code_b": CODE},
]


def text_of(requests: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\r\n" for r in requests)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, Any]], str]:
    code = main(["batch", *argv])
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.splitlines()], captured.err


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932", "shift_jis", "utf-16", "utf-16-le",
                                      "utf-8"])
def test_files_from_japanese_windows_tools_are_read(encoding: str, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "requests.jsonl"
    data = text_of(REQUESTS).encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data  # what Notepad writes as "Unicode"
    path.write_bytes(data)
    code, out, err = run(capsys, str(path))
    assert [line["id"] for line in out] == ["窓口-1", "窓口-2", "窓口-3"], err
    assert [line["verdict"] for line in out] == ["GENUINE", "COUNTERFEIT_SUSPECTED", "GENUINE"]
    assert code == 10


def test_stdin_in_cp932_is_read() -> None:
    done = subprocess.run([*CLI, "batch", "-"], input=text_of(REQUESTS[:1]).encode("cp932"),
                          capture_output=True, timeout=120, check=False, cwd=REPO)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert json.loads(done.stdout)["id"] == "窓口-1"


def test_errors_keep_the_id_and_make_the_exit_code_2_after_the_valid_lines(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "requests.jsonl"
    lines = [
        json.dumps({"id": "bad-key", "simulated": "genuine", "colour": "red"}),
        json.dumps(REQUESTS[1]),
        json.dumps({"id": "future", "simulated": "genuine", "birth": "2099-01-01",
                    "expiry_year": "2035", "security_code": "2285"}),
        "not json",
        json.dumps(REQUESTS[0], ensure_ascii=False),
        json.dumps({**REQUESTS[2], "id": "窓口-2"}, ensure_ascii=False),  # a duplicate id
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, str(path))
    assert [line["line"] for line in out] == [1, 2, 3, 4, 5, 6]  # the order of the file
    assert [line.get("id") for line in out] == ["bad-key", "窓口-2", "future", None, "窓口-1",
                                                "窓口-2"]
    assert ["error" in line for line in out] == [True, False, True, True, False, True]
    assert "duplicate id" in out[5]["error"] and "line 2" in out[5]["error"]
    assert out[1]["verdict"] == "COUNTERFEIT_SUSPECTED" and out[4]["verdict"] == "GENUINE"
    assert code == 2  # not 10: a partly refused batch is never taken for a complete one
    assert err.count("mynacheck: line") == 4


def test_utf16_without_a_bom_is_refused_with_what_to_do(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "requests.jsonl"
    path.write_bytes(text_of(REQUESTS).encode("utf-16-le"))
    code, out, err = run(capsys, str(path))
    assert code == 2 and out == []
    assert "UTF-16 without a byte order mark" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("content", [b"", b"\n\n", b"# only a comment\n", b"\xef\xbb\xbf"])
def test_an_empty_file_says_so(content: bytes, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "requests.jsonl"
    path.write_bytes(content)
    code, out, err = run(capsys, str(path))
    assert code == 2 and out == []
    assert "no requests" in err


def test_results_come_in_the_order_of_the_file_although_readers_finish_out_of_order(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The slow reader's card is first; the fast reader's three would overtake it.
    requests = [{"id": 0, "simulated": "genuine", "quirks": "slow=150"}]
    requests += [{"id": n, "simulated": "cloned"} for n in range(1, 4)]
    path = tmp_path / "requests.jsonl"
    path.write_text(text_of(requests), encoding="utf-8")
    code, out, _ = run(capsys, str(path))
    assert [line["id"] for line in out] == [0, 1, 2, 3]
    assert code == 10


def test_audit_records_carry_the_request_id(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "requests.jsonl"
    path.write_text(text_of(REQUESTS), encoding="utf-8")
    audit = tmp_path / "audit.jsonl"
    code, _, _ = run(capsys, str(path), "--audit-log", str(audit))
    assert code == 10
    records = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["request_id"] for r in records) == ["窓口-1", "窓口-2", "窓口-3"]


def test_a_batch_whose_audit_log_cannot_be_written_does_not_start(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[object] = []
    monkeypatch.setattr(Counter, "open", lambda self, spec: opened.append(spec))
    path = tmp_path / "requests.jsonl"
    path.write_text(text_of(REQUESTS), encoding="utf-8")
    code, out, err = run(capsys, str(path), "--audit-log", str(tmp_path / "no" / "a.jsonl"))
    assert code == 2 and out == [] and opened == []
    assert err.strip().splitlines() == [line for line in err.strip().splitlines()
                                        if "error" in line]
    assert "audit log" in err


def test_an_audit_write_failing_mid_batch_stops_it_and_says_so_per_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    real_append = audit_module.AuditLog.append
    calls: list[int] = []

    def append_then_fail(self: audit_module.AuditLog, *args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) > 1:
            raise OSError(28, "No space left on device")
        real_append(self, *args, **kwargs)

    monkeypatch.setattr(audit_module.AuditLog, "append", append_then_fail)
    # One reader (one profile) so the requests run one after another.
    requests = [{"id": n, "simulated": "genuine"} for n in range(4)]
    path = tmp_path / "requests.jsonl"
    path.write_text(text_of(requests), encoding="utf-8")
    audit = tmp_path / "audit.jsonl"
    code, out, err = run(capsys, str(path), "--audit-log", str(audit))
    assert code == 2
    assert [line["id"] for line in out] == [0, 1, 2, 3]
    assert "audit_error" not in out[0] and out[0]["verdict"] == "GENUINE"
    assert "No space left" in out[1]["audit_error"]
    assert all(line["error"].startswith(f"line {n + 1}: not run: cannot write the audit log")
               for n, line in enumerate(out[2:], start=2))
    assert len(calls) == 2  # no card was verified after the failure
    assert "line 2" in err
    assert len(audit.read_text(encoding="utf-8").splitlines()) == 1


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_worker_that_dies_does_not_hold_back_the_other_lines(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    real_check = Counter.check

    def check(self: Counter, spec: Any, code: Any, **kwargs: Any) -> Any:
        if spec.simulated == "cloned":
            raise RuntimeError("a bug")
        return real_check(self, spec, code, **kwargs)

    monkeypatch.setattr(Counter, "check", check)
    path = tmp_path / "requests.jsonl"
    path.write_text(text_of(REQUESTS), encoding="utf-8")
    code, out, _ = run(capsys, str(path))
    assert [line["id"] for line in out] == ["窓口-1", "窓口-2", "窓口-3"]
    assert "no result" in out[1]["error"] and out[2]["verdict"] == "GENUINE"
    assert code == 2

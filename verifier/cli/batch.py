"""`mynacheck batch REQUESTS.jsonl`: many verifications, JSON Lines in and out."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any, TextIO

from verifier.cli.options import (
    add_audit_options,
    add_training_options,
    add_trust_options,
    policy_from_args,
)
from verifier.cli.output import announce_simulated_trust
from verifier.counter.batch import (
    BatchOutcome,
    BatchRequest,
    decode_requests,
    parse_requests,
    run_batch,
)
from verifier.counter.exits import batch_exit_code
from verifier.counter.visit import Counter
from verifier.engine.verdict import Verdict
from verifier.errors import ConfigError


def register(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "batch", help="verify many cards from a JSON Lines file",
        description="One JSON object per line: reader, and the card's key — code_b (or "
                    "birth/expiry_year/security_code, or code_b_image) for a My Number Card, "
                    "card_number (or card_number_image) for a 在留カード or 特別永住者証明書; a "
                    "picture's key is used only when read surely. Optional id, unique (and "
                    "simulated/persona/quirks for "
                    "simulated cards). UTF-8, UTF-16 with BOM or CP932 (Shift_JIS). One worker "
                    "per reader, readers in parallel. Prints one JSON result per request, in "
                    "the order of the file; exit code = the worst verdict, or 2 when a line "
                    "was refused or a result could not be written to the audit log.")
    parser.add_argument("requests", metavar="REQUESTS.jsonl", help="request file, - for stdin")
    parser.add_argument("--include-personal-data", action="store_true",
                        help="add personal data to each result line")
    add_trust_options(parser)
    add_training_options(parser)
    add_audit_options(parser)
    return parser


def read_request_text(path: str) -> str:
    """The request file (- for stdin) as text, whatever encoding `decode_requests` accepts."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as stream:
                data = stream.read()
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}") from error
    return decode_requests(data)


class InOrder:
    """Prints result lines in the order of the request file although readers finish in any
    order: each line is held until every line before it is printed."""

    def __init__(self, line_numbers: list[int]) -> None:
        self._order = sorted(line_numbers)
        self._next = 0
        self._held: dict[int, str] = {}

    def put(self, line_no: int, record: dict[str, Any]) -> None:
        self._held[line_no] = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        while self._next < len(self._order) and self._order[self._next] in self._held:
            print(self._held.pop(self._order[self._next]), flush=True)
            self._next += 1

    def missing(self) -> list[int]:
        """The lines never put (a worker that died): they must not hold back the rest."""
        return [n for n in self._order[self._next:] if n not in self._held]


class Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.done, self.stream = total, 0, stream
        self.enabled = stream.isatty() and total > 0

    def step(self) -> None:
        self.done += 1
        if self.enabled:
            filled = 30 * self.done // self.total
            self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


def run(args: argparse.Namespace) -> int:
    text = read_request_text(args.requests)
    requests, rejected = parse_requests(text, today=date.today())
    if not requests and not rejected:
        raise ConfigError(f"{args.requests}: no requests (the file is empty or only comments)")
    policy = policy_from_args(args)
    counter = Counter(policy, decode_photo=args.include_personal_data)
    # A batch whose results could not be recorded does not start.
    counter.check_audit_log()
    if any(r.source.simulated is not None for r in requests):
        announce_simulated_trust(policy)
    output = InOrder([r.line_no for r in requests] + [r.line_no for r in rejected])
    for line in rejected:
        print(f"mynacheck: {line.message}", file=sys.stderr)
        output.put(line.line_no, {"id": line.request_id, "line": line.line_no,
                                  "error": line.message})
    progress = Progress(len(requests), sys.stderr)
    verdicts: list[Verdict] = []
    unrecorded: list[str] = []

    refused: list[int] = []

    def refuse(request: BatchRequest, error: ConfigError) -> None:
        print(f"mynacheck: error: line {request.line_no}: {error}", file=sys.stderr)
        refused.append(request.line_no)
        output.put(request.line_no, {"id": request.id, "line": request.line_no,
                                     "error": str(error)})
        progress.step()

    def report(outcome: BatchOutcome) -> None:
        checked = outcome.checked
        line = checked.to_json(include_personal_data=args.include_personal_data)
        line = {"id": outcome.request.id, "line": outcome.request.line_no,
                "reader": checked.reader, **line}
        if checked.audit_error is not None:
            line["audit_error"] = checked.audit_error
            unrecorded.append(checked.audit_error)
            print(f"mynacheck: line {outcome.request.line_no}: {checked.audit_error}",
                  file=sys.stderr)
        output.put(outcome.request.line_no, line)
        verdicts.append(checked.result.verdict)
        progress.step()

    def not_run(request: BatchRequest, message: str) -> None:
        text = f"line {request.line_no}: {message}"
        print(f"mynacheck: {text}", file=sys.stderr)
        unrecorded.append(message)
        output.put(request.line_no, {"id": request.id, "line": request.line_no, "error": text})
        progress.step()

    run_batch(requests, counter, report, not_run, on_refused=refuse)
    for line_no in output.missing():
        text = f"line {line_no}: no result (an internal error stopped its worker)"
        print(f"mynacheck: {text}", file=sys.stderr)
        unrecorded.append(text)
        output.put(line_no, {"id": next(r.id for r in requests if r.line_no == line_no),
                             "line": line_no, "error": text})
    # Not a clean batch, whatever the verdicts, when a line was refused or a record lost: a
    # script must not take it for one.
    return batch_exit_code(verdicts, clean=not (rejected or unrecorded or refused))

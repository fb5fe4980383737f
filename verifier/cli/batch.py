"""`mynacheck batch REQUESTS.jsonl`: many verifications, JSON Lines in and out."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from verifier.cli.options import (
    USAGE_EXIT,
    add_audit_options,
    add_training_options,
    add_trust_options,
    policy_from_args,
)
from verifier.cli.output import announce_simulated_trust
from verifier.counter.batch import (
    BatchOutcome,
    BatchRequest,
    RequestError,
    parse_request,
    run_batch,
)
from verifier.counter.visit import Counter
from verifier.engine.verdict import Verdict, worst
from verifier.errors import ConfigError


def register(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "batch", help="verify many cards from a JSON Lines file",
        description="One JSON object per line: reader, and code_b or birth/expiry_year/"
                    "security_code; optional id (and simulated/persona/quirks for simulated "
                    "cards). One worker per reader, readers in parallel. Prints one JSON "
                    "result per line; exit code = the worst verdict.")
    parser.add_argument("requests", metavar="REQUESTS.jsonl", help="request file, - for stdin")
    parser.add_argument("--include-personal-data", action="store_true",
                        help="add personal data to each result line")
    add_trust_options(parser)
    add_training_options(parser)
    add_audit_options(parser)
    return parser


def read_requests(stream: TextIO) -> tuple[list[BatchRequest], list[tuple[int, str]]]:
    requests: list[BatchRequest] = []
    errors: list[tuple[int, str]] = []
    for line_no, line in enumerate(stream, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            requests.append(parse_request(line, line_no))
        except RequestError as error:
            errors.append((line_no, str(error)))
    return requests, errors


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
    try:
        stream: TextIO = (sys.stdin if args.requests == "-"
                          else open(args.requests, encoding="utf-8"))  # noqa: SIM115
    except OSError as error:
        raise ConfigError(f"cannot read {args.requests}: {error.strerror}") from error
    with stream:
        requests, errors = read_requests(stream)
    for line_no, message in errors:
        print(json.dumps({"line": line_no, "error": message}, ensure_ascii=False), flush=True)
        print(f"mynacheck: {message}", file=sys.stderr)
    policy = policy_from_args(args)
    if any(r.source.simulated is not None for r in requests):
        announce_simulated_trust(policy)
    counter = Counter(policy, decode_photo=args.include_personal_data)
    progress = Progress(len(requests), sys.stderr)
    verdicts: list[Verdict] = []

    refused: list[int] = []

    def refuse(request: BatchRequest, error: ConfigError) -> None:
        print(json.dumps({"id": request.id, "line": request.line_no, "error": str(error)},
                         ensure_ascii=False, separators=(",", ":")), flush=True)
        print(f"mynacheck: error: line {request.line_no}: {error}", file=sys.stderr)
        refused.append(request.line_no)
        progress.step()

    def report(outcome: BatchOutcome) -> None:
        checked = outcome.checked
        line = checked.result.to_json(include_personal_data=args.include_personal_data)
        line = {"id": outcome.request.id, "line": outcome.request.line_no,
                "reader": checked.reader, **line}
        print(json.dumps(line, ensure_ascii=False, separators=(",", ":")), flush=True)
        if checked.audit_error is not None:
            print(f"mynacheck: {checked.audit_error}", file=sys.stderr)
        verdicts.append(checked.result.verdict)
        progress.step()

    run_batch(requests, counter, report, on_refused=refuse)
    if refused:
        return USAGE_EXIT
    if errors and all(v is Verdict.GENUINE for v in verdicts):
        return USAGE_EXIT
    return worst(verdicts).exit_code

"""Batch verification: one worker per reader, readers in parallel, each reader's requests in order.

Workers share nothing mutable (rule 6): each request opens its own card session, and a failure on
one reader is that worker's result alone.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from verifier.card.code_b import CodeB, CodeFields, code_from_fields
from verifier.counter.policy import VirtualReaderRefused
from verifier.counter.sources import SourceSpec
from verifier.counter.visit import Checked, Counter
from verifier.errors import ConfigError

REQUEST_KEYS = frozenset({"id", "reader", "code_b", "birth", "expiry_year", "security_code",
                          "printed_gregorian", "simulated", "persona", "quirks", "wait"})


class RequestError(Exception):
    """A request line that cannot be run, with its line number."""


@dataclass(frozen=True)
class BatchRequest:
    line_no: int
    id: Any
    source: SourceSpec
    code_b: CodeB | None

    @property
    def worker_key(self) -> str:
        """One worker per reader (a simulated profile counts as one reader)."""
        return self.source.label


@dataclass(frozen=True)
class BatchOutcome:
    request: BatchRequest
    checked: Checked


def parse_request(line: str, line_no: int) -> BatchRequest:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise RequestError(f"line {line_no}: not JSON ({error.msg})") from error
    if not isinstance(data, dict):
        raise RequestError(f"line {line_no}: a request is a JSON object")
    unknown = set(data) - REQUEST_KEYS
    if unknown:
        raise RequestError(f"line {line_no}: unknown keys {sorted(unknown)}")

    def text(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise RequestError(f"line {line_no}: {key} must be a string")
        return str(value)

    try:
        source = SourceSpec(reader=text("reader"), simulated=text("simulated"),
                            persona=int(data.get("persona", 0)), quirks=text("quirks") or "",
                            wait_s=float(data.get("wait", 0.0)))
        source.validate()
        if source.simulated is None and source.reader is None:
            raise RequestError(f"line {line_no}: give `reader` (or `simulated`)")
        code = code_from_fields(CodeFields(text("code_b"), text("birth"), text("expiry_year"),
                                           text("security_code"),
                                           bool(data.get("printed_gregorian", False))))
    except (ConfigError, ValueError, TypeError) as error:
        raise RequestError(f"line {line_no}: {error}") from error
    if code is None and source.simulated is None:
        raise RequestError(f"line {line_no}: no code B (code_b, or birth/expiry_year/"
                           "security_code)")
    return BatchRequest(line_no, data.get("id"), source, code)


def run_batch(requests: Iterable[BatchRequest], counter: Counter,
              on_outcome: Callable[[BatchOutcome], None],
              on_refused: Callable[[BatchRequest, ConfigError], None] | None = None) -> None:
    """Runs every request; `on_outcome` is called from the worker threads, one at a time.
    A request the policy refuses (a virtual reader outside training) goes to `on_refused`
    and the worker goes on; without it the first refusal is raised after all workers end."""
    queues: dict[str, list[BatchRequest]] = {}
    for request in requests:
        queues.setdefault(request.worker_key, []).append(request)
    report_lock = threading.Lock()

    raised: list[ConfigError] = []

    def work(queue: list[BatchRequest]) -> None:
        for request in queue:
            try:
                checked = counter.check(request.source, request.code_b)
            except VirtualReaderRefused as error:
                with report_lock:
                    if on_refused is None:
                        raised.append(error)
                    else:
                        on_refused(request, error)
                continue
            with report_lock:
                on_outcome(BatchOutcome(request, checked))

    threads = [threading.Thread(target=work, args=(queue,), name=f"reader:{key}", daemon=True)
               for key, queue in queues.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if raised:
        raise raised[0]

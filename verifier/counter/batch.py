"""Batch verification: one worker per reader, readers in parallel, each reader's requests in order.
A reader is the physical one: lines that name it two ways ("0", its full name) share a worker.

Workers share nothing mutable (rule 6): each request opens its own card session, and a failure on
one reader is that worker's result alone. Request files come from Japanese Windows tools as
often as from scripts, so UTF-8 (with or without BOM), UTF-16 with BOM and CP932 (Shift_JIS)
are all read (`decode_requests`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from verifier.counter.answer import Checked
from verifier.counter.codes import CodeFields, CodeInput, code_from_fields, code_from_picture
from verifier.counter.keys import (
    KeyInput,
    NumberInput,
    NumberInputError,
    WrongKeyError,
    number_from_picture,
    number_from_text,
)
from verifier.counter.pictures import read_face_file, read_residence_face_file
from verifier.counter.policy import ReaderRefused
from verifier.counter.sources import SourceSpec, connected_readers
from verifier.counter.visit import AuditStopped, Counter
from verifier.engine.verdict import Reason
from verifier.errors import CodeBInputError, ConfigError
from verifier.ocr.errors import OcrError

REQUEST_KEYS = frozenset({"id", "reader", "code_b", "code_b_image", "birth", "expiry_year",
                          "security_code", "printed_gregorian", "card_number",
                          "card_number_image", "simulated", "persona", "quirks", "wait"})
_CODE_KEYS = ("code_b", "code_b_image", "birth", "expiry_year", "security_code")
_NUMBER_KEYS = ("card_number", "card_number_image")
#: The card on that reader already rejected this very key: it is not sent again.
_REPEATED = frozenset({Reason.CODE_ALREADY_REJECTED, Reason.NUMBER_ALREADY_REJECTED})


class CodeRepeated(ConfigError):
    """A key (code B, card number) the card on that reader already rejected: it is never sent
    again."""


class RequestError(Exception):
    """A request line that cannot be run, with its line number and, when the line had one,
    its `id` (so a script can match the error to its request)."""

    def __init__(self, message: str, *, request_id: Any = None) -> None:
        super().__init__(message)
        self.request_id = request_id


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode_requests(data: bytes) -> str:
    """The text of a request file: a BOM decides (UTF-8, UTF-16 LE/BE); without one UTF-8,
    else CP932, what Excel and Notepad on Japanese Windows save. Raises ConfigError."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise ConfigError(f"the request file starts with a {encoding.upper()} byte "
                                  f"order mark but is not {encoding.upper()}: {error.reason} "
                                  f"at byte {error.start}") from error
    if b"\x00" in data:
        # ASCII in UTF-16 is valid UTF-8 with a NUL after each character: never a request.
        raise ConfigError("the request file looks like UTF-16 without a byte order mark: save "
                          "it as UTF-8, or as UTF-16 with BOM")
    for encoding in ("utf-8", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ConfigError("the request file is neither UTF-8 nor CP932 (Shift_JIS): save it as "
                      "UTF-8")


@dataclass(frozen=True)
class BatchRequest:
    line_no: int
    id: Any
    source: SourceSpec
    code_b: CodeInput | None
    #: A picture of the card face to read code B from (no person confirms it in a batch).
    code_image: Path | None = None
    #: A residence card's number, typed, or a picture of its front to read it from.
    card_number: NumberInput | None = None
    number_image: Path | None = None

    @property
    def key(self) -> KeyInput | None:
        return self.card_number if self.card_number is not None else self.code_b

    def worker_key(self, readers: Sequence[str]) -> str:
        """One worker per physical reader (a simulated profile counts as one): the PC/SC name
        the request's `reader` resolves to among `readers`, so "0" and that reader's full name
        share one worker and one card is never verified by two at once (rule 9)."""
        return self.source.reader_key(readers)


@dataclass(frozen=True)
class BatchOutcome:
    request: BatchRequest
    checked: Checked


def parse_request(line: str, line_no: int, *, today: date) -> BatchRequest:
    """One request line. A code no card can print is refused (as in `verify`), and so is a
    `reader` that names no connected reader (`SourceSpec.check_reader`)."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise RequestError(f"line {line_no}: not JSON ({error.msg})") from error
    if not isinstance(data, dict):
        raise RequestError(f"line {line_no}: a request is a JSON object")
    request_id = data.get("id")

    def fail(message: str) -> RequestError:
        return RequestError(f"line {line_no}: {message}", request_id=request_id)

    unknown = set(data) - REQUEST_KEYS
    if unknown:
        raise fail(f"unknown keys {sorted(unknown)}")

    def text(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise fail(f"{key} must be a string")
        return str(value)

    try:
        source = SourceSpec(reader=text("reader"), simulated=text("simulated"),
                            persona=int(data.get("persona", 0)), quirks=text("quirks") or "",
                            wait_s=float(data.get("wait", 0.0)))
        source.validate()
        if source.simulated is None and source.reader is None:
            raise fail("give `reader` (or `simulated`)")
        code = code_from_fields(CodeFields(text("code_b"), text("birth"), text("expiry_year"),
                                           text("security_code"),
                                           bool(data.get("printed_gregorian", False))),
                                today=today)
        image = text("code_b_image")
        if image is not None and code is not None:
            raise fail("give either code_b_image or a typed code B")
        if any(data.get(key) is not None for key in _NUMBER_KEYS) \
                and any(data.get(key) is not None for key in _CODE_KEYS):
            raise fail("give either a code B (My Number Card) or a card number (在留カード, "
                       "特別永住者証明書), not both")
        typed_number = text("card_number")
        number = number_from_text(typed_number) if typed_number is not None else None
        number_image = text("card_number_image")
        if number_image is not None and number is not None:
            raise fail("give either card_number_image or card_number")
        source.check_reader()
    except RequestError:
        raise
    except (ConfigError, ValueError, TypeError) as error:
        raise fail(str(error)) from error
    if code is None and image is None and number is None and number_image is None \
            and source.simulated is None:
        raise fail("no key: a code B (code_b, code_b_image, or birth/expiry_year/"
                   "security_code) or a card number (card_number, card_number_image)")
    return BatchRequest(line_no, request_id, source, code,
                        Path(image) if image is not None else None, number,
                        Path(number_image) if number_image is not None else None)


def code_of_picture(request: BatchRequest, *, today: date) -> CodeInput:
    """The code read from the request's picture, used only when every field was read surely:
    nobody confirms it in a batch. Raises OcrError or CodeBInputError (nothing is then sent
    to the card)."""
    assert request.code_image is not None
    return code_from_picture(read_face_file(request.code_image), today=today, unattended=True)


def key_of_request(request: BatchRequest, *, today: date) -> KeyInput | None:
    """The request's key, a picture read (unattended: only a sure reading is used). Raises
    OcrError, CodeBInputError or ConfigError: nothing is then sent to the card."""
    if request.code_image is not None:
        return code_of_picture(request, today=today)
    if request.number_image is not None:
        face = read_residence_face_file(request.number_image)
        return number_from_picture(face, unattended=True)
    return request.key


@dataclass(frozen=True)
class RejectedLine:
    line_no: int
    request_id: Any
    message: str


def parse_requests(text: str, *, today: date,
                   ) -> tuple[list[BatchRequest], list[RejectedLine]]:
    """Every request of a file, and the lines refused (blank lines and # comments are
    neither). A request whose `id` an earlier request already used is refused: results and
    audit records are matched to requests by id, so an id must name one request."""
    requests: list[BatchRequest] = []
    rejected: list[RejectedLine] = []
    seen: dict[Any, int] = {}
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            request = parse_request(line, line_no, today=today)
        except RequestError as error:
            rejected.append(RejectedLine(line_no, error.request_id, str(error)))
            continue
        key = _id_key(request.id)
        if key is not None and key in seen:
            rejected.append(RejectedLine(line_no, request.id,
                                         f"line {line_no}: duplicate id {request.id!r} (first "
                                         f"on line {seen[key]})"))
            continue
        if key is not None:
            seen[key] = line_no
        requests.append(request)
    return requests, rejected


def _id_key(request_id: Any) -> Any:
    # ids are JSON values: a list or object id is compared by its JSON text.
    if request_id is None:
        return None
    if isinstance(request_id, list | dict):
        return json.dumps(request_id, sort_keys=True)
    return (type(request_id).__name__, request_id)


def worker_queues(requests: Iterable[BatchRequest], readers: Sequence[str],
                  ) -> dict[str, list[BatchRequest]]:
    """The requests of each worker, by physical reader (`BatchRequest.worker_key`), each
    reader's in file order."""
    queues: dict[str, list[BatchRequest]] = {}
    for request in requests:
        queues.setdefault(request.worker_key(readers), []).append(request)
    return queues


def _readers_for(requests: Iterable[BatchRequest]) -> list[str]:
    """The connected readers, asked once before the workers start; not asked at all when no
    request names a reader (simulated cards only)."""
    if all(r.source.reader is None for r in requests):
        return []
    return connected_readers()


def run_batch(requests: Iterable[BatchRequest], counter: Counter,
              on_outcome: Callable[[BatchOutcome], None],
              on_not_run: Callable[[BatchRequest, str], None] | None = None, *,
              on_refused: Callable[[BatchRequest, ConfigError], None] | None = None) -> None:
    """Runs every request; `on_outcome` is called from the worker threads, one at a time.
    Once an audit record could not be written the counter verifies no further card (a
    verification must never go unrecorded): the requests left are given to `on_not_run` with
    the cause. A request the policy refuses (a virtual reader outside training, a code the
    card on that reader already rejected: nothing is sent) goes to `on_refused` and the worker
    goes on; without it the first refusal is raised after all workers end."""
    requests = list(requests)
    queues = worker_queues(requests, _readers_for(requests))
    report_lock = threading.Lock()
    raised: list[ConfigError] = []

    def refuse(request: BatchRequest, error: ConfigError) -> None:
        with report_lock:
            if on_refused is None:
                raised.append(error)
            else:
                on_refused(request, error)

    def not_run(request: BatchRequest, message: str) -> None:
        with report_lock:
            if on_not_run is not None:
                on_not_run(request, message)

    def work(queue: list[BatchRequest]) -> None:
        for request in queue:
            try:
                key = key_of_request(request, today=counter.today())
            except (OcrError, CodeBInputError, NumberInputError) as error:
                not_run(request, str(error))
                continue
            try:
                checked = counter.check(request.source, key, request_id=request.id)
            except AuditStopped as error:
                not_run(request, f"not run: {error}")
                continue
            except (ReaderRefused, WrongKeyError) as error:
                refuse(request, error)
                continue
            failing = checked.result.failing_check
            if failing is not None and failing.reason in _REPEATED:
                what = ("card number" if failing.reason is Reason.NUMBER_ALREADY_REJECTED
                        else "code B")
                refuse(request, CodeRepeated(f"the card on {checked.reader} already rejected "
                                             f"this {what} in this batch: nothing was sent"))
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

"""One batch worker per physical reader: however a line names a reader (an index, the full
name, a unique part of it), lines for one reader share one worker and run in file order.
Through pcscd with one card: tests/pcsc/test_pcsc_batch_reader.py."""

from __future__ import annotations

import testcards
from verifier.counter.batch import BatchRequest, worker_queues
from verifier.counter.sources import SourceSpec

READERS = ["Virtual PCD 00 00", "Virtual PCD 00 01", "Sony FeliCa Port/PaSoRi 4.0 (RC-S300)"]
CODE = testcards.PERSONAS[0].code_b


def request(n: int, **source: object) -> BatchRequest:
    return BatchRequest(n, f"r{n}", SourceSpec(**source), CODE)  # type: ignore[arg-type]


def ids(queue: list[BatchRequest]) -> list[object]:
    return [r.id for r in queue]


def test_one_reader_written_three_ways_is_one_worker_in_file_order() -> None:
    requests = [request(1, reader="0"), request(2, reader="Virtual PCD 00 01"),
                request(3, reader="Virtual PCD 00 00"), request(4, reader="pcd 00 00"),
                request(5, reader="1"), request(6, reader="PaSoRi")]
    queues = worker_queues(requests, READERS)
    assert {key: ids(queue) for key, queue in queues.items()} == {
        "Virtual PCD 00 00": ["r1", "r3", "r4"],
        "Virtual PCD 00 01": ["r2", "r5"],
        "Sony FeliCa Port/PaSoRi 4.0 (RC-S300)": ["r6"],
    }


def test_sources_that_name_no_connected_reader_keep_their_label() -> None:
    requests = [request(1, reader="Virtual PCD 00 05", wait_s=30.0),  # not connected yet
                request(2, reader=None), request(3, simulated="genuine"),
                request(4, simulated="cloned"), request(5, simulated="genuine"),
                request(6, reader="Virtual PCD"),  # ambiguous: parse_request refuses it
                ]
    queues = worker_queues(requests, READERS)
    assert {key: ids(queue) for key, queue in queues.items()} == {
        "Virtual PCD 00 05": ["r1"], "auto": ["r2"], "simulated:genuine": ["r3", "r5"],
        "simulated:cloned": ["r4"], "Virtual PCD": ["r6"]}


def test_without_a_reader_list_every_line_keeps_its_label() -> None:
    requests = [request(1, reader="0"), request(2, reader="Virtual PCD 00 00")]
    assert list(worker_queues(requests, [])) == ["0", "Virtual PCD 00 00"]

"""No chip data makes a parser do more than linear work.

A hostile chip chooses the bytes of every file (up to 64 KiB each). Wall time is not measured
(timed tests are flaky and forbidden here); three deterministic counts are, on inputs of size n
and 8n of the same shape:

- calls: Python function calls made while parsing (sys.settrace);
- volume: bytes allocated, summed over the run — every transient copy counts, so a parser
  that copies "the rest of the input" once per object shows up as n² (tracemalloc, read and
  its peak reset at every traced opcode, adds each block allocated between two opcodes);
- peak: the highest memory in use above the start.

Linear work means each grows about 8x from n to 8n; the bound allows 10x. The peak is bounded
absolutely too, at PEAK_PER_BYTE bytes per input byte. (The volume also counts the tracer's
own small allocations per opcode, so only its growth is meaningful, not its size.)

Run time: about 18 s (opcode tracing is slow; the sizes are kept small for it, and each shape
runs on the parsers whose own loop it stresses: see CASES).
"""

from __future__ import annotations

import collections
import functools
import sys
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tests.verifier.test_fuzz_parsers as parser_table
from verifier.card.tlv import encode_long, total_length
from verifier.errors import MalformedData, UnsupportedLayout

N = 256
SCALE = 8
GROWTH_LIMIT = 10.0  # 8x input; linear work grows ~8x, quadratic ~64x
# Many empty objects cost a Tlv and two bytes objects per 2 input bytes: ~90 B per byte.
PEAK_PER_BYTE = 256

PARSERS: dict[str, Callable[[bytes], object]] = {**parser_table.PARSERS,
                                                  **parser_table.READERS,
                                                  "total_length": total_length}
OUTER_TAGS = {"locate_card_face": 0xFF20, "locate_cv_certificate": 0x7F21,
              "parse_ap_basic_info": 0xFF30, "locate_text_basic_four": 0xFF20,
              "locate_text_integrity": 0xFF30, "read_card_face": 0xFF20,
              "read_certified_key": 0x7F21, "read_text_basic_four": 0xFF20,
              "basic_four_digest": 0xFF30}


@dataclass(frozen=True)
class Work:
    calls: int
    volume: int
    peak: int


def _idle(data: bytes) -> int:
    count = 0
    for _ in data:
        count = 1
    return count


def _trace(parse: Callable[[bytes], object], data: bytes, overhead: int) -> tuple[Work, int]:
    """Run `parse` traced opcode by opcode, so each allocation is seen before it is freed.

    Returns the work and the commonest allocation seen between two opcodes, which for a loop
    that allocates nothing is the tracer's own cost per event (an int of 32 bytes on 3.11).
    """
    calls = volume = peak = 0
    deltas: collections.Counter[int] = collections.Counter()
    tracemalloc.start()
    base = last = tracemalloc.get_traced_memory()[0]

    def account() -> None:
        nonlocal volume, peak, last
        current, high = tracemalloc.get_traced_memory()
        deltas[high - last] += 1
        volume += max(0, high - last - overhead)
        peak = max(peak, high - base)
        last = current
        tracemalloc.reset_peak()

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal calls
        account()
        if event == "call":
            calls += 1
            frame.f_trace_opcodes = True
        return trace

    # The tracer that ran before (coverage's, a debugger's) is put back afterwards: left at
    # None, it would stay off for the rest of the test session.
    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        parse(data)
    except (MalformedData, UnsupportedLayout):
        pass
    finally:
        sys.settrace(None)
        account()
        tracemalloc.stop()
        sys.settrace(previous)
    return Work(calls, volume, peak), deltas.most_common(1)[0][0]


@functools.cache
def tracer_overhead() -> int:
    return _trace(_idle, bytes(64), 0)[1]


def measure(parse: Callable[[bytes], object], data: bytes) -> Work:
    return _trace(parse, data, tracer_overhead())[0]


def _inside(parser: str, value: bytes) -> bytes:
    tag = OUTER_TAGS.get(parser)
    return value if tag is None else encode_long(tag, value, length_bytes=2)


def _shape(unit: bytes, tail: bytes, size: int) -> bytes:
    return unit * max(1, (size - len(tail)) // len(unit)) + tail


# Shapes a hostile chip can send: many empty objects, filler that is not quite filler to the
# end, one huge object, a length that claims more than there is, nested long forms.
SHAPES: dict[str, tuple[bytes, bytes]] = {
    "empty objects": (b"\x01\x00", b""),
    "zero objects then one real": (b"\x00\x00", b"\x01\x00"),
    "FF filler then one real": (b"\xff", b"\x01\x00"),
    "three-byte tags": (b"\xdf\x81\x01\x00", b""),
    "all FF": (b"\xff", b""),
}


def _assert_linear(parser: str, unit: bytes, tail: bytes) -> None:
    parse = PARSERS[parser]
    small = measure(parse, _inside(parser, _shape(unit, tail, N)))
    large = measure(parse, _inside(parser, _shape(unit, tail, SCALE * N)))
    for what in ("calls", "volume", "peak"):
        s, big = getattr(small, what), getattr(large, what)
        assert big <= GROWTH_LIMIT * max(s, 64), (what, s, big)
    assert large.peak <= PEAK_PER_BYTE * SCALE * N, large


# Which parser runs on which shape. The record parsers share one loop (contents.outer, then
# contents.walk with its filler scan) and differ in what follows it (contents.layout_oddities
# and their own values); parse_rsa_key is parse_all, then _expect_tags; the tag and length
# reading (tlv.parse_one) is everyone's. So:
# - every parser gets many empty objects (the most objects per byte: the most work in its own
#   code after the loop), and the shapes a traced run gets through quickly;
# - three-byte tags (tlv._read_tag's loop): one record parser and parse_all;
# - zero objects then one real (the filler scan, shared by the record parsers; parse_all has
#   none): test_filler_detection_is_linear_on_a_large_card_face, at four times the size;
# - parse_one and total_length read one object: every shape, cheap whatever the shape.
EVERY_SHAPE = ("parse_one", "total_length")
EVERY_PARSER_SHAPES = ("empty objects", "FF filler then one real", "all FF")
SHARED_LOOP_SHAPES = {("locate_card_face", "three-byte tags"), ("parse_all", "three-byte tags")}
CASES = [(parser, shape) for parser in PARSERS for shape in SHAPES
         if parser in EVERY_SHAPE or shape in EVERY_PARSER_SHAPES
         or (parser, shape) in SHARED_LOOP_SHAPES]


@pytest.mark.parametrize(("parser", "shape"), CASES)
def test_parse_work_is_linear(parser: str, shape: str) -> None:
    unit, tail = SHAPES[shape]
    _assert_linear(parser, unit, tail)


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(parser=st.sampled_from(list(PARSERS)), unit=st.binary(min_size=1, max_size=6),
       tail=st.binary(max_size=6))
def test_parse_work_is_linear_for_any_repeated_pattern(parser: str, unit: bytes,
                                                       tail: bytes) -> None:
    _assert_linear(parser, unit, tail)


def test_measure_sees_quadratic_work() -> None:
    """The measure can fail: copying the rest of the input per byte is reported as n²."""

    def quadratic(data: bytes) -> object:
        return [len(data[i:]) for i in range(len(data))]

    small, large = measure(quadratic, bytes(N)), measure(quadratic, bytes(SCALE * N))
    assert large.volume > GROWTH_LIMIT * small.volume


def test_filler_detection_is_linear_on_a_large_card_face() -> None:
    """The shape that once cost most: 00 00 up to one real object at the end, so every
    "is the rest filler?" question read to the end. At 64 KiB this took ~6 s of CPU before
    the walk stopped copying and scanning the rest of the value per object."""
    unit, tail = SHAPES["zero objects then one real"]
    parse = PARSERS["locate_card_face"]
    small = measure(parse, _inside("locate_card_face", _shape(unit, tail, 4 * N)))
    large = measure(parse, _inside("locate_card_face", _shape(unit, tail, 4 * SCALE * N)))
    assert large.volume <= GROWTH_LIMIT * small.volume, (small, large)

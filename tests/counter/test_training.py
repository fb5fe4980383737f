"""Virtual readers only in training (docs/threat-model.md): the policy every front end uses."""

from __future__ import annotations

from datetime import date

import pytest

from verifier.counter.policy import CounterPolicy, VirtualReaderRefused, is_virtual_reader
from verifier.counter.sources import SourceSpec, simulated_cards
from verifier.counter.visit import Counter
from verifier.engine.verdict import Verdict
from verifier.errors import ConfigError

TODAY = date(2026, 11, 23)
USB = "SCM Microsystems SCR 3310 00 00"


class Watched:
    """A transport that only counts what is asked of it."""

    def __init__(self) -> None:
        self.sent = 0
        self.closed = False
        self.atr = b""

    def transmit(self, apdu: bytes) -> bytes:
        self.sent += 1
        return b"\x6f\x00"

    def close(self) -> None:
        self.closed = True


def test_virtual_readers_are_vsmartcards_and_the_operators_list() -> None:
    assert is_virtual_reader("Virtual PCD 00 01")
    assert not is_virtual_reader(USB)
    assert is_virtual_reader("Remote Card Bridge 00 00", ("card bridge",))
    assert not is_virtual_reader(USB, ("", "  "))  # an empty entry marks nothing
    policy = CounterPolicy(virtual_readers=("SCR 3310",))
    assert policy.is_virtual(USB) and not CounterPolicy().is_virtual(USB)


@pytest.mark.parametrize("reader", ["Virtual PCD 00 00", "My Relay 00 00"])
def test_a_virtual_reader_is_refused_outside_training_before_any_command(reader: str) -> None:
    counter = Counter(CounterPolicy(virtual_readers=("relay",)), today=lambda: TODAY)
    transport = Watched()
    with pytest.raises(VirtualReaderRefused) as refused:
        counter.attach(transport, reader=reader, in_process=False)  # type: ignore[arg-type]
    assert isinstance(refused.value, ConfigError)  # a usage error: exit 2 in the CLI
    message = str(refused.value)
    assert reader in message and "--training" in message and "\n" not in message
    assert transport.sent == 0 and transport.closed


def test_a_real_reader_is_never_refused() -> None:
    counter = Counter(CounterPolicy(), today=lambda: TODAY)
    visit = counter.attach(Watched(), reader=USB, in_process=False)  # type: ignore[arg-type]
    assert not visit.simulated


def test_in_training_a_virtual_readers_result_is_marked_simulated() -> None:
    transport, code = simulated_cards().open("genuine", persona=0, quirks="")
    policy = CounterPolicy(hierarchies=("simulated",), training=True,
                           virtual_readers=("relay",))
    counter = Counter(policy, today=lambda: TODAY)
    visit = counter.attach(transport, reader="My Relay 00 00", in_process=False)
    checked = visit.verify(code)
    visit.close()
    assert checked.result.verdict is Verdict.GENUINE
    assert checked.result.simulated and checked.result.to_json()["simulated"] is True


def test_simulated_cards_in_process_need_no_training_and_are_marked() -> None:
    checked = Counter(CounterPolicy(), today=lambda: TODAY).check(
        SourceSpec(simulated="genuine"), None)
    assert checked.result.verdict is Verdict.GENUINE and checked.result.simulated

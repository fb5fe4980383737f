"""Which answers make the session give up the short-EF-id form (`refuses_short_ef`), built on
the status-word classifier and nowhere else."""

from __future__ import annotations

import pytest

from apdu import StatusWord
from verifier.engine.session import refuses_short_ef


@pytest.mark.parametrize("value", [0x6700, 0x6A80, 0x6A81, 0x6A86, 0x6A87, 0x6D00, 0x6E00,
                                   0x6A82, 0x6A88, 0x6B00])
def test_a_card_without_short_ef_ids_is_recognised(value: int) -> None:
    assert refuses_short_ef(StatusWord.of(value))


@pytest.mark.parametrize("value", [0x9000, 0x6282, 0x6982, 0x6984, 0x63C2, 0x6300, 0x6F00,
                                   0x6581, 0x6985, 0x6986, 0x6981])
def test_answers_that_are_no_refusal_of_short_ef_ids(value: int) -> None:
    # security, tries, a transient fault: the form was understood; 6282 is a real end of file
    assert not refuses_short_ef(StatusWord.of(value))

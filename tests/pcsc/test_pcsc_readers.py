"""Reader listing and choice against the real pcscd with its two virtual readers."""

from __future__ import annotations

import pytest
from vpcd_cards import TEST_ATR, ScriptedCard, ServeCard

from apdu import pcsc
from apdu.errors import AmbiguousReaderError, NoCardError, NoReaderError

pytestmark = pytest.mark.pcsc


def test_list_readers_sees_both_virtual_readers_empty(vpcd_readers: tuple[str, str]) -> None:
    infos = {r.name: r for r in pcsc.list_readers()}
    for name in vpcd_readers:
        assert infos[name] == pcsc.ReaderInfo(name, card_present=False, atr=None)


def test_list_readers_shows_the_card_and_its_atr(
    serve_card: ServeCard, vpcd_readers: tuple[str, str]
) -> None:
    serve_card(ScriptedCard, slot=1)
    infos = {r.name: r for r in pcsc.list_readers()}
    assert infos[vpcd_readers[1]] == pcsc.ReaderInfo(vpcd_readers[1], True, TEST_ATR)
    assert not infos[vpcd_readers[0]].card_present


def test_resolve_reader_by_index_name_and_substring(vpcd_readers: tuple[str, str]) -> None:
    names = [r.name for r in pcsc.list_readers()]
    second = names.index(vpcd_readers[1])
    assert pcsc.resolve_reader(str(second)) == vpcd_readers[1]
    assert pcsc.resolve_reader(vpcd_readers[1]) == vpcd_readers[1]
    assert pcsc.resolve_reader(vpcd_readers[1][-5:].lower()) == vpcd_readers[1]


def test_resolve_reader_errors_name_the_readers(vpcd_readers: tuple[str, str]) -> None:
    with pytest.raises(NoCardError, match="Virtual PCD"):
        pcsc.resolve_reader(None)
    with pytest.raises(AmbiguousReaderError, match="Virtual PCD"):
        pcsc.resolve_reader("Virtual PCD")
    with pytest.raises(NoReaderError, match="Virtual PCD"):
        pcsc.resolve_reader("Gemalto")
    with pytest.raises(NoReaderError, match="numbered from 0"):
        pcsc.resolve_reader("99")


def test_resolve_reader_picks_the_one_reader_with_a_card(
    serve_card: ServeCard, vpcd_readers: tuple[str, str]
) -> None:
    serve_card(ScriptedCard, slot=1)
    assert pcsc.resolve_reader(None) == vpcd_readers[1]
    serve_card(ScriptedCard, slot=0)
    with pytest.raises(AmbiguousReaderError):
        pcsc.resolve_reader(None)
    with pytest.raises(AmbiguousReaderError):
        pcsc.wait_for_card(None, 1)

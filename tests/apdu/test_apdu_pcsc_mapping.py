"""The pure parts of apdu.pcsc: reader choice and the PC/SC error mapping (no pcscd)."""

from __future__ import annotations

import pytest
from smartcard import scard

from apdu import errors, pcsc

READERS = ["ACS ACR1251 Dual Reader PICC 00 00", "ACS ACR1251 Dual Reader SAM 00 01",
           "SONY FeliCa Port/PaSoRi 4.0 00 00"]


def test_none_picks_the_only_reader_with_a_card() -> None:
    assert pcsc.choose_reader(READERS, [READERS[2]], None) == READERS[2]


def test_none_without_a_card_lists_the_readers() -> None:
    with pytest.raises(errors.NoCardError, match="PaSoRi"):
        pcsc.choose_reader(READERS, [], None)


def test_none_with_several_cards_is_ambiguous() -> None:
    with pytest.raises(errors.AmbiguousReaderError, match="--reader"):
        pcsc.choose_reader(READERS, READERS[:2], None)


def test_no_readers_at_all() -> None:
    with pytest.raises(errors.NoReaderError):
        pcsc.choose_reader([], [], "0")


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [("0", READERS[0]), ("2", READERS[2]), (READERS[1], READERS[1]), ("pasori", READERS[2]),
     ("SAM", READERS[1]), (" 1 ", READERS[1])],
)
def test_index_exact_name_or_unique_substring(wanted: str, expected: str) -> None:
    assert pcsc.choose_reader(READERS, [], wanted) == expected


def test_substring_of_several_is_ambiguous() -> None:
    with pytest.raises(errors.AmbiguousReaderError, match="ACR1251"):
        pcsc.choose_reader(READERS, [], "acr1251")


def test_index_out_of_range_and_unknown_name() -> None:
    with pytest.raises(errors.NoReaderError, match="0="):
        pcsc.choose_reader(READERS, [], "3")
    with pytest.raises(errors.NoReaderError, match="Gemalto"):
        pcsc.choose_reader(READERS, [], "Gemalto")


MAPPING = [
    ("SCARD_W_REMOVED_CARD", False, errors.CardRemovedError),
    ("SCARD_E_NO_SMARTCARD", False, errors.NoCardError),
    ("SCARD_E_NO_SMARTCARD", True, errors.CardRemovedError),
    ("SCARD_E_NO_READERS_AVAILABLE", False, errors.NoReaderError),
    ("SCARD_E_READER_UNAVAILABLE", True, errors.ReaderRemovedError),
    ("SCARD_E_UNKNOWN_READER", False, errors.ReaderRemovedError),
    ("SCARD_E_SHARING_VIOLATION", False, errors.SharingViolationError),
    ("SCARD_E_NO_SERVICE", False, errors.ServiceNotRunningError),
    ("SCARD_E_SERVICE_STOPPED", True, errors.ServiceNotRunningError),
    ("SCARD_E_TIMEOUT", True, errors.CardTimeoutError),
    ("SCARD_W_UNRESPONSIVE_CARD", False, errors.UnresponsiveCardError),
    ("SCARD_W_RESET_CARD", True, errors.CardResetError),
    ("SCARD_E_PROTO_MISMATCH", False, errors.ProtocolError),
]


@pytest.mark.parametrize(("name", "in_session", "expected"), MAPPING)
def test_pcsc_codes_map_to_one_card_error_each(
    name: str, in_session: bool, expected: type[errors.CardError]
) -> None:
    failure = pcsc.PcscFailure("SCardTest", getattr(scard, name))
    error = pcsc.map_failure(failure, in_session=in_session)
    assert type(error) is expected
    assert f"0x{failure.hresult:08X}" in str(error)


def test_unresponsive_is_a_kind_of_timeout() -> None:
    assert issubclass(errors.UnresponsiveCardError, errors.CardTimeoutError)


def test_unlisted_code_is_still_a_card_error() -> None:
    error = pcsc.map_failure(pcsc.PcscFailure("SCardTest", scard.SCARD_E_NOT_TRANSACTED),
                             in_session=True)
    assert type(error) is errors.CardError
    assert "SCardTest" in str(error)

"""The card number as typed: forms accepted, each mistake named, and never shown."""

from __future__ import annotations

import logging
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verifier.documents.residence.card_number import (
    CardNumber,
    CardNumberError,
    parse_card_number,
)
from verifier.errors import VerifierError

NUMBER = "AB12345678CD"


@pytest.mark.parametrize("typed", [
    "AB12345678CD", "ab12345678cd", "Ab12345678cD", "AB 1234 5678 CD", "AB-1234-5678-CD",
    "ＡＢ１２３４５６７８ＣＤ", "ａｂ１２３４５６７８ｃｄ", "AB　12345678　CD", "AB－12345678－CD",
    " AB12345678CD\n", "AB1234ー5678CD",
])
def test_accepted_forms(typed: str) -> None:
    assert parse_card_number(typed).text == NUMBER


@pytest.mark.parametrize(("typed", "words"), [
    ("", "no card number"),
    ("AB1234567CD", "11 characters"),
    ("AB123456789CD", "13 characters"),
    ("1B12345678CD", "starts and ends with two letters"),
    ("AB12345678C1", "starts and ends with two letters"),
    ("AB1234567XCD", "eight characters in the middle"),
    ("AB12345678CD!", "other than letters and digits"),
    ("AB12345678ＣＤ漢", "other than letters and digits"),
])
def test_each_mistake_has_its_message_without_the_input(typed: str, words: str) -> None:
    with pytest.raises(CardNumberError) as caught:
        parse_card_number(typed)
    error = caught.value
    assert words in error.message
    assert error.message_ja and error.field == "card_number"
    core = typed.strip("!漢")
    for shown in (str(error), error.message, error.message_ja):
        assert not core or core not in shown


def test_the_error_is_a_verifier_error_and_a_value_error() -> None:
    assert issubclass(CardNumberError, VerifierError)
    assert issubclass(CardNumberError, ValueError)


def test_printing_never_shows_it(caplog: pytest.LogCaptureFixture) -> None:
    number = parse_card_number(NUMBER)
    shown = [repr(number), str(number), f"{number}", f"{number!r}", f"{number:>20}",
             str([number]), str({"n": number})]
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("test").info("number %s", number)
    assert all(NUMBER not in text for text in [*shown, caplog.text])
    assert number.text == NUMBER


def test_value_semantics() -> None:
    number = parse_card_number("ab12345678cd")
    assert number == CardNumber(NUMBER)
    assert hash(number) == hash(CardNumber(NUMBER))
    assert number != parse_card_number("AB12345678CE")
    assert pickle.loads(pickle.dumps(number)) == number
    with pytest.raises(AttributeError):
        number._text = "XX00000000XX"  # type: ignore[misc]


def test_the_constructor_takes_only_the_canonical_form() -> None:
    for text in ("ab12345678cd", "AB 12345678CD", "ＡＢ12345678CD"):
        with pytest.raises(CardNumberError):
            CardNumber(text)


@given(st.text(max_size=40))
def test_any_text_is_a_number_or_a_card_number_error(text: str) -> None:
    try:
        number = parse_card_number(text)
    except CardNumberError as error:
        assert error.field == "card_number"
        return
    assert len(number.text) == 12 and number.text.isascii()

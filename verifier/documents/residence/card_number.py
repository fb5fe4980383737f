"""在留カード等番号: the 12 characters printed on the front that open the chip (spec 1).

Two letters, eight digits, two letters, e.g. AB12345678CD. Nothing secret — anyone holding the
card reads it — but it identifies a person, so it is treated like code B (design.md rule 2):
`repr`, `str` and `format` never show it, only `.text` does, and no error message repeats what
was typed.
"""

from __future__ import annotations

import re
import unicodedata

from verifier.errors import VerifierError

LENGTH = 12
_FORM = re.compile(r"[A-Z]{2}[0-9]{8}[A-Z]{2}")
#: Separators a clerk may type between the groups: any white space (full-width spaces become
#: ASCII under NFKC; a line from standard input ends in a newline) and the dashes an IME
#: produces, the long-vowel mark among them.
_DASHES = frozenset("-‐‑‒–—―−ー－ｰ")


class CardNumberError(VerifierError, ValueError):
    """The residence card number is not valid; carries the explanation in Japanese for the GUI
    and CLI. The message never repeats the input (it identifies a person)."""

    def __init__(self, message: str, message_ja: str, *, field: str = "card_number") -> None:
        super().__init__(message)
        self.message = message
        self.message_ja = message_ja
        self.field = field  # always "card_number": the one field of this key


def _error(en: str, ja: str) -> CardNumberError:
    return CardNumberError(en, ja)


class CardNumber:
    """The 12 characters, upper-case ASCII. Printing it never shows them; ask `.text`."""

    __slots__ = ("_text",)
    _text: str

    def __init__(self, text: str) -> None:
        if not (len(text) == LENGTH and text.isascii() and _FORM.fullmatch(text)):
            raise _error("a card number is two letters, eight digits and two letters "
                         "(12 characters, like AB12345678CD)",
                         "在留カード等番号は英字2文字・数字8桁・英字2文字の12文字です"
                         "（例: AB12345678CD）")
        object.__setattr__(self, "_text", text)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("CardNumber is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("CardNumber is immutable")

    @property
    def text(self) -> str:
        return self._text

    def to_bytes(self) -> bytes:
        """The 12 ASCII bytes the keys and the VERIFY are made from."""
        return self._text.encode("ascii")

    def __repr__(self) -> str:
        return f"CardNumber({'*' * LENGTH})"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CardNumber) and other._text == self._text

    def __hash__(self) -> int:
        return hash((CardNumber, self._text))

    def __reduce__(self) -> tuple[type[CardNumber], tuple[str]]:
        return (CardNumber, (self._text,))


def parse_card_number(text: str) -> CardNumber:
    """The number as typed: lower case, full-width characters (ＡＢ１２…) and spaces or
    hyphens between the characters are accepted. Each way it can be wrong gets its own
    message, none of which repeats the input."""
    compact = "".join(ch for ch in unicodedata.normalize("NFKC", text)
                      if ch not in _DASHES and not ch.isspace()).upper()
    if not compact:
        raise _error("no card number was given", "在留カード等番号を入力してください")
    if not compact.isascii() or not compact.isalnum():
        raise _error("the card number holds characters other than letters and digits",
                     "在留カード等番号に英数字以外の文字が含まれています")
    if len(compact) != LENGTH:
        raise _error(f"the card number has {len(compact)} characters, not {LENGTH}",
                     f"在留カード等番号が{len(compact)}文字です（{LENGTH}文字で入力してください）")
    if not (compact[:2].isalpha() and compact[10:].isalpha()):
        raise _error("the card number starts and ends with two letters",
                     "在留カード等番号の最初の2文字と最後の2文字は英字です")
    if not compact[2:10].isdigit():
        raise _error("the eight characters in the middle of the card number are digits",
                     "在留カード等番号の3文字目から10文字目までは数字です")
    return CardNumber(compact)

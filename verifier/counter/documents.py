"""The documents this counter reads, and which one a chip on the reader is.

The counter asks each document in turn (SELECT of its application, its card-type file; never
the ATR). The first that the chip answers as is read. When none is sure: a document whose
question got no clear answer is read (it asks again, and says "not verified" if it still gets
none), else the document whose key the clerk gave, else the first, whose own steps then say
what the chip lacks (for a chip that answers as no document at all: the My Number Card's
card-face AP "not found" twice, or with a card number given the residence application not
found, evidence).
"""

from __future__ import annotations

from collections.abc import Mapping

from apdu.errors import CardError
from verifier.documents.my_number.document import MY_NUMBER
from verifier.documents.residence.document import RESIDENCE
from verifier.engine.document import Document, Found, KeyKind, Recognition
from verifier.engine.steps import Channel
from verifier.engine.verdict import Detail

__all__ = ["DOCUMENTS", "Document", "KeyKind", "by_key", "by_name", "check_names", "recognise",
           "step_of"]

DOCUMENTS: tuple[Document, ...] = (MY_NUMBER, RESIDENCE)


def recognise(channel: Channel, documents: tuple[Document, ...] = DOCUMENTS, *,
              prefer: KeyKind | None = None) -> tuple[Document, Recognition]:
    """The document the chip answers as. None sure: one whose question got no clear answer;
    else the one whose key the clerk gave (`prefer`: a card number says "a residence card",
    so a chip with no residence application is evidence against what was presented); else
    the first."""
    answers: list[tuple[Document, Recognition]] = []
    for document in documents:
        try:
            recognition = document.recognise(channel)
        except CardError:
            # the card itself failed to answer: its own steps will meet the failure and say it
            recognition = Recognition(Found.UNCLEAR)
        if recognition.found is Found.YES:
            return document, recognition
        answers.append((document, recognition))
        channel.session.restarted()
    unclear = next((answer for answer in answers if answer[1].found is Found.UNCLEAR), None)
    if unclear is not None:
        return unclear
    preferred = next((answer for answer in answers if answer[0].key_kind is prefer), None)
    return preferred if preferred is not None else answers[0]


def check_names() -> Mapping[str, Detail]:
    """Every document's check names, for the front ends. An id two documents share
    (`chip.present`, `certificate.trusted`, ...) means the same step in both and has the same
    name."""
    names: dict[str, Detail] = {}
    for document in DOCUMENTS:
        names.update(document.check_names)
    return names


def step_of(check_id: str, document: str | None = None) -> tuple[int, int]:
    """Where `check_id` stands among the checks of `document` (by name; None: the first
    document that has the check), and how many checks that document runs: for a progress
    bar."""
    named = by_name(document) if document is not None else None
    for candidate in (named,) if named is not None else DOCUMENTS:
        order = list(candidate.check_names)
        if check_id in order:
            return order.index(check_id), len(order)
    return 0, len(DOCUMENTS[0].check_names)


def by_key(kind: KeyKind) -> tuple[Document, ...]:
    return tuple(document for document in DOCUMENTS if document.key_kind is kind)


def by_name(name: str) -> Document | None:
    """The document whose name, or one of whose results' names, is `name`."""
    return next((document for document in DOCUMENTS
                 if name == document.name or name in document.result_names), None)

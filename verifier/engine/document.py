"""What a document package gives the counter: how its chip is recognised, which key opens it,
its trust, its checks' names, and one verification of one card.

The engine knows no document. Each one (`verifier.documents.my_number`,
`verifier.documents.residence`, later the driving licence) implements `Document`; the counter
holds them in a list, asks each in turn whether the chip on the reader answers as it, and then
runs that document's verification. A new document is one more package and one more entry in that
list, never a change here.
"""

from __future__ import annotations

import enum
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from verifier.engine.session import Forms
from verifier.engine.steps import DEFAULT_DEADLINE_S, Channel, StepCallback
from verifier.engine.verdict import Detail, Reason, Result

if TYPE_CHECKING:  # cryptography is loaded with the first trust file, not at start-up
    from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes


class KeyKind(enum.StrEnum):
    """What the clerk gives to open a document's chip."""

    CODE_B = "code_b"  # 照合番号B: birth date, expiry year, security code as printed
    CARD_NUMBER = "card_number"  # the 12 characters printed on a residence card


class Found(enum.Enum):
    YES = "yes"  # the chip answered as this document
    NO = "no"  # it answered that it is not (e.g. "not found" for the application)
    UNCLEAR = "unclear"  # it answered neither (a transient or unexplained status word)


@dataclass(frozen=True)
class Recognition:
    """What asking the chip whether it is this document found; `answer` is the document's own
    (a status word, a card type), handed back to its verification so nothing is asked twice."""

    found: Found
    answer: Any = None


@dataclass(frozen=True)
class TrustRequest:
    """What the operator decided about trust, for every document to take its part of: the
    hierarchies named beyond production, the trust files given (each document takes the ones
    in its format), and whether the simulated CA may be trusted without being named (the
    simulated-card plug-in's own in-process cards)."""

    hierarchies: tuple[str, ...] = ()
    files: tuple[Path, ...] = ()
    in_process_simulated: bool = False
    #: where `mynacheck trust add` installed the issuers' CA certificates (None: nowhere)
    installed: Path | None = None


@dataclass(frozen=True)
class Options:
    """One verification's settings that every document shares."""

    today: date
    keep_tries: int = 3
    #: decode chip images for display (GUI, --include-personal-data, --save-photo); else the
    #: decoders never run on chip bytes
    decode_photo: bool = False
    #: the card is a simulated one (in-process, or on a virtual reader): only then can a
    #: simulated CA, whose private keys are public, be accepted at all
    simulated: bool = False
    deadline_s: float = DEFAULT_DEADLINE_S
    #: the My Number Card's text-AP cross-check (a document without one ignores it)
    text_ap: bool = True


#: Asked just before the key is sent: the reason not to send it (the key step fails with it),
#: or None to send it.
KeyGate = Callable[[Any], "Reason | None"]


class DocumentVerification(Protocol):
    """One card of one document: precheck (no key sent), verify (the key sent once)."""

    @property
    def simulated(self) -> bool: ...

    def precheck(self, on_step: StepCallback | None = None) -> Result: ...

    def verify(self, key: Any, on_step: StepCallback | None = None, *,
               code_printed: bool = False, gate: KeyGate | None = None) -> Result: ...

    def abandon(self) -> None: ...

    def identity(self) -> tuple[bytes, ...]:
        """What the chip answered without a key that tells this card from the next one (its
        ATR and certificate); empty when nothing it answers before the key does."""

    def card_key(self) -> bytes | None:
        """What tells this card from every other, once read (its own key, its number)."""


class Document(Protocol):
    """One kind of identity document with a chip."""

    @property
    def name(self) -> str:
        """Stable, in JSON and the audit record: "my_number_card", "residence_card", ..."""

    @property
    def result_names(self) -> tuple[str, ...]:
        """Every value `Result.document` takes for it (one document package may read kinds
        of card that are named apart: 在留カード, 特別永住者証明書)."""

    @property
    def title(self) -> Detail:
        """What the clerk calls it."""

    @property
    def key_kind(self) -> KeyKind: ...

    @property
    def check_names(self) -> Mapping[str, Detail]:
        """Each check id's name for the clerk."""

    def trust(self, request: TrustRequest) -> Any:
        """This document's trust for `request`; raises ConfigError for a file it cannot use."""

    def accepts_trust_file(self, path: Path) -> bool:
        """Whether a trust file is in this document's format."""

    def trust_file_keys(self, path: Path) -> tuple[PublicKeyTypes, ...]:
        """The public keys a trust file in this document's format holds (for the check that
        none has its private half in this repository). Raises TrustFileError."""

    def recognise(self, channel: Channel) -> Recognition:
        """Ask the chip (SELECT of an application, a card-type file) whether it is this
        document; never by ATR. What it answered goes into the Recognition, so that the
        verification does not ask again."""

    def verification(self, channel: Channel, options: Options, trust: Any,
                     recognition: Recognition, *, clock: Callable[[], float] = time.perf_counter,
                     nonce: Callable[[int], bytes] = os.urandom) -> DocumentVerification: ...


__all__ = ["Channel", "Document", "DocumentVerification", "Forms", "Found", "KeyGate",
           "KeyKind", "Options", "Recognition", "TrustRequest"]

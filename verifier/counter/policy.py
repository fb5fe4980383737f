"""What the operator decided for a run, and the policies derived from it, each in one place:
which hierarchies are trusted, how many code-B tries are kept in reserve, when a card counts
as simulated, which readers a counter may use (virtual readers only in training), and where
the audit record goes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from verifier.counter.documents import DOCUMENTS
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.document import MY_NUMBER
from verifier.documents.my_number.trust import JPKI_TEST, PRODUCTION, SIMULATED, TrustStore
from verifier.documents.residence.hierarchies import AGENCY_TEST
from verifier.engine.document import Document, Options, TrustRequest
from verifier.engine.steps import DEFAULT_DEADLINE_S as DEFAULT_DEADLINE_S
from verifier.errors import ConfigError, TrustFileError

DEFAULT_KEEP_TRIES = p.DEFAULT_KEEP_TRIES
#: The hierarchies an operator can name; production is always accepted. jpki-test is the My
#: Number Card's test hierarchy, agency-test the Immigration Services Agency's sample cards.
HIERARCHIES = (PRODUCTION, JPKI_TEST, AGENCY_TEST, SIMULATED)
MAX_DEADLINE_S = 600.0
#: The most tries a floor may keep: keeping all ten would make every check impossible
#: (card-spec 3: ten tries, secondary sources).
MAX_KEEP_TRIES = p.CODE_B_MAX_TRIES - 1
#: vsmartcard's virtual readers (simulated cards served to pcscd) are named so.
VIRTUAL_READER_PREFIX = "Virtual PCD"


def is_virtual_reader(reader: str, listed: tuple[str, ...] = ()) -> bool:
    """vsmartcard's virtual readers, and any reader whose name contains one of `listed` (the
    operator's own list, case-insensitive): anyone who can reach such a reader can put any
    card in it, so it serves training only."""
    folded = reader.casefold()
    return reader.startswith(VIRTUAL_READER_PREFIX) or any(
        name.strip() and name.strip().casefold() in folded for name in listed)


class ReaderRefused(ConfigError):
    """The policy does not let a card on this reader be verified; nothing was sent to it."""


class VirtualReaderRefused(ReaderRefused):
    """A virtual reader outside training mode."""


class CommittedKeyRefused(ReaderRefused):
    """A trust file holds a key whose private half is committed to this repository: anyone can
    sign with it, so it is refused outside training on a virtual reader."""


def _committed_message(files: tuple[str, ...], reader: str | None) -> str:
    where = f"for reader {reader!r}" if reader is not None else "outside training"
    return (f"trust file {', '.join(files)} holds a key whose private half is committed to "
            "mynacheck's repository (a simulated or test CA): anyone can sign with it, so it is "
            f"refused {where}; it is accepted only in training mode on a virtual reader")


def committed_key_files(paths: tuple[Path, ...]) -> tuple[str, ...]:
    """The names of the trust files among `paths` that hold a key whose private half is
    committed to this repository (the simulated and test CAs), in any document's format.
    Raises TrustFileError."""
    from verifier.card.committed import is_committed

    return tuple(path.name for path in paths
                 if any(is_committed(key) for document in DOCUMENTS
                        if document.accepts_trust_file(path)
                        for key in document.trust_file_keys(path)))


@dataclass(frozen=True)
class CounterPolicy:
    """The operator's choices, validated once; a front end builds one from its options."""

    hierarchies: tuple[str, ...] = ()  # test hierarchies named on top of production
    trust_files: tuple[Path, ...] = ()
    keep_tries: int = DEFAULT_KEEP_TRIES
    text_ap: bool = True
    audit_log: Path | None = None
    operator: str | None = None
    deadline_s: float = DEFAULT_DEADLINE_S  # per precheck or verify
    # Training: virtual readers allowed, their results marked simulated. Outside training a
    # counter verifies real cards on real readers only.
    training: bool = False
    virtual_readers: tuple[str, ...] = ()  # names the operator lists as virtual (substrings)
    #: where the issuers' CA certificates were installed (`mynacheck trust add`); None: the
    #: default place (`installed.default_directory`)
    trust_dir: Path | None = None
    _stores: dict[tuple[str, bool], Any] = field(default_factory=dict, compare=False,
                                                 repr=False)
    _committed: list[tuple[str, ...]] = field(default_factory=list, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not 0 <= self.keep_tries <= MAX_KEEP_TRIES:
            raise ConfigError(f"--keep-tries must be 0 to {MAX_KEEP_TRIES}: keeping all "
                              f"{p.CODE_B_MAX_TRIES} tries would leave none to check with")
        if not 0 < self.deadline_s <= MAX_DEADLINE_S:
            raise ConfigError(f"--deadline must be more than 0 and at most {MAX_DEADLINE_S:g} s")
        unknown = sorted(set(self.hierarchies) - set(HIERARCHIES))
        if unknown:
            raise ConfigError(f"unknown hierarchy {unknown[0]!r}; choose from "
                              + ", ".join(HIERARCHIES))

    def with_changes(self, **changes: object) -> CounterPolicy:
        return replace(self, **changes)  # type: ignore[arg-type]

    def is_virtual(self, reader: str) -> bool:
        return is_virtual_reader(reader, self.virtual_readers)

    def is_simulated(self, reader: str, *, in_process: bool) -> bool:
        """A card from the simulated-card plug-in, or on a virtual reader (vsmartcard's, or one
        the operator listed): only then can the simulated CA be trusted at all, and its result
        is marked simulated wherever it is shown or stored."""
        return in_process or self.is_virtual(reader)

    def admit_reader(self, reader: str, *, in_process: bool = False) -> None:
        """Raises VirtualReaderRefused for a virtual reader outside training, and
        CommittedKeyRefused for a physical reader while a trust file holds a committed key.
        The simulated-card plug-in's own cards (in process, no reader) are training by nature
        and always marked simulated, so they need neither."""
        if in_process:
            return
        committed = self.committed_trust()
        if committed and not (self.training and self.is_virtual(reader)):
            raise CommittedKeyRefused(_committed_message(committed, reader))
        if self.training or not self.is_virtual(reader):
            return
        raise VirtualReaderRefused(
            f"reader {reader!r} is a virtual reader (simulated cards), refused outside "
            "training; to practise with it use --training (GUI: training mode)")

    def announces_simulated_trust(self) -> bool:
        """A simulated card trusts the simulated CA although the operator did not name it:
        front ends say so."""
        return SIMULATED not in self.hierarchies

    def trust_for(self, document: Document, *, in_process_simulated: bool) -> Any:
        """`document`'s trust: production always; the hierarchies named and the trust files in
        its format; and for the simulated-card plug-in's own cards, the simulated CA without
        being named (whatever is trusted, a simulated CA counts only on a simulated card: its
        private keys are public). Raises ConfigError for a file that cannot be used."""
        key = (document.name, in_process_simulated)
        if key not in self._stores:
            self._stores[key] = document.trust(TrustRequest(
                hierarchies=self.hierarchies, files=self.trust_files,
                in_process_simulated=in_process_simulated,
                installed=self.installed_directory()))
        return self._stores[key]

    def _has_installed(self) -> bool:
        directory = self.installed_directory()
        try:
            return directory.is_dir() and any(directory.iterdir())
        except OSError:
            return True  # let the store say why it cannot be read

    def installed_directory(self) -> Path:
        from verifier.counter.installed import default_directory

        return self.trust_dir if self.trust_dir is not None else default_directory()

    def trust(self, *, in_process_simulated: bool) -> TrustStore:
        """The My Number Card's trust store (see `trust_for`)."""
        store: TrustStore = self.trust_for(MY_NUMBER, in_process_simulated=in_process_simulated)
        return store

    def check_trust(self) -> None:
        """Load the trust files now, so a bad one is a usage error before any card is read;
        one no document can use, or one holding a key whose private half is committed here
        (outside training), is refused."""
        for path in self.trust_files:
            if not path.is_file():
                raise ConfigError(f"trust file {path}: cannot be read (no such file)")
            if not any(document.accepts_trust_file(path) for document in DOCUMENTS):
                raise ConfigError(f"trust file {path}: not a trust file of any document this "
                                  "counter reads (card-ca-keys.json format, or X.509 CA "
                                  "certificates)")
        installed = self._has_installed()
        for document in DOCUMENTS:
            # only what there is to load: a store of built-in keys alone cannot fail, and
            # building it would cost every start-up the certificate machinery
            if installed or any(document.accepts_trust_file(path) for path in self.trust_files):
                self.trust_for(document, in_process_simulated=False)
        committed = self.committed_trust()
        if committed and not self.training:
            raise CommittedKeyRefused(_committed_message(committed, None))

    def committed_trust(self) -> tuple[str, ...]:
        """The trust files that hold a key whose private half is in this repository."""
        if not self._committed:
            try:
                self._committed.append(committed_key_files(self.trust_files))
            except TrustFileError as error:
                raise ConfigError(str(error)) from error
        return self._committed[0]

    def options(self, *, in_process: bool, reader: str, today: date,
                decode_photo: bool) -> Options:
        return Options(today=today, keep_tries=self.keep_tries, text_ap=self.text_ap,
                       decode_photo=decode_photo, deadline_s=self.deadline_s,
                       simulated=self.is_simulated(reader, in_process=in_process))

    def extra_trust(self, *, simulated: bool = False) -> tuple[str, ...]:
        """What is trusted beyond the production hierarchy, by name (front ends show it, the
        JSON and the audit record list it): the hierarchies named, the trust files, and the
        simulated CA that a simulated card trusts without being named."""
        named = [name for name in HIERARCHIES
                 if name != PRODUCTION and (name in self.hierarchies
                                            or (name == SIMULATED and simulated))]
        return (*named, *(f"file:{path.name}" for path in self.trust_files))

    def with_usable_trust(self) -> tuple[CounterPolicy, str | None]:
        """This policy, or, when a trust file cannot be used, the policy without the trust
        files and why (a counter app keeps running on the built-in trust and says so)."""
        try:
            self.check_trust()
        except ConfigError as error:
            return self.with_changes(trust_files=()), str(error)
        return self, None

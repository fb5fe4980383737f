"""The counter app's settings and their persistence in QSettings.

The app opens `QSettings("mynacheck", "mynacheck")` (the user's native store) unless it is
given an ini file; tests always give an ini file under tmp_path.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import QSettings

from gui.i18n import Language, parse_language
from verifier.counter.actions import Instructions
from verifier.counter.policy import DEFAULT_KEEP_TRIES, MAX_KEEP_TRIES, CounterPolicy

ORGANIZATION = "mynacheck"
APPLICATION = "mynacheck"
DEFAULT_IDLE_TIMEOUT_S = 120
MIN_IDLE_TIMEOUT_S = 1
MAX_IDLE_TIMEOUT_S = 3600


@dataclass(frozen=True)
class GuiSettings:
    reader: str = ""  # empty: whichever reader a card is placed on
    language: Language = Language.JA
    idle_timeout_s: int = DEFAULT_IDLE_TIMEOUT_S
    keep_tries: int = DEFAULT_KEEP_TRIES
    trust_files: tuple[str, ...] = field(default_factory=tuple)
    audit_log: str = ""  # empty: no audit log
    # Training mode: virtual readers allowed (their results marked simulated); off at a
    # counter. Shown in the window title and a banner.
    training: bool = False
    virtual_readers: tuple[str, ...] = field(default_factory=tuple)  # operator-listed
    #: The shop's own words on a suspected counterfeit (both languages); empty: the default.
    counterfeit_instruction: str = ""
    #: The shop's own words when a document is not accepted until its chip verifies.
    not_accepted_instruction: str = ""

    def with_changes(self, **changes: object) -> GuiSettings:
        return replace(self, **changes)  # type: ignore[arg-type]


def policy_of(settings: GuiSettings, hierarchies: tuple[str, ...]) -> CounterPolicy:
    """The counter policy these settings ask for (hierarchies: named on the command line)."""
    return CounterPolicy(hierarchies=hierarchies,
                         trust_files=tuple(Path(f) for f in settings.trust_files),
                         keep_tries=settings.keep_tries,
                         audit_log=Path(settings.audit_log) if settings.audit_log else None,
                         training=settings.training, virtual_readers=settings.virtual_readers)


def instructions_of(settings: GuiSettings) -> Instructions:
    """The shop's own words for the counter's answers."""
    return Instructions(counterfeit=settings.counterfeit_instruction,
                        not_accepted=settings.not_accepted_instruction)


def open_store(ini_path: Path | None = None) -> QSettings:
    """The user's settings, or an ini file (tests, portable installs)."""
    if ini_path is not None:
        return QSettings(str(ini_path), QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, APPLICATION)


def _int(store: QSettings, key: str, default: int, low: int, high: int) -> int:
    raw = store.value(key, default)
    try:
        value = int(str(raw))
    except ValueError:
        return default
    return min(max(value, low), high)


def _string_list(raw: object) -> tuple[str, ...]:
    # QSettings gives a str for one element, a list for several, None for none
    if raw is None or raw == "":
        return ()
    if isinstance(raw, str):
        return (raw,)
    if isinstance(raw, list | tuple):
        return tuple(str(item) for item in raw if str(item))
    return ()


def load_settings(store: QSettings) -> GuiSettings:
    return GuiSettings(
        reader=str(store.value("reader", "") or ""),
        language=parse_language(store.value("language", Language.JA.value)),
        idle_timeout_s=_int(store, "idle_timeout_s", DEFAULT_IDLE_TIMEOUT_S,
                            MIN_IDLE_TIMEOUT_S, MAX_IDLE_TIMEOUT_S),
        keep_tries=_int(store, "keep_tries", DEFAULT_KEEP_TRIES, 0, MAX_KEEP_TRIES),
        trust_files=_string_list(store.value("trust_files", [])),
        audit_log=str(store.value("audit_log", "") or ""),
        training=str(store.value("training", "false")).lower() in ("true", "1"),
        virtual_readers=_string_list(store.value("virtual_readers", [])),
        counterfeit_instruction=str(store.value("counterfeit_instruction", "") or ""),
        not_accepted_instruction=str(store.value("not_accepted_instruction", "") or ""),
    )


def save_settings(store: QSettings, settings: GuiSettings) -> None:
    store.setValue("reader", settings.reader)
    store.setValue("language", settings.language.value)
    store.setValue("idle_timeout_s", settings.idle_timeout_s)
    store.setValue("keep_tries", settings.keep_tries)
    store.setValue("trust_files", list(settings.trust_files))
    store.setValue("audit_log", settings.audit_log)
    store.setValue("training", settings.training)
    store.setValue("virtual_readers", list(settings.virtual_readers))
    store.setValue("counterfeit_instruction", settings.counterfeit_instruction)
    store.setValue("not_accepted_instruction", settings.not_accepted_instruction)
    store.sync()

"""A guard against PySide6 6.12.0's lost references to None, True and False on Python 3.11.

PySide6 6.12.0 returns None from every void C++ call, and the bool of Signal.emit(), without the
reference it owes (6.11.3 does not). On Python 3.12+ those objects are immortal and nothing
happens; on 3.11 each call takes one reference away, and after some tens of thousands of calls
a long-running window aborts with "none_dealloc: deallocating None". When the loss is detected,
the guard gives the three singletons the effectively unlimited count that 3.12 gives them: they
are never freed in a correct program, so a larger count changes nothing else. The real fix is
a PySide6 release without the bug (pin PySide6-Essentials != 6.12.0).
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject

log = logging.getLogger(__name__)

PROBE_CALLS = 64
#: 2**40 calls: years of a window open at the counter.
IMMORTAL_BUMP = 1 << 40


def loses_references() -> bool:
    """Whether void PySide calls take a reference from None (measured, not guessed)."""
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        probe.setObjectName("probe")
    lost = before - sys.getrefcount(None)
    # other threads may move the count a little; the bug moves it by one per call
    return lost >= PROBE_CALLS // 2


def guard_singletons() -> bool:
    """Make None/True/False immortal if this PySide loses references to them; True if it did."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if not loses_references():
        return False
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every CPython object before 3.12
        ctypes.c_ssize_t.from_address(id(singleton)).value += IMMORTAL_BUMP
    log.warning("PySide6 %s loses references to None/True/False; guarded (use another "
                "PySide6 release)", _pyside_version())
    return True


def _pyside_version() -> str:
    import PySide6

    return str(PySide6.__version__)

"""Emitting Qt signals from Python.

PySide6 6.12.0 on Python 3.11 returns emit()'s bool without the reference it owes, so every
discarded result takes one reference from True; after some ten thousand emits the interpreter
aborts ("bool_dealloc: deallocating True or False"). Every emit in this package goes through
`emit`, which gives the reference back. On a PySide that is not affected the extra reference
only keeps the True/False singletons alive, which they are anyway.
"""

from __future__ import annotations

import ctypes

from PySide6.QtCore import SignalInstance


def emit(signal: SignalInstance, *args: object) -> None:
    result = signal.emit(*args)
    if result is True or result is False:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))

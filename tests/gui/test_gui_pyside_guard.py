"""The window survives a day's worth of Qt calls even on a PySide that loses references."""

from __future__ import annotations

import sys

import pytest

from gui.main_window import MainWindow
from gui.pyside_guard import IMMORTAL_BUMP, loses_references

pytestmark = pytest.mark.gui
CALLS = 300_000  # well past None's own reference count on a fresh interpreter


def test_many_void_calls_do_not_free_none(window: MainWindow) -> None:
    label = window.status
    for _ in range(CALLS):
        label.setText("")  # a void C++ call: the one that loses a reference on 6.12.0
    assert sys.getrefcount(None) > 0  # reached only if None was not freed on the way


def test_guard_applied_only_when_needed(window: MainWindow) -> None:
    if loses_references():
        assert sys.getrefcount(None) > IMMORTAL_BUMP // 2
    else:
        assert sys.getrefcount(None) < IMMORTAL_BUMP

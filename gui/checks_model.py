"""A Qt table model over Result.checks: check, outcome (symbol + word), detail."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from gui.i18n import Language, check_name, text
from verifier.engine.verdict import Check, Outcome, Result

CHECK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("checks.col.check", "checks.col.outcome", "checks.col.detail")
# The symbol carries the meaning for colour-blind clerks; the colour only repeats it.
_OUTCOME_SYMBOL = {Outcome.PASSED: "✔", Outcome.FAILED: "✖", Outcome.SKIPPED: "－",
                   Outcome.NOT_RUN: "…"}
_OUTCOME_COLOUR = {Outcome.PASSED: "#1b5e20", Outcome.FAILED: "#b71c1c",
                   Outcome.SKIPPED: "#555555", Outcome.NOT_RUN: "#555555"}

_Index = QModelIndex | QPersistentModelIndex


class ChecksModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._checks: tuple[Check, ...] = ()
        self._language = Language.JA

    @property
    def checks(self) -> tuple[Check, ...]:
        return self._checks

    def set_result(self, result: Result | None) -> None:
        """Show `result`'s checks; None empties the table (the model keeps no Result)."""
        self.beginResetModel()
        self._checks = () if result is None else tuple(result.checks)
        self.endResetModel()

    def set_language(self, language: Language) -> None:
        self._language = language
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._checks:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._checks) - 1, len(COLUMNS) - 1))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._checks)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return text(COLUMNS[section], self._language)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._checks):
            return None
        check = self._checks[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return check_name(check.id, self._language)
            if column == 1:
                word = text(f"outcome.{check.outcome.value}", self._language)
                return f"{_OUTCOME_SYMBOL[check.outcome]} {word}"
            return check.detail.ja if self._language is Language.JA else check.detail.en
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QBrush(QColor(_OUTCOME_COLOUR[check.outcome]))
        if role == Qt.ItemDataRole.ToolTipRole:
            # the details view: the whole text, and the technical cause (English) with the id
            shown = check.detail.ja if self._language is Language.JA else check.detail.en
            technical = check.detail.en if self._language is Language.JA else ""
            return "\n".join(part for part in (shown, technical, f"[{check.id}]") if part)
        if role == CHECK_ID_ROLE:
            return check.id
        return None


def checks_table(model: ChecksModel) -> QTableView:
    """The details table under the key fields: read-only, never in the Tab order."""
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.verticalHeader().hide()
    # long details wrap (rows grow); the whole text and its technical cause are the tooltip
    view.setWordWrap(True)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header = view.horizontalHeader()
    # the check's name wraps in a fixed column, so the details get the width
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
    header.resizeSection(0, 150)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view

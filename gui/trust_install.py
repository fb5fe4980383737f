"""「認証局の証明書を登録」: the settings' part that installs the Immigration Services Agency's CA
certificates, as `mynacheck trust add FILE` does, and lists the table as `trust list` does.

The counter installs (`verifier.counter.installed.install`): a file is taken only when every
certificate in it is in the fingerprint table, and nothing is installed otherwise. This panel
only picks the file, says what was installed or why nothing was, and shows which of the
table's CAs are on this PC. An install takes effect at once (not on 保存): the window makes its
counter anew, so the next card is checked against it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from gui.i18n import Language, text
from verifier.counter.installed import AGENCY_CAS, AgencyCa, Installed, Table, install, status
from verifier.errors import ConfigError

#: Asks the administrator for the file to install, under a title (None: nothing chosen).
PickFile = Callable[[QWidget, str], Path | None]

CA_FILES = "CA (*.zip *.cer *.crt *.der *.pem);;* (*)"


def pick_with_dialog(parent: QWidget, title: str) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(parent, title, "", CA_FILES)
    return Path(chosen) if chosen else None


def _row_values(row: AgencyCa) -> dict[str, object]:
    return {"name": row.name, "generation": int(row.generation),
            "until": row.valid_until.isoformat(), "sha256": row.sha256}


class TrustInstallPanel(QWidget):
    """The install button, what the last install did, and the table's state on this PC."""

    installed = Signal()  # at least one certificate is now in the directory

    def __init__(self, directory: Path, language: Language, *, table: Table = AGENCY_CAS,
                 pick: PickFile = pick_with_dialog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.directory = directory
        self._table = table
        self._pick = pick
        self._language = language
        self.install_button = QPushButton(text("settings.ca_install", language))
        self.install_button.setObjectName("installCa")
        self.note = QLabel(text("settings.ca_note", language))
        self.note.setObjectName("note")
        self.note.setWordWrap(True)
        self.outcome = QLabel()
        self.outcome.setObjectName("caOutcome")
        self.outcome.setWordWrap(True)
        # a fingerprint is for comparing with the Agency's page: selectable
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.hide()
        self.table_state = QLabel()
        self.table_state.setObjectName("caStatus")
        self.table_state.setWordWrap(True)  # the dialog fits a 1024 × 768 counter screen
        self.table_state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where = QLabel(text("settings.ca_directory", language, directory=directory))
        self.where.setObjectName("note")
        self.where.setWordWrap(True)
        column = QVBoxLayout(self)
        for widget in (self.install_button, self.note, self.outcome, self.table_state,
                       self.where):
            column.addWidget(widget)
        column.addStretch(1)
        self.install_button.clicked.connect(self.choose_and_install)
        self.refresh()

    def choose_and_install(self) -> None:
        path = self._pick(self, text("settings.ca_pick", self._language))
        if path is not None:
            self.install_file(path)

    def install_file(self, path: Path) -> list[Installed]:
        """Install `path` through the counter; what happened is said under the button."""
        language = self._language
        try:
            done = install(path, self.directory, table=self._table)
        except ConfigError as error:
            self.outcome.setText(text("settings.ca_refused", language, message=str(error)))
            self.outcome.setProperty("refused", True)
            done = []
        else:
            self.outcome.setText("\n".join(
                text("settings.ca_already" if item.already else "settings.ca_installed",
                     language, **_row_values(item.row)) for item in done))
            self.outcome.setProperty("refused", False)
        self.outcome.style().unpolish(self.outcome)
        self.outcome.style().polish(self.outcome)
        self.outcome.show()
        self.refresh()
        if any(not item.already for item in done):
            self.installed.emit()
        return done

    def refresh(self) -> None:
        """Which of the table's CAs are installed here (as `mynacheck trust list` says)."""
        language = self._language
        lines = []
        for row in status(self.directory, table=self._table):
            state = text("settings.ca_row_installed" if row.installed
                         else "settings.ca_row_missing", language)
            test = text("settings.ca_row_test", language) if row.row.test else ""
            lines.append(text("settings.ca_row", language, state=state, test=test,
                              **_row_values(row.row)))
        self.table_state.setText("\n".join(lines))
        self.table_state.setToolTip("\n".join(f"{row.name}: SHA-256 {row.sha256}"
                                              for row in self._table))

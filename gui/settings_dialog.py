"""The settings form. It only edits a GuiSettings value; the window applies and saves it. The
one action that takes effect at once is installing the Agency's CA certificates
(gui/trust_install.py), as `mynacheck trust add` does."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import Language, text
from gui.settings import MAX_IDLE_TIMEOUT_S, MIN_IDLE_TIMEOUT_S, GuiSettings
from gui.trust_install import PickFile, TrustInstallPanel, pick_with_dialog
from verifier.counter.audit import audit_path_problem
from verifier.counter.installed import AGENCY_CAS, Table, default_directory
from verifier.counter.policy import MAX_KEEP_TRIES


class SettingsDialog(QDialog):
    def __init__(self, settings: GuiSettings, readers: list[str], language: Language,
                 parent: QWidget | None = None, *, trust_directory: Path | None = None,
                 ca_table: Table = AGENCY_CAS, pick_ca: PickFile = pick_with_dialog) -> None:
        super().__init__(parent)
        self._settings = settings
        self._language = language
        #: a CA certificate was installed while the dialog was open (the counter is remade)
        self.ca_installed = False
        self.setWindowTitle(text("settings.title", language))
        self.reader = QComboBox()
        self.reader.setEditable(True)
        self.reader.addItems(readers)
        self.reader.setCurrentText(settings.reader)
        self.language = QComboBox()
        self.language.addItem("日本語", Language.JA.value)
        self.language.addItem("English", Language.EN.value)
        self.language.setCurrentIndex(self.language.findData(settings.language.value))
        self.idle = QSpinBox()
        self.idle.setRange(MIN_IDLE_TIMEOUT_S, MAX_IDLE_TIMEOUT_S)
        self.idle.setValue(settings.idle_timeout_s)
        self.floor = QSpinBox()
        self.floor.setRange(0, MAX_KEEP_TRIES)
        self.floor.setValue(settings.keep_tries)
        self.trust = QPlainTextEdit("\n".join(settings.trust_files))
        self.trust.setFixedHeight(80)
        self.audit = QLineEdit(settings.audit_log)
        self.training = QCheckBox(text("settings.training", language))
        self.training.setChecked(settings.training)
        self.virtual_readers = QLineEdit(", ".join(settings.virtual_readers))
        self.audit_problem = QLabel()
        self.audit_problem.setObjectName("auditProblem")
        self.audit_problem.setWordWrap(True)
        self.audit_problem.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.audit_problem.hide()
        self.counterfeit = QPlainTextEdit(settings.counterfeit_instruction)
        self.counterfeit.setObjectName("counterfeitInstruction")
        self.counterfeit.setFixedHeight(64)
        self.not_accepted = QPlainTextEdit(settings.not_accepted_instruction)
        self.not_accepted.setObjectName("notAcceptedInstruction")
        self.not_accepted.setFixedHeight(64)
        self.ca = TrustInstallPanel(trust_directory or default_directory(), language,
                                    table=ca_table, pick=pick_ca)
        self.ca.installed.connect(self._on_ca_installed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(
            text("settings.save", language))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            text("settings.cancel", language))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        general = QWidget()
        form = QFormLayout(general)
        form.addRow(text("settings.reader", language), self.reader)
        form.addRow(text("settings.language", language), self.language)
        form.addRow(text("settings.idle", language), self.idle)
        form.addRow(text("settings.floor", language), self.floor)
        form.addRow(text("settings.trust", language), self.trust)
        form.addRow(text("settings.audit", language), self.audit)
        form.addRow(self.training)
        form.addRow(text("settings.virtual_readers", language), self.virtual_readers)
        form.addRow(self.audit_problem)
        form.addRow(text("settings.counterfeit", language), self.counterfeit)
        form.addRow(text("settings.not_accepted", language), self.not_accepted)
        # the CA certificates on a page of their own: the dialog fits a 1024 × 768 screen
        self.tabs = QTabWidget()
        self.tabs.addTab(general, text("settings.general", language))
        self.tabs.addTab(self.ca, text("settings.ca", language))
        column = QVBoxLayout(self)
        column.addWidget(self.tabs)
        column.addWidget(buttons)

    def _on_ca_installed(self) -> None:
        self.ca_installed = True

    def audit_problem_text(self) -> str | None:
        """Why the typed audit-log path cannot be used (None: it can, or no log)."""
        typed = self.audit.text().strip()
        problem = audit_path_problem(Path(typed)) if typed else None
        if problem is None:
            return None
        return text("settings.audit_bad", self._language) + f"\n({problem})"

    def accept(self) -> None:
        """Saved only with an audit log that can be written: a bad path would lose records."""
        problem = self.audit_problem_text()
        self.audit_problem.setText(problem or "")
        self.audit_problem.setVisible(problem is not None)
        if problem is None:
            super().accept()

    def value(self) -> GuiSettings:
        trust = tuple(line.strip() for line in self.trust.toPlainText().splitlines()
                      if line.strip())
        return self._settings.with_changes(
            reader=self.reader.currentText().strip(),
            language=Language(str(self.language.currentData())),
            idle_timeout_s=self.idle.value(), keep_tries=self.floor.value(),
            trust_files=trust, audit_log=self.audit.text().strip(),
            training=self.training.isChecked(),
            virtual_readers=tuple(name.strip() for name in self.virtual_readers.text().split(",")
                                  if name.strip()),
            counterfeit_instruction=self.counterfeit.toPlainText().strip(),
            not_accepted_instruction=self.not_accepted.toPlainText().strip())

"""The counter window: wires the card controller to the key fields and the result view.

It holds no card data of its own: the controller owns the Results, the views render them, and
a wipe empties every widget and drops every reference at once.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.card_controller import CardController, CardState
from gui.card_events import CardEvents
from gui.checks_model import ChecksModel, checks_table
from gui.i18n import Language, check_name, text
from gui.key_panel import KeyPanel
from gui.reader_picker import ReaderPicker
from gui.result_view import ResultView
from gui.settings import GuiSettings, instructions_of, policy_of, save_settings
from gui.settings_dialog import SettingsDialog
from gui.simulated import SimulatedCardEvents, SimulatedPanel
from gui.status_lines import status_line, tries_line
from gui.style import STYLE_SHEET
from verifier.counter.answer import Checked
from verifier.counter.documents import step_of
from verifier.counter.visit import Counter, standing_counter
from verifier.engine.verdict import Result

log = logging.getLogger(__name__)

_ACTIVITY = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel)
#: The smallest counter screen the layout is made for; everything the clerk needs fits in it.
MINIMUM_SIZE = QSize(1024, 768)
PREFERRED_SIZE = QSize(1280, 800)


def _notice(object_name: str) -> QLabel:
    """A line across the window, hidden until there is something to say."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.hide()
    return label


class MainWindow(QMainWindow):
    def __init__(self, source: CardEvents, settings: GuiSettings, store: QSettings, *,
                 hierarchies: tuple[str, ...] = (), initial_profile: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._store = store
        self._hierarchies = hierarchies
        self._language = settings.language
        self._error = ""
        self._trust_error = ""
        self._service_running = True
        self.source = source
        self.controller = CardController(source, self._make_counter(),
                                         idle_timeout_ms=settings.idle_timeout_s * 1000,
                                         parent=self)
        self.setObjectName("mainWindow")
        self.setStyleSheet(STYLE_SHEET)
        self.setMinimumSize(MINIMUM_SIZE)
        self.resize(self._fitting_size())
        self._build(initial_profile)
        self._connect()
        self.retranslate()
        self._on_state(self.controller.state)

    # --- construction -------------------------------------------------------------------------
    def _build(self, initial_profile: str) -> None:
        self.reader_label = QLabel()
        self.reader_box = ReaderPicker()
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.language_button = QPushButton()
        self.settings_button = QPushButton()
        top = QHBoxLayout()
        top.addWidget(self.reader_label)
        top.addWidget(self.reader_box)
        top.addWidget(self.status, 1)
        top.addWidget(self.language_button)
        top.addWidget(self.settings_button)

        self.config_error = _notice("configError")
        # a failed audit record stops verifying: said until the audit log is fixed
        self.audit_notice = _notice("auditNotice")
        self.training_banner = _notice("trainingBanner")
        # anything trusted beyond the production hierarchy is said, always (rule 5)
        self.trust_banner = _notice("trustBanner")

        self.simulated_panel: SimulatedPanel | None = None
        if isinstance(self.source, SimulatedCardEvents):
            self.simulated_panel = SimulatedPanel(initial_profile)
            self.simulated_panel.setObjectName("simulatedPanel")

        self.keys = KeyPanel()
        self.code_entry, self.number_entry = self.keys.code_entry, self.keys.number_entry
        self.picture = self.keys.picture
        self.tries = QLabel()
        self.tries.setObjectName("tries")
        self.tries.setWordWrap(True)
        self.confirm_button = QPushButton()
        self.confirm_button.setObjectName("confirm")
        self.confirm_button.setDefault(True)
        self.clear_button = QPushButton()
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_button, 2)
        buttons.addWidget(self.clear_button, 1)
        self.progress = QProgressBar()
        self.progress.setRange(0, step_of('')[1])
        self.progress.setFormat("")  # the running step's name goes here
        self.checks_model = ChecksModel(self)
        self.checks_view = checks_table(self.checks_model)

        left_column = QWidget()
        left_column.setMaximumWidth(520)
        left_column.setMinimumWidth(420)
        left = QVBoxLayout(left_column)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.keys)
        left.addWidget(self.tries)
        left.addLayout(buttons)
        left.addWidget(self.progress)
        left.addWidget(self.checks_view, 1)
        self.result_view = ResultView()
        body = QHBoxLayout()
        body.addWidget(left_column, 5)
        body.addWidget(self.result_view, 7)

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.addLayout(top)
        outer.addWidget(self.config_error)
        outer.addWidget(self.training_banner)
        outer.addWidget(self.trust_banner)
        outer.addWidget(self.audit_notice)
        if self.simulated_panel is not None:
            outer.addWidget(self.simulated_panel)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        order = (*self.keys.focus_order(), self.confirm_button, self.clear_button)
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        c = self.controller
        c.state_changed.connect(self._on_state)
        c.progress.connect(self._on_progress)
        c.precheck_ready.connect(self._on_precheck)
        c.result_ready.connect(self._on_result)
        c.wiped.connect(self._on_wiped)
        self.keys.picture_filled.connect(self._on_picture)
        c.readers_changed.connect(self._on_readers)
        c.failed.connect(self._on_failed)
        c.refused.connect(self._on_refused)
        c.audit_failed.connect(self._on_audit_failed)
        self.source.service_changed.connect(self._on_service)
        self.keys.changed.connect(self._refresh_controls)
        self.keys.submitted.connect(self._on_confirm)
        self.confirm_button.clicked.connect(self._on_confirm)
        self.clear_button.clicked.connect(self.clear_entry)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.clear_entry)
        self.reader_box.activated.connect(self._on_reader_chosen)
        self.language_button.clicked.connect(self.toggle_language)
        self.settings_button.clicked.connect(self.open_settings)
        if self.simulated_panel is not None:
            self.simulated_panel.insert_requested.connect(self.insert_simulated)
            self.simulated_panel.remove_requested.connect(self.remove_simulated)
        if isinstance(self.source, SimulatedCardEvents):
            self.source.inserted.connect(self._follow_simulated_card)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def _make_counter(self) -> Counter:
        """The application layer with the settings' policy; what cannot be used is said."""
        current = getattr(self, "controller", None)
        counter, trust_error = standing_counter(
            policy_of(self.settings, self._hierarchies),
            instructions=instructions_of(self.settings),
            memory=current.counter.memory if current is not None else None)
        self._trust_error = trust_error or ""
        return counter

    def _fitting_size(self) -> QSize:
        """1280×800 where the screen allows, never larger than the screen's free area."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            return PREFERRED_SIZE
        free = screen.availableGeometry().size()
        return QSize(max(MINIMUM_SIZE.width(), min(PREFERRED_SIZE.width(), free.width())),
                     max(MINIMUM_SIZE.height(), min(PREFERRED_SIZE.height(), free.height())))

    # --- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        self.controller.start()

    def shutdown(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.controller.shutdown()
        self.keys.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self.controller.touch()
        return super().eventFilter(watched, event)

    # --- actions ------------------------------------------------------------------------------
    @Slot()
    def _on_confirm(self) -> None:
        # a slot returns nothing: PySide drops a returned bool one reference too many
        self.confirm()

    def confirm(self) -> bool:
        """Send the key typed (code B, or the card number), once, if the precheck allows it."""
        if self.controller.report_no_chip():
            return True
        if self.keys.key() is None or not self.controller.can_confirm():
            return False
        key = self.keys.take_key()
        if key is None:
            return False
        self.keys.entry.setEnabled(False)
        self.confirm_button.setEnabled(False)
        return self.controller.confirm(key)

    @Slot(bool)
    def _on_picture(self, marked: bool) -> None:
        if not marked:  # all read surely: compare with the card, then confirm
            self.confirm_button.setFocus()

    @Slot()
    def clear_entry(self) -> None:
        """Esc: the typed digits go; once a verdict is on screen, the verdict and every
        personal detail go too (the card must then be placed again)."""
        if self.controller.result is not None or self.controller.state is CardState.DONE:
            self.controller.clear()
            return
        self.keys.clear()
        self.keys.focus_first()

    @Slot(str, int)
    def insert_simulated(self, profile: str, persona: int = 0) -> None:
        if isinstance(self.source, SimulatedCardEvents):
            self.source.insert(profile, persona)

    @Slot()
    def remove_simulated(self) -> None:
        if isinstance(self.source, SimulatedCardEvents):
            self.source.remove()

    @Slot()
    def toggle_language(self) -> None:
        other = Language.EN if self._language is Language.JA else Language.JA
        self.set_language(other)

    def set_language(self, language: Language) -> None:
        self._language = language
        self.apply_settings(self.settings.with_changes(language=language))

    @Slot()
    def open_settings(self) -> None:
        dialog = self.settings_dialog()
        self.settings_closed(dialog, accepted=dialog.exec() == SettingsDialog.DialogCode.Accepted)

    def settings_dialog(self, **seams: Any) -> SettingsDialog:
        """The settings of this window; CA certificates install into its counter's directory
        (`seams`: the fingerprint table and file picker tests give)."""
        return SettingsDialog(self.settings, self.controller.readers, self._language, self,
                              trust_directory=self.controller.counter.policy.installed_directory(),
                              **seams)

    def settings_closed(self, dialog: SettingsDialog, *, accepted: bool) -> None:
        """Saved settings apply from the next card; so does a CA installed meanwhile, saved or
        not (it is on disk already): the counter is made anew to read it."""
        if accepted:
            self.apply_settings(dialog.value())
        if dialog.ca_installed:
            self.controller.set_counter(self._make_counter())

    def apply_settings(self, settings: GuiSettings) -> None:
        """Use and persist new settings; trust and floor apply from the next card on."""
        old, self.settings = self.settings, settings
        self._language = settings.language
        save_settings(self._store, settings)
        # saving again (the same path, its folder fixed meanwhile) also retries a failed log
        if (self.controller.audit_error
                or (old.trust_files, old.keep_tries, old.audit_log, old.training,
                    old.virtual_readers, instructions_of(old))
                != (settings.trust_files, settings.keep_tries, settings.audit_log,
                    settings.training, settings.virtual_readers, instructions_of(settings))):
            self.controller.set_counter(self._make_counter())
        self.controller.set_idle_timeout_ms(settings.idle_timeout_s * 1000)
        if settings.reader != old.reader:
            self._select_reader(settings.reader)
        self.retranslate()

    @Slot(int)
    def _on_reader_chosen(self, index: int) -> None:
        reader = self.reader_box.chosen(index)
        if reader != self.settings.reader:
            self.settings = self.settings.with_changes(reader=reader)
            save_settings(self._store, self.settings)
        self.controller.set_reader(reader)

    def _select_reader(self, reader: str) -> None:
        self.controller.set_reader(reader)
        self._fill_reader_box()

    # --- controller signals -------------------------------------------------------------------
    @Slot(list)
    def _on_readers(self, readers: list[str]) -> None:
        del readers  # the controller keeps the list
        self._fill_reader_box()

    def _fill_reader_box(self) -> None:
        wanted = self.controller.reader or self.settings.reader
        self.reader_box.fill(self.controller.readers, wanted, self._language)
        if wanted != self.controller.reader:
            self.controller.set_reader(wanted)

    @Slot(bool)
    def _on_service(self, running: bool) -> None:
        self._service_running = running
        self._show_status()

    @Slot(str)
    def _on_audit_failed(self, message: str) -> None:
        self.audit_notice.setToolTip(message)
        self.audit_notice.setText(text("error.audit", self._language, message=message)
                                  if message else "")
        self.audit_notice.setVisible(bool(message))
        self._show_status()
        self._refresh_controls()

    @Slot(str)
    def _follow_simulated_card(self, reader: str) -> None:
        del reader
        if self.simulated_panel is not None and isinstance(self.source, SimulatedCardEvents):
            self.simulated_panel.show_card(self.source.profile, self.source.persona_index)

    @Slot(object)
    def _on_state(self, state: CardState) -> None:
        if state is CardState.READING and self.controller.precheck is None:
            self.result_view.show_note("progress.precheck")
        if state is CardState.READING:
            self.progress.setValue(0)
        if state in (CardState.DONE, CardState.CARD_PRESENT):
            precheck = self.controller.precheck
            done = len(precheck.checks) if precheck is not None else 0
            self.progress.setValue(self.progress.maximum() if state is CardState.DONE else done)
            self.progress.setFormat("")
        self._show_status()
        self._refresh_controls()
        if state is CardState.DONE and self.controller.retypable:
            self.keys.select_first()  # the typed key stays: correct it in place

    def _show_status(self) -> None:
        line = status_line(self.controller, self._language, error=self._error,
                           service_running=self._service_running)
        self.status.setText(line.text)
        self.status.setToolTip(line.tooltip)
        self.status.setProperty("state", self.controller.state.value)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    @Slot(str)
    def _on_progress(self, check_id: str) -> None:
        index, total = step_of(check_id)
        self.progress.setRange(0, total)
        self.progress.setValue(index)
        self.progress.setFormat(text("progress.step", self._language,
                                     step=check_name(check_id, self._language)))

    @Slot(object)
    def _on_precheck(self, checked: Checked) -> None:
        result = checked.result
        self.checks_model.set_result(result)
        # the fields of the key this card takes (code B, or a residence card's number)
        self.keys.show_kind(self.controller.key_kind)
        if result.failing_check is not None:
            self.result_view.show_result(checked)
        else:
            self.result_view.show_precheck(result)
            self.keys.focus_first()
        self._show_tries(result)

    @Slot(object)
    def _on_result(self, checked: Checked) -> None:
        result = checked.result
        self.checks_model.set_result(result)
        self.result_view.show_result(checked)
        self._show_tries(result)
        # kept on screen for correcting; the same key again is not sent (the counter knows)
        self.keys.set_rejected_check(self.controller.already_rejected
                                     if self.controller.retypable else None)
        if not self.controller.retypable:
            self.keys.clear()  # the typed key is no longer needed on screen

    @Slot()
    def _on_wiped(self) -> None:
        self.keys.wipe()  # the number or code, the picture's reading, and its marks
        self.result_view.clear()
        self.checks_model.set_result(None)
        self.tries.clear()
        self.tries.setProperty("refused", False)
        self.progress.setFormat("")
        self.progress.setValue(0)

    @Slot(str)
    def _on_refused(self, reader: str) -> None:
        del reader  # the controller keeps it for the status line
        self._show_status()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._error = message

    def _show_tries(self, result: Result | None) -> None:
        line = tries_line(result, self.controller, self._language)
        self.tries.setText(line.text)
        self.tries.setProperty("refused", line.refused)
        self.tries.setProperty("warn", line.warn)
        self.tries.style().unpolish(self.tries)
        self.tries.style().polish(self.tries)

    def _refresh_controls(self) -> None:
        state = self.controller.state
        verifying = state is CardState.READING and self.controller.precheck is not None
        typing = (state is CardState.CARD_PRESENT
                  or (state is CardState.READING and not verifying)
                  or (state is CardState.DONE and self.controller.retypable))
        self.keys.set_active(typing)
        self.clear_button.setEnabled(typing)
        key = self.keys.key()
        self.confirm_button.setEnabled((self.controller.can_confirm() and key is not None)
                                       or self.controller.can_report_no_chip())

    # --- language -----------------------------------------------------------------------------
    def retranslate(self) -> None:
        language = self._language
        self.setWindowTitle(text("app.title", language)
                            + (" — " + text("simulated.banner", language).split("—")[0].strip()
                               if self.source.simulated else "")
                            + (" — " + text("training.title", language)
                               if self.settings.training else ""))
        self.training_banner.setText(text("training.banner", language))
        self.training_banner.setVisible(self.settings.training)
        extra = self.controller.counter.policy.extra_trust(simulated=self.source.simulated)
        self.trust_banner.setText(text("trust.banner", language, names=", ".join(extra)))
        self.trust_banner.setVisible(bool(extra))
        self.reader_label.setText(text("reader.label", language))
        self._fill_reader_box()
        self.language_button.setText(text("menu.language", language))
        self.settings_button.setText(text("menu.settings", language))
        self.confirm_button.setText(text("confirm", language))
        self.clear_button.setText(text("clear", language))
        self.keys.retranslate(language)
        if self.simulated_panel is not None:
            self.simulated_panel.retranslate(language)
        self.checks_model.set_language(language)
        self.result_view.retranslate(language)
        self.config_error.setText(text("error.trust", language, message=self._trust_error)
                                  if self._trust_error else "")
        self.config_error.setToolTip(self._trust_error)
        audit_error = self.controller.audit_error
        self.audit_notice.setText(text("error.audit", language, message=audit_error)
                                  if audit_error else "")
        self.audit_notice.setToolTip(audit_error)
        self.audit_notice.setVisible(bool(audit_error))
        self.config_error.setVisible(bool(self._trust_error))
        self._show_status()
        self._show_tries(self.controller.result or self.controller.precheck)

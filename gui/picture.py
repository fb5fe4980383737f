"""The key from a picture of the card: a frame source (a scan file, or the counter's camera
through Qt Multimedia), the OCR run on a worker thread, and the key fields filled for the clerk
to check and confirm — code B's three items, or the residence card's number. Nothing is sent to
the card until the clerk confirms, as for a typed key; frames stay in memory and are dropped
with everything else on a wipe.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from gui.code_entry import CodeEntry
from gui.i18n import Language, text
from gui.key_entry import mark_doubtful
from verifier.counter.codes import era_of
from verifier.counter.keys import KeyKind, NumberInput, number_from_picture
from verifier.counter.pictures import read_face, read_residence_face
from verifier.errors import VerifierError
from verifier.ocr.fields import DEFAULT_THRESHOLD, PrintedFace

log = logging.getLogger(__name__)


class FrameSource(Protocol):
    """Where a picture of the card face comes from."""

    def unavailable_reason(self) -> str:
        """Why no frame can be had (the action is then disabled with it); "" when one can."""

    def grab(self) -> bytes:
        """One frame, PNG or JPEG bytes, kept in memory only."""


class FileFrameSource:
    """A scan or photo the clerk picked (and, in tests, frames from files)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def unavailable_reason(self) -> str:
        return ""

    def grab(self) -> bytes:
        return self.path.read_bytes()


class CameraFrameSource:
    """The counter's document camera, through Qt Multimedia (PySide6-Addons, the [camera]
    extra). Without it, or without a camera, the action is disabled and says why."""

    def unavailable_reason(self) -> str:
        try:
            from PySide6.QtMultimedia import QMediaDevices
        except ImportError:
            return "Qt Multimedia is not installed (pip install 'mynacheck[camera]')"
        if not QMediaDevices.videoInputs():
            return "no camera is connected"
        return ""

    def grab(self) -> bytes:
        from PySide6.QtCore import QBuffer, QEventLoop, QIODevice, QTimer
        from PySide6.QtGui import QImage
        from PySide6.QtMultimedia import QCamera, QImageCapture, QMediaCaptureSession

        session = QMediaCaptureSession()
        camera = QCamera()
        capture = QImageCapture()
        session.setCamera(camera)
        session.setImageCapture(capture)
        frames: list[QImage] = []
        loop = QEventLoop()
        def captured(_id: int, image: QImage) -> None:
            frames.append(image)
            loop.quit()

        capture.imageCaptured.connect(captured)
        capture.readyForCaptureChanged.connect(lambda ready: ready and capture.capture())
        QTimer.singleShot(5000, loop.quit)
        camera.start()
        loop.exec()
        camera.stop()
        if not frames:
            raise VerifierError("the camera gave no picture")
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        frames[0].save(buffer, b"PNG")
        return bytes(buffer.data().data())


class _Reader(QObject):
    done = Signal(int, object)  # request, PrintedFace (code B) or NumberInput (card number)
    failed = Signal(int, str)

    @Slot(object)
    def read(self, job: _Job) -> None:
        try:
            reading: PrintedFace | NumberInput
            if job.kind is KeyKind.CARD_NUMBER:
                # the counter makes the number of what the picture shows (or says why not)
                reading = number_from_picture(read_residence_face(job.image))
            else:
                reading = read_face(job.image)
        except VerifierError as error:
            log.info("picture not read: %s", type(error).__name__)  # never what it shows
            self.failed.emit(job.request, str(error))
            return
        self.done.emit(job.request, reading)


@dataclass(frozen=True, repr=False)
class _Job:
    request: int
    kind: KeyKind
    image: bytes


class PictureReader(QObject):
    """Reads the key's fields from frames on a thread of its own (OCR takes about a second).
    A reading asked for before `cancel` (the card went away) is dropped unseen."""

    read = Signal(object)  # PrintedFace or NumberInput
    failed = Signal(str)
    _submit = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._request = 0
        self._thread = QThread(self)
        self._thread.setObjectName("mynacheck-ocr")
        self._worker = _Reader()
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.read)
        self._worker.done.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)
        self._thread.start()

    def start(self, source: FrameSource, kind: KeyKind = KeyKind.CODE_B) -> None:
        try:
            image = source.grab()
        except (OSError, VerifierError) as error:
            self.failed.emit(str(error))
            return
        self._submit.emit(_Job(self._request, kind, image))

    def cancel(self) -> None:
        self._request += 1

    @Slot(int, object)
    def _on_done(self, request: int, reading: object) -> None:
        if request == self._request:
            self.read.emit(reading)

    @Slot(int, str)
    def _on_failed(self, request: int, message: str) -> None:
        if request == self._request:
            self.failed.emit(message)

    def shutdown(self) -> None:
        self._thread.quit()
        self._thread.wait()


def fill(entry: CodeEntry, face: PrintedFace, *,
         threshold: float = DEFAULT_THRESHOLD) -> tuple[QLineEdit, ...]:
    """Put what was read into the fields, and mark those read unsurely (the clerk must look at
    them); the marked fields are returned."""
    entry.clear()
    if face.birth is not None:
        if face.birth_gregorian:
            entry.era.setCurrentIndex(entry.era.findData(""))
            entry.year.setText(str(face.birth.year))
        else:
            era, year = era_of(face.birth)
            entry.era.setCurrentIndex(entry.era.findData(era))
            entry.year.setText(str(year))
        entry.month.setText(str(face.birth.month))
        entry.day.setText(str(face.birth.day))
    if face.expiry is not None:
        entry.expiry.setText(str(face.expiry.year))
    if face.security_code is not None:
        entry.security.setText(face.security_code)
    unsure = set(face.low_confidence(threshold))
    fields = {"birth": (entry.year, entry.month, entry.day), "expiry": (entry.expiry,),
              "security_code": (entry.security,)}
    marked: list[QLineEdit] = []
    for name, widgets in fields.items():
        for widget in widgets:
            mark_doubtful(widget, name in unsure)
            if name in unsure:
                marked.append(widget)
    return tuple(marked)


def unsure(reading: PrintedFace | NumberInput) -> bool:
    """The picture read something the clerk must look at before confirming."""
    if isinstance(reading, NumberInput):
        face = reading.face
        return face is None or bool(face.low_confidence(names=("card_number",)))
    return bool(reading.low_confidence())


class PicturePanel(QWidget):
    """「画像から読み取る」 (a scan file) and 「カメラで読み取る」 beside the key fields, reading
    what the card on the reader needs (`kind`: code B, or the residence card's number). The
    reading is the window's to put in the fields; nothing is sent before the clerk confirms."""

    face_read = Signal(object)  # PrintedFace or NumberInput

    def __init__(self, parent: QWidget | None = None, *,
                 camera: FrameSource | None = None) -> None:
        super().__init__(parent)
        self.kind = KeyKind.CODE_B
        self.reader = PictureReader(self)
        self.camera: FrameSource = camera or CameraFrameSource()
        self.file_button = QPushButton()
        self.file_button.setObjectName("readPicture")
        self.camera_button = QPushButton()
        self.camera_button.setObjectName("readCamera")
        self.message = QLabel()
        self.message.setObjectName("pictureMessage")
        self.message.setWordWrap(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.file_button)
        row.addWidget(self.camera_button)
        row.addWidget(self.message, 1)
        self.file_button.clicked.connect(self._pick_file)
        self.camera_button.clicked.connect(lambda: self.read_from(self.camera))
        self.reader.read.connect(self._on_read)
        self.reader.failed.connect(self._on_failed)
        self._language = Language.JA

    def read_from(self, source: FrameSource) -> None:
        self.message.setText(text("picture.reading", self._language))
        self.reader.start(source, self.kind)

    def set_kind(self, kind: KeyKind) -> None:
        """What the pictures are read for from now on; a reading under way is dropped."""
        if kind is not self.kind:
            self.reader.cancel()
            self.message.clear()
        self.kind = kind

    def cancel(self) -> None:
        """The card went away: a reading under way is dropped, and what was said goes."""
        self.reader.cancel()
        self.message.clear()

    def _pick_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, text("picture.file", self._language), "",
                                              "Images (*.png *.jpg *.jpeg)")
        if path:
            self.read_from(FileFrameSource(Path(path)))

    @Slot(object)
    def _on_read(self, reading: PrintedFace | NumberInput) -> None:
        key = "picture.check" if unsure(reading) else "picture.done"
        self.message.setText(text(key, self._language))
        self.face_read.emit(reading)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        del message  # its cause is the file's or the camera's, shown only in the log level
        key = ("picture.failed.card_number" if self.kind is KeyKind.CARD_NUMBER
               else "picture.failed")
        self.message.setText(text(key, self._language))

    def set_active(self, active: bool) -> None:
        self.file_button.setEnabled(active)
        reason = self.camera.unavailable_reason()
        self.camera_button.setEnabled(active and not reason)
        self.camera_button.setToolTip(reason)
        if not active:
            self.message.clear()

    def retranslate(self, language: Language) -> None:
        self._language = language
        self.file_button.setText(text("picture.file", language))
        self.camera_button.setText(text("picture.camera", language))

    def shutdown(self) -> None:
        self.reader.shutdown()

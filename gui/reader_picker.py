"""The reader picker: which reader the counter app follows.

The clerk's reader stays chosen while it is unplugged (listed as missing, waited for); with none
chosen and several readers, the card decides which is read.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from gui.i18n import Language, text


class ReaderPicker(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readerBox")
        self.setMinimumWidth(220)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(22)

    def chosen(self, index: int) -> str:
        """The reader of entry `index`; "" for whichever reader a card is placed on."""
        return str(self.itemData(index) or "")

    def fill(self, readers: list[str], wanted: str, language: Language) -> None:
        """List `readers` with `wanted` selected, without signalling a choice."""
        self.blockSignals(True)
        self.clear()
        if wanted and wanted not in readers:
            self.addItem(text("reader.missing", language, reader=wanted), wanted)
        elif not wanted and len(readers) > 1:
            self.addItem(text("reader.any", language), "")
        for reader in readers:
            self.addItem(reader, reader)
        if self.count() == 0:
            self.addItem(text("reader.none", language), "")
        self.setCurrentIndex(max(self.findData(wanted), 0) if wanted else 0)
        self.blockSignals(False)

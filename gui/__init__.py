"""The counter app (PySide6): reader picker, code B entry, verdict view, training mode."""

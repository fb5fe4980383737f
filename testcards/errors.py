"""Errors of the testcards package. The docstring is each class's default message."""


class SimulationError(Exception):
    """The simulated card could not be built."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())


class UnknownProfileError(SimulationError, KeyError):
    """No simulated-card profile has that name."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class UnknownLayoutError(SimulationError, KeyError):
    """No simulated-card layout has that name."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class UnknownPersonaError(SimulationError, IndexError):
    """No persona has that index."""


class FontNotFoundError(SimulationError):
    """No Japanese font was found to render the card face."""


class KeyFileError(SimulationError):
    """A committed test key is missing or unreadable."""

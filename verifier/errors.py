"""Errors of the verifier package. The docstring is each class's default message."""


class VerifierError(Exception):
    """The card could not be verified."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())


class MalformedData(VerifierError):
    """Data from the chip is not in the expected format."""


class TrustFileError(VerifierError):
    """A trust-anchor file could not be loaded."""


class CodeBInputError(VerifierError, ValueError):
    """The birth date, expiry year or security code is not valid."""


class ConfigError(VerifierError):
    """The operator's configuration or request cannot be used as given (a usage error)."""


class InternalError(VerifierError):
    """A fault of this program, never of the card: the check could not be completed."""

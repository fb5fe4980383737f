"""Errors of the verifier package. The docstring is each class's default message.

Two families that must never be confused (design.md, rule 7): `MalformedData` is evidence about
the card — bytes no genuine card can hold — and the only error `decide()` may turn into
偽造の疑い. `OwnFailure` says we could not judge the card: a bug of ours (`InternalError`) or a
form of signed data this program does not know (`UnsupportedLayout`). The mapping from errors
to reasons is `verifier.engine.faults.reason_for_error`, in one place.
"""


class VerifierError(Exception):
    """The card could not be verified."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())


class MalformedData(VerifierError):
    """Data from the chip is not in the expected format."""


class OwnFailure(VerifierError):
    """This program could not judge the card; nothing is said about the card."""


class InternalError(OwnFailure):
    """An invariant of this program failed (a step out of order, a table out of step)."""


class UnsupportedLayout(OwnFailure):
    """The chip's signed data is in a form this program does not know."""


class TrustFileError(VerifierError):
    """A trust-anchor file could not be loaded."""


class CodeBInputError(VerifierError, ValueError):
    """The birth date, expiry year or security code is not valid."""


class ConfigError(VerifierError):
    """The operator's configuration or request cannot be used as given (a usage error)."""

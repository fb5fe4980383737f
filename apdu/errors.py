"""The CardError family: everything that can go wrong between host and chip.

PC/SC failures are translated into these once, in `apdu.pcsc`; the simulated card raises
the same classes, so callers never see a backend-specific exception.
"""


class CardError(Exception):
    """The card or reader could not complete the exchange."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())


class MalformedAPDU(CardError, ValueError):
    """The APDU bytes do not form a valid ISO 7816-4 command or response."""


class CardRemovedError(CardError):
    """The card was removed from the reader."""


class NoCardError(CardError):
    """No card is present in the reader."""


class NoReaderError(CardError):
    """No smart-card reader is connected."""


class ReaderRemovedError(CardError):
    """The reader was unplugged."""


class SharingViolationError(CardError):
    """Another program is using the reader."""


class ServiceNotRunningError(CardError):
    """The PC/SC service (pcscd / Smart Card service) is not running."""


class CardTimeoutError(CardError):
    """The card stopped answering."""


class ProtocolError(CardError):
    """The card answered in a way the protocol does not allow."""


class OverlongResponseError(ProtocolError):
    """The card sent more data than the command asked for."""


class UnresponsiveCardError(CardTimeoutError):
    """The card does not answer the reset: it is mute, inserted wrongly, or not a chip card."""


class NoChipAnswerError(CardError):
    """A card is on the reader, but its chip gives no usable answer to reset."""


class CardResetError(CardError):
    """Another program reset the card, so this session's state on it is lost."""


class AmbiguousReaderError(CardError):
    """More than one reader matches; name one of them."""

"""ISO/IEC 7816-4 command and response APDUs and the transports that carry them.

Knows nothing about My Number Cards; `verifier` builds on it.
"""

from apdu.command import CommandAPDU
from apdu.response import ResponseAPDU, StatusWord
from apdu.transport import CountingTransport, Transport, exchange

__all__ = ["CommandAPDU", "CountingTransport", "ResponseAPDU", "StatusWord", "Transport",
           "exchange"]

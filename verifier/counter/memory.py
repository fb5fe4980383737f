"""What a counter remembers about cards while it runs: in memory only, never written anywhere.

A card is known by a keyed hash of what its chip answers without a code (its ATR and the
certificate it hands out) on one reader, and a code by a keyed hash of its digits; the key is
drawn when the counter starts and dies with it, so nothing kept here names a card or a code to
anyone who reads the process's memory later, and nothing survives the session (rule 6 holds
between sessions; within one, the counter protects the customer's tries).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from collections.abc import Callable, Sequence

CardKey = bytes


class CardMemory:
    """Codes each card rejected, so the same code is never sent to it again; and how many times
    in a row each card could not be verified."""

    def __init__(self, *, random: Callable[[int], bytes] = os.urandom) -> None:
        self._key = random(32)
        self._lock = threading.Lock()
        self._rejected: dict[CardKey, set[bytes]] = {}
        self._in_a_row: dict[CardKey, int] = {}

    def _hash(self, *parts: bytes) -> bytes:
        mac = hmac.new(self._key, digestmod=hashlib.sha256)
        for part in parts:
            mac.update(len(part).to_bytes(4, "big"))
            mac.update(part)
        return mac.digest()

    def card(self, reader: str, *identity: bytes) -> CardKey:
        """The key a card is remembered by: the reader and what the chip answered unasked."""
        return self._hash(reader.encode("utf-8"), *identity)

    def rejected(self, card: CardKey, code: bytes) -> bool:
        with self._lock:
            return self._hash(code) in self._rejected.get(card, set())

    def remember_rejected(self, card: CardKey, code: bytes) -> None:
        with self._lock:
            self._rejected.setdefault(card, set()).add(self._hash(code))

    def attempt(self, cards: Sequence[CardKey], *, verified: bool) -> int:
        """One more verification of the card known by `cards` (each key it has been known by:
        its own key once read, what it answered without a code). Returns how many times in a
        row it has now ended not verified (0 when this one did not)."""
        with self._lock:
            if verified:
                for card in cards:
                    self._in_a_row.pop(card, None)
                return 0
            count = 1 + max((self._in_a_row.get(card, 0) for card in cards), default=0)
            for card in cards:
                self._in_a_row[card] = count
            return count

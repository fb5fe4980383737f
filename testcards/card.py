"""SimulatedCard: a My Number Card's chip OS in a simulated card (`testcards.physical`: power,
removal, the reader quirks). A verified key stays open through a warm reset and closes only
when power goes (card-spec 7)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace

from apdu.command import CommandAPDU
from apdu.errors import UnresponsiveCardError
from testcards.cardos import CardOS, ChipSpec, FileSpec
from testcards.personas import Persona
from testcards.physical import PhysicalCard, answer
from testcards.quirks import NO_QUIRKS, SILENT, Quirks
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.code_b import CodeB

#: What the card face claims to hold under the `dribble` quirk: close to the 64 KiB any
#: READ BINARY form can reach, far beyond any real card face.
DRIBBLE_CLAIMED = 0xFFF0
DRIBBLE_BYTES = 1

#: Key names of `tries_left`, and the key EFs they stand for.
KEY_REFERENCES = {"card_face_b": (p.AID_CARD_FACE, p.EF_CF_KEY_CODE_B),
                  "text_b": (p.AID_TEXT, p.EF_TX_KEY_CODE_B)}


def _claiming_large_face(chip: ChipSpec) -> ChipSpec:
    """The chip with its card face's outer object claiming DRIBBLE_CLAIMED bytes, and
    physically that long (FF after the real objects), so every offset up to it answers."""
    def inflate(file: FileSpec) -> FileSpec:
        if file.fid != p.EF_CF_FACE or file.data[2:3] != b"\x82":
            return file
        header = file.data[:2] + b"\x82" + DRIBBLE_CLAIMED.to_bytes(2, "big")
        body = file.data[len(header):]
        return replace(file, data=header + body.ljust(DRIBBLE_CLAIMED, b"\xff"))

    return replace(chip, apps=tuple(
        replace(app, files=tuple(map(inflate, app.files))) if app.aid == p.AID_CARD_FACE else app
        for app in chip.apps))


class SimulatedCard(PhysicalCard):
    """One simulated My Number Card in one reader. Its counters and session state are its own."""

    REDACTED_INS = frozenset({p.INS_VERIFY})  # never the code's digits

    def __init__(self, chip: ChipSpec, *, persona: Persona, profile: str = "genuine",
                 quirks: Quirks = NO_QUIRKS,
                 random: Callable[[int], bytes] = os.urandom) -> None:
        if quirks.dribble:
            chip = _claiming_large_face(chip)
        self._os: CardOS = CardOS(chip, no_sfi=quirks.no_sfi, wrong_le=quirks.wrong_le,
                                  read_limit=DRIBBLE_BYTES if quirks.dribble else None,
                                  random=random)
        super().__init__(self._os, quirks=quirks)
        self.profile = profile
        #: The persona as printed on this card's face (what a clerk types code B from).
        self.persona = persona

    @property
    def code_b(self) -> CodeB:
        """The 照合番号B printed on this card (for tampered-birth and expired, the altered one)."""
        return self.persona.code_b

    @property
    def files_touched(self) -> list[tuple[bytes, int]]:
        """(AID, EF) of every EF selected or read, in order."""
        return list(self._os.touched)

    def tries_left(self, key: str) -> int:
        """Tries left of "card_face_b" or "text_b"."""
        return self._os.tries_left(*self._key_reference(key))

    def _key_reference(self, key: str) -> tuple[bytes, int]:
        if key not in KEY_REFERENCES:
            raise KeyError(f"no key {key!r}; valid: {', '.join(KEY_REFERENCES)}")
        if not self._os.has_key(*KEY_REFERENCES[key]):
            raise KeyError(f"this {self.profile} chip has no {key} key")
        return KEY_REFERENCES[key]

    def key_open(self, key: str) -> bool:
        """Whether "card_face_b" or "text_b" is verified (open) right now."""
        return self._os.verified(*self._key_reference(key))

    def _hostile_answer(self, command: CommandAPDU) -> bytes | None:
        """What a chip built to pass for another answers instead (quirks challenge=, tries=)."""
        if command.cla == p.CLA_PROPRIETARY and command.ins == p.INS_COMPUTE_SIGNATURE \
                and self.quirks.challenge_sw is not None:
            if self.quirks.challenge_sw == SILENT:
                raise UnresponsiveCardError("the simulated chip does not answer the challenge")
            return answer(b"", self.quirks.challenge_sw)
        if command.ins == p.INS_VERIFY and not command.data and self.quirks.tries_sw is not None:
            return answer(b"", self.quirks.tries_sw)
        return None

    def __repr__(self) -> str:
        return f"SimulatedCard({self.profile!r}, persona={self.persona.key!r})"

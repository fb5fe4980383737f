"""A second card-face generator, independent of testcards.printed_face, for calibrating the OCR.

Other layout rules (drawn per seed), other fonts (Debian's VL Gothic, IPAex Mincho, DejaVu for
digits and Latin), label variants of the security code (none, left on one line or two, above,
below, beside the expiry), printed backgrounds (tint, rosette, microtext, emblem), colour noise,
its own camera, scanner, thumbs and glare. It draws My Number Card faces and the fronts of the
在留カード and 特別永住者証明書.

**The split is fixed by seed**: seed % 3 == 2 is the held-out part. The OCR rules may be tuned
on the other seeds only; the held-out part also uses fonts (`fonts.HELD_OUT_FONTS`) and a label
place (below the code) that the tuning part never draws, so it stands for layouts nobody tuned
on. Frames are made in memory; nothing is written.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from testcards.faces2 import captures, mynumber, people, residence
from testcards.faces2.people import (
    MY_NUMBER_CLASSES,
    RESIDENCE_CLASSES,
    MyNumberHolder,
    ResidenceHolder,
)

DOCUMENTS = ("my_number", "residence")


def held_out(seed: int) -> bool:
    """The fixed split: every third seed is never used for tuning."""
    return seed % 3 == 2


def seeds(*, held_out_part: bool, count: int, start: int = 0) -> list[int]:
    """The first `count` seeds of one part, from `start` on."""
    found: list[int] = []
    seed = start
    while len(found) < count:
        if held_out(seed) == held_out_part:
            found.append(seed)
        seed += 1
    return found


@dataclass(frozen=True)
class Sample:
    """One face under one capture: what it prints and how to make the frame."""

    document: str  # "my_number" or "residence"
    kind: str  # a class of people.MY_NUMBER_CLASSES or people.RESIDENCE_CLASSES
    seed: int
    capture: str
    holder: MyNumberHolder | ResidenceHolder

    @property
    def held_out(self) -> bool:
        return held_out(self.seed)

    def frame(self) -> bytes:
        """The frame as the camera or scanner delivers it (PNG, or JPEG for jpeg-40)."""
        rng = random.Random(f"faces2/{self.document}/{self.kind}/{self.seed}/face")
        if isinstance(self.holder, MyNumberHolder):
            face, _ = mynumber.render(self.holder, rng, held_out=self.held_out)
        else:
            face, _ = residence.render(self.holder, rng, held_out=self.held_out)
        capture_rng = random.Random(f"faces2/{self.document}/{self.kind}/{self.seed}/"
                                    f"{self.capture}")
        return captures.frame_bytes(face, self.capture, capture_rng)

    def layout(self) -> mynumber.Layout | residence.Layout:
        """The layout rules drawn for this face (the first draws of its face's generator, so
        nothing is rendered)."""
        rng = random.Random(f"faces2/{self.document}/{self.kind}/{self.seed}/face")
        if isinstance(self.holder, MyNumberHolder):
            return mynumber.layout(rng, self.holder, held_out=self.held_out)
        return residence.layout(rng, held_out=self.held_out)

    def __repr__(self) -> str:
        return f"Sample({self.document}/{self.kind}/{self.seed}/{self.capture})"


def holder(document: str, kind: str, seed: int) -> MyNumberHolder | ResidenceHolder:
    rng = random.Random(f"faces2/{document}/{kind}/{seed}/holder")
    if document == "my_number":
        return people.my_number_holder(kind, rng)
    return people.residence_holder(kind, rng)


def samples(document: str, *, held_out_part: bool, per_class: int,
            capture_names: Sequence[str] = tuple(captures.COUNTER),
            start: int = 0) -> Iterator[Sample]:
    """`per_class` faces of each holder class of `document` from one part, each under every
    capture named."""
    classes = MY_NUMBER_CLASSES if document == "my_number" else RESIDENCE_CLASSES
    for kind in classes:
        for seed in seeds(held_out_part=held_out_part, count=per_class, start=start):
            who = holder(document, kind, seed)
            for name in capture_names:
                yield Sample(document, kind, seed, name, who)


__all__ = ["DOCUMENTS", "MY_NUMBER_CLASSES", "RESIDENCE_CLASSES", "MyNumberHolder",
           "ResidenceHolder", "Sample", "captures", "held_out", "holder", "samples", "seeds"]

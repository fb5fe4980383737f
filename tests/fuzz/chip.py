"""Test support for the fuzz tests: issued chips with one file altered, a transport that alters
answers on the way, and which bytes of each file a signature covers (card-spec.md 2 and 5).

The layout of the issued files is walked here with a minimal BER reader of its own, so the
verifier's parser is never asked which of its own bytes matter.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import testcards
from apdu.errors import CardError, CardRemovedError
from apdu.transport import GET_RESPONSE_INS
from testcards import SimulatedCard
from testcards.cardos import ChipSpec
from testcards.personas import Persona
from testcards.quirks import NO_QUIRKS, Quirks
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.checks import VerifyOptions
from verifier.documents.my_number.trust import TrustStore

TODAY = date(2026, 11, 23)
FileKey = tuple[bytes, int]  # (AID, EF)

#: Every file the verifier reads, in the order it reads them.
READ_FILES: tuple[FileKey, ...] = (
    (p.AID_CARD_FACE, p.EF_CF_CERTIFICATE),
    (p.AID_CARD_FACE, p.EF_CF_FACE),
    (p.AID_TEXT, p.EF_TX_CERTIFICATE),
    (p.AID_TEXT, p.EF_TX_BASIC_FOUR),
    (p.AID_TEXT, p.EF_TX_INTEGRITY),
)
#: What no run, however hostile the card, may ever select or read (rule 1).
FORBIDDEN_TOUCHES = frozenset({(p.AID_CARD_FACE, p.EF_CF_MY_NUMBER_IMAGE),
                               (p.AID_CARD_FACE, p.EF_CF_KEY_CODE_A),
                               (p.AID_TEXT, p.EF_TX_MY_NUMBER)})
GOOD_ANSWERS = frozenset({0x9000, 0x6282, 0x6B00})  # a READ answer the session uses


@functools.cache
def options(*, text_ap: bool = True, personal: bool = False) -> VerifyOptions:
    # Personal data off by default: the JPEG 2000 decode costs 20x the rest of a run, and
    # under a verified signature it only ever sees the issued photo. Built once per kind:
    # loading the built-in trust store was 40% of a fuzzed run; the options are frozen.
    return VerifyOptions(trust=TrustStore.builtin(accepted=("production", "simulated")),
                         today=TODAY, text_ap=text_ap, decode_photo=personal,
                         simulated=True)


def fixed_nonce(size: int) -> bytes:
    return bytes(range(size))


# --- the layout of an issued file ------------------------------------------------------------
@dataclass(frozen=True)
class Obj:
    tag: int
    start: int  # where the tag starts in the file
    header: int  # tag and length bytes
    length: int

    @property
    def value_start(self) -> int:
        return self.start + self.header

    @property
    def end(self) -> int:
        return self.start + self.header + self.length


def _obj(data: bytes, pos: int) -> Obj:
    tag_end = pos + 1
    if data[pos] & 0x1F == 0x1F:
        while data[tag_end] & 0x80:
            tag_end += 1
        tag_end += 1
    first = data[tag_end]
    if first < 0x80:
        length, header_end = first, tag_end + 1
    else:
        count = first & 0x7F
        length = int.from_bytes(data[tag_end + 1: tag_end + 1 + count], "big")
        header_end = tag_end + 1 + count
    return Obj(int.from_bytes(data[pos:tag_end], "big"), pos, header_end - pos, length)


def layout(data: bytes) -> tuple[Obj, list[Obj]]:
    """The outer object of a well-formed issued file and the objects directly inside it."""
    outer = _obj(data, 0)
    children: list[Obj] = []
    pos = outer.value_start
    while pos < outer.end:
        child = _obj(data, pos)
        children.append(child)
        pos = child.end
    return outer, children


def signed_span(key: FileKey, data: bytes) -> range:
    """File positions a changed byte of must cost the card its GENUINE (edits in place).

    Card face: DF22..DF28 (the three hashed groups and the signature); DF21, DF29, DF2A, the
    outer header and the filler are not signed. Text EF 0002: DF22 to the end of the FF20
    value (what DF32 hashes). Certificates: the body and signature objects; text EF 0003:
    DF31, DF32 and the DF33 object. The outer object's header is wrapping: what it changes
    (cutting a signed object short, or taking in filler) is judged by the pieces below.
    """
    outer, children = layout(data)
    by_tag = {c.tag: c for c in children}
    if key == (p.AID_CARD_FACE, p.EF_CF_FACE):
        return range(by_tag[p.TAG_FACE_BIRTH].start, by_tag[p.TAG_FACE_SIGNATURE].end)
    if key == (p.AID_TEXT, p.EF_TX_BASIC_FOUR):
        return range(by_tag[p.TAG_TX_NAME].start, outer.end)
    return range(children[0].start, children[-1].end)


def signed_pieces(key: FileKey, data: bytes) -> list[bytes]:
    """The byte strings the signatures cover, as they stand in an issued file: a card found
    GENUINE must hold each of them unchanged, wherever its wrapping put them.

    Card face: each of DF22..DF28 whole (the hashes cover complete TLVs). Text EF 0002: DF22
    to the end of the FF20 value. Certificates: the body's and the signature's values (the CA
    signs the body's value). Text EF 0003: DF31 and DF32 whole, DF33's value.
    """
    outer, children = layout(data)
    by_tag = {c.tag: c for c in children}

    def whole(tag: int) -> bytes:
        return data[by_tag[tag].start:by_tag[tag].end]

    def value(tag: int) -> bytes:
        return data[by_tag[tag].value_start:by_tag[tag].end]

    if key == (p.AID_CARD_FACE, p.EF_CF_FACE):
        return [whole(tag) for tag in (*p.FACE_OBJECTS[:6], p.TAG_FACE_SIGNATURE)]
    if key == (p.AID_TEXT, p.EF_TX_BASIC_FOUR):
        return [data[by_tag[p.TAG_TX_NAME].start:outer.end]]
    if key == (p.AID_TEXT, p.EF_TX_INTEGRITY):
        return [whole(p.TAG_TX_HASH_MY_NUMBER), whole(p.TAG_TX_HASH_BASIC_FOUR),
                value(p.TAG_TX_SIGNATURE)]
    return [value(p.TAG_CV_BODY), value(p.TAG_CV_SIGNATURE)]


def signed_pieces_kept(key: FileKey, original: bytes, edited: bytes) -> bool:
    """Whether every signed piece of the issued file is still in the edited one."""
    return all(piece in edited for piece in signed_pieces(key, original))


def regions(data: bytes) -> list[range]:
    """Header and value of every object, and the filler: where a fuzzer should aim."""
    outer, children = layout(data)
    spans = [range(outer.start, outer.value_start)]
    for child in children:
        spans += [range(child.start, child.value_start), range(child.value_start, child.end)]
    if outer.end < len(data):
        spans.append(range(outer.end, len(data)))
    return [span for span in spans if len(span) > 0]


# --- chips ------------------------------------------------------------------------------------
def genuine_chip(persona: Persona) -> ChipSpec:
    return testcards.chip_spec("genuine", persona)


def file_bytes(chip: ChipSpec, key: FileKey) -> bytes:
    for app in chip.apps:
        if app.aid == key[0]:
            for spec in app.files:
                if spec.fid == key[1]:
                    return spec.data
    raise KeyError(key)


def with_file(chip: ChipSpec, key: FileKey, data: bytes) -> ChipSpec:
    """The same chip with one file's bytes replaced: a forger's edit of the issued data."""
    apps = tuple(
        replace(app, files=tuple(replace(f, data=data) if f.fid == key[1] else f
                                 for f in app.files)) if app.aid == key[0] else app
        for app in chip.apps)
    return replace(chip, apps=apps)


def write_seeds(directory: Path, chip: ChipSpec) -> None:
    """A fuzzing corpus to start from: one seed per file the verifier reads, its index in
    READ_FILES as the first byte, then the issued bytes (atheris_card.py reads it so)."""
    for index, key in enumerate(READ_FILES):
        (directory / f"seed-{index}").write_bytes(bytes((index,)) + file_bytes(chip, key))


def card(chip: ChipSpec, persona: Persona, quirks: Quirks = NO_QUIRKS) -> SimulatedCard:
    return SimulatedCard(chip, persona=persona, profile="genuine", quirks=quirks,
                         random=fixed_nonce)


# --- a transport that alters answers ---------------------------------------------------------
@dataclass(frozen=True)
class Action:
    """What happens to one exchange. `kind`: sw, truncate, extend, flip, replace, short,
    remove, error."""

    kind: str
    sw: int = 0x9000
    size: int = 0
    extra: bytes = b""
    index: int = 0
    bit: int = 0
    error: type[CardError] = CardError


@dataclass
class Exchange:
    command: bytes
    original: bytes | None  # what the card answered (None when the exchange never reached it)
    delivered: bytes | None  # what the verifier got (None when an error was raised instead)


@dataclass
class MutatingTransport:
    """Wraps a simulated card; exchange number i is altered by plan[i]."""

    inner: SimulatedCard
    plan: dict[int, Action]
    log: list[Exchange] = field(default_factory=list)

    def transmit(self, apdu: bytes) -> bytes:
        action = self.plan.get(len(self.log))
        if action is not None and action.kind == "remove":
            self.inner.remove()
            self.log.append(Exchange(apdu, None, None))
            raise CardRemovedError()
        if action is not None and action.kind == "error":
            self.log.append(Exchange(apdu, None, None))
            raise action.error()
        answer = self.inner.transmit(apdu)
        delivered = answer if action is None else _alter(answer, action)
        self.log.append(Exchange(apdu, answer, delivered))
        return delivered

    def close(self) -> None:
        self.inner.close()


def _alter(answer: bytes, action: Action) -> bytes:
    data, sw = answer[:-2], answer[-2:]
    if action.kind == "sw":
        return data + action.sw.to_bytes(2, "big")
    if action.kind == "truncate":
        return data[:action.size] + sw
    if action.kind == "extend":
        return data + action.extra + sw
    if action.kind == "replace":
        return action.extra + sw
    if action.kind == "short":
        return answer[:action.size]
    if action.kind == "flip" and data:
        i = action.index % len(data)
        return data[:i] + bytes((data[i] ^ (1 << action.bit),)) + data[i + 1:] + sw
    return answer


@dataclass
class Seen:
    """What the verifier received, rebuilt from the exchanges as the session would use them."""

    files: dict[FileKey, dict[int, int]] = field(default_factory=dict)  # position -> byte
    challenge_altered: bool = False
    #: VERIFY commands carrying digits, per AP the verifier believed selected.
    verifies_with_data: dict[bytes | None, int] = field(default_factory=dict)


def logical(log: list[Exchange]) -> list[tuple[bytes, bytes, int, bytes]]:
    """(command, data, final SW, card's own data) per command, GET RESPONSE folded in."""
    out: list[tuple[bytes, bytes, int, bytes]] = []
    for ex in log:
        if ex.delivered is None or len(ex.delivered) < 2:
            continue  # an error reached the verifier instead of an answer
        data, sw = ex.delivered[:-2], int.from_bytes(ex.delivered[-2:], "big")
        original = ex.original[:-2] if ex.original else b""
        is_get_response = ex.command[1] == GET_RESPONSE_INS
        if is_get_response and out and out[-1][2] >> 8 == 0x61:
            command, before, _, card_data = out[-1]
            out[-1] = (command, before + data, sw, card_data + original)
        else:
            out.append((ex.command, data, sw, original))
    return out


def seen(log: list[Exchange]) -> Seen:
    result = Seen()
    ap: bytes | None = None
    ef: int | None = None
    for command, data, sw, card_data in logical(log):
        cla, ins, p1, p2 = command[:4]
        body = command[5:5 + command[4]] if len(command) > 5 else b""
        if ins == p.INS_SELECT and p1 == p.SELECT_BY_DF_NAME:
            ap, ef = (body if sw == 0x9000 else None), None
        elif ins == p.INS_SELECT and p1 == p.SELECT_EF_UNDER_DF:
            ef = int.from_bytes(body, "big") if sw == 0x9000 else ef
        elif ins == p.INS_READ_BINARY and sw in GOOD_ANSWERS and data and ap is not None:
            if p1 & p.SFI_FLAG:
                ef, offset = p1 & 0x1F, p2
            else:
                offset = (p1 & 0x7F) << 8 | p2
            if ef is not None:
                view = result.files.setdefault((ap, ef), {})
                for i, byte in enumerate(data):
                    view[offset + i] = byte
        elif ins == p.INS_COMPUTE_SIGNATURE and cla == p.CLA_PROPRIETARY and sw == 0x9000:
            result.challenge_altered |= data != card_data
        elif ins == p.INS_VERIFY and len(command) > 5 and command[4] > 0:
            result.verifies_with_data[ap] = result.verifies_with_data.get(ap, 0) + 1
    return result


def signed_bytes_altered(chip: ChipSpec, view: Seen) -> list[str]:
    """Files whose signed bytes reached the verifier changed, and the challenge answer."""
    altered = []
    for key, positions in view.files.items():
        if key not in READ_FILES:
            continue
        original = file_bytes(chip, key)
        span = signed_span(key, original)
        if any(i in span and (i >= len(original) or byte != original[i])
               for i, byte in positions.items()):
            altered.append(f"{key[0].hex()}/{key[1]:04X}")
    if view.challenge_altered:
        altered.append("challenge signature")
    return altered


def signed_bytes_complete(chip: ChipSpec, view: Seen, keys: tuple[FileKey, ...]) -> bool:
    """Whether every signed byte of these files reached the verifier unchanged."""
    for key in keys:
        original = file_bytes(chip, key)
        positions = view.files.get(key, {})
        if any(positions.get(i) != original[i] for i in signed_span(key, original)):
            return False
    return True

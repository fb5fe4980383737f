"""The objects inside a record's outer object, found without trusting its unsigned wrapping.

A record is one outer object (FF20, 7F21, FF30) holding objects. Some are signed or are the
signature ("needed"); the rest — an offset table, objects after the signed ones, filler — are
not, and a genuine card of another layout may differ there (design.md: "data no genuine card
can hold" is read narrowly). So the walk is strict only where a signed object must be:

- the outer object must fit the file, and until every needed object was found, each object
  must fit the outer one: a length that runs past the end, or bytes that are not an object,
  leave the signed bytes undetermined — evidence (`MalformedData`);
- each needed object is there exactly once: two of one is ambiguity, evidence too;
- a byte 00 or FF where a tag would start is filler (the card's tags inside its records start
  DF, 5F or 7F): an oddity;
- once every needed object was found, bytes that do not read as an object end the walk with
  an oddity: nothing signed can be among them.

Every object is found by its tag, wherever it stands; order and everything else unsigned is
reported as an `Oddity` by `layout_oddities`, never raised.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from verifier.card import limits as p
from verifier.card.oddities import Oddity
from verifier.card.tlv import Tlv, parse_one
from verifier.errors import MalformedData

_FILLER = re.compile(rb"[\x00\xff]+")


@dataclass(frozen=True)
class Contents:
    objects: tuple[Tlv, ...]  # in file order; offsets count from the start of the file
    oddities: tuple[Oddity, ...]

    def all(self, tag: int) -> list[Tlv]:
        return [item for item in self.objects if item.tag == tag]

    def one(self, tag: int) -> Tlv:
        """A needed object: the walk made sure there is exactly one."""
        return next(item for item in self.objects if item.tag == tag)


def outer(file_bytes: bytes, tag: int, what: str) -> tuple[Tlv, int]:
    """The file's outer object and where its value starts. What follows it in the file is the
    file's own padding and is never read."""
    if len(file_bytes) > p.MAX_FILE_BYTES:
        raise MalformedData(f"{what} of {len(file_bytes)} bytes is larger than any file "
                            "on the card")
    item = parse_one(bytes(file_bytes))
    if item.tag != tag:
        raise MalformedData(f"{what}: tag {item.tag:X}, expected {tag:X}")
    return item, len(item.raw) - len(item.value)


def walk(data: bytes, *, base: int, needed: frozenset[int], what: str,
         until: int | None = None) -> Contents:
    """The objects of `data` (offsets reported from `base`), by the rules above. `until`: stop
    once an object of that tag was read (what follows is judged later, by other rules)."""
    objects: list[Tlv] = []
    oddities: list[Oddity] = []
    seen: set[int] = set()
    pos = 0
    while pos < len(data):
        filler = _FILLER.match(data, pos)
        if filler is not None:
            oddities.append(Oddity.FILLER)
            pos = filler.end()
            continue
        try:
            item = parse_one(data, pos)
        except MalformedData as error:
            if needed <= seen:
                oddities.append(Oddity.UNPARSED_TAIL)
                break
            raise MalformedData(f"{what}: {error}, where a signed object must be") from None
        if item.tag in needed:
            if item.tag in seen:
                raise MalformedData(f"{what}: {item.tag:X} twice, so what is signed is "
                                    "ambiguous")
            seen.add(item.tag)
        objects.append(Tlv(item.tag, item.value, item.raw, base + pos))
        pos += len(item.raw)
        if until is not None and item.tag == until:
            break
    missing = sorted(needed - seen)
    if missing:
        raise MalformedData(f"{what}: no " + ", ".join(f"{tag:X}" for tag in missing))
    return Contents(tuple(objects), tuple(oddities))


def read_contents(file_bytes: bytes, *, tag: int, needed: frozenset[int], what: str,
                  until: int | None = None) -> tuple[Tlv, int, Contents]:
    """The outer object, where its value starts in the file, and the objects inside it."""
    item, header_len = outer(file_bytes, tag, what)
    return item, header_len, walk(item.value, base=header_len, needed=needed, what=what,
                                  until=until)


def layout_oddities(contents: Contents, *, known: Sequence[int], needed: frozenset[int],
                    table: int | None = None) -> list[Oddity]:
    """What differs from the known layout outside the needed objects. `known`: every tag the
    record defines, in the known order; `table`: the offset table's tag, if it has one."""
    found: list[Oddity] = []
    tags = [item.tag for item in contents.objects]
    last_needed = max((i for i, tag in enumerate(tags) if tag in needed), default=-1)
    for index, tag in enumerate(tags):
        if tag not in known:
            found.append(Oddity.UNKNOWN_OBJECT if index < last_needed
                         else Oddity.TRAILING_OBJECT)
    counts = Counter(tags)
    if any(counts[tag] > 1 for tag in known if tag not in needed):
        found.append(Oddity.DUPLICATE_UNSIGNED)
    first_seen = list(dict.fromkeys(tag for tag in tags if tag in known))
    if first_seen != sorted(first_seen, key=list(known).index):
        found.append(Oddity.ORDER)
    if table is not None and not offsets_agree(contents, table):
        found.append(Oddity.OFFSET_TABLE)
    return found


def offsets_agree(contents: Contents, table_tag: int) -> bool:
    """Whether the (first) offset table holds one big-endian u16 per object after it, each
    where that object's tag starts in the file. A missing table agrees with nothing."""
    tables = contents.all(table_tag)
    if not tables:
        return False
    table = tables[0]
    following = [item for item in contents.objects if item.offset > table.offset]
    if len(table.value) != 2 * len(following):
        return False
    return all(int.from_bytes(table.value[2 * i: 2 * i + 2], "big") == item.offset
               for i, item in enumerate(following))


def unique(oddities: Sequence[Oddity]) -> tuple[Oddity, ...]:
    """Each kind once, in the order first seen."""
    return tuple(dict.fromkeys(oddities))

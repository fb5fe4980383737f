"""Coverage-guided fuzzing of the chip-data parsers and the whole verification, with atheris.

    .venv/bin/python -m tests.fuzz.atheris_card -atheris_runs=200000   # a long local run
    .venv/bin/python -m tests.fuzz.atheris_card -max_len=12000 corpus_dir/  # keep a corpus

`write_seeds(dir)` puts the issued files in a corpus to start from. Each input's first byte
picks one file the verifier reads and replaces it with the fuzzer's bytes, then
runs the parsers and a full verification of a genuine chip carrying that file. Anything raised
other than MalformedData (from a parser) is a crash; `verify_card` may raise nothing at all, and
must not call the card GENUINE when a signed piece of the issued file is missing from it (its
unsigned wrapping may differ: chip.signed_pieces).
test_atheris.py runs a short, fixed-seed session of this in CI.
"""

from __future__ import annotations

import contextlib
import sys

import atheris

with atheris.instrument_imports(include=["verifier", "apdu"]):
    from verifier.documents.my_number import records
    from verifier.documents.my_number.checks import verify_card
    from verifier.engine.verdict import Verdict
    from verifier.errors import MalformedData

from testcards import PERSONAS
from tests.fuzz import chip as c

PARSERS = (records.locate_card_face, records.locate_cv_certificate,
           records.parse_ap_basic_info, records.locate_text_basic_four,
           records.locate_text_integrity, records.parse_rsa_key)
PERSONA = PERSONAS[0]
CHIP = c.genuine_chip(PERSONA)
OPTIONS = c.options()


def one_input(raw: bytes) -> None:
    if not raw:
        return
    key, data = c.READ_FILES[raw[0] % len(c.READ_FILES)], raw[1:]
    for parse in PARSERS:
        with contextlib.suppress(MalformedData):
            parse(data)
    card = c.card(c.with_file(CHIP, key, data), PERSONA)
    result = verify_card(card, OPTIONS, PERSONA.code_b, nonce=c.fixed_nonce)
    if not c.signed_pieces_kept(key, c.file_bytes(CHIP, key), data):
        assert result.verdict is not Verdict.GENUINE, key


def write_seeds(directory: str) -> None:
    """One seed per file the verifier reads: its index byte, then the issued bytes."""
    from pathlib import Path

    c.write_seeds(Path(directory), CHIP)


def main(argv: list[str]) -> None:
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)

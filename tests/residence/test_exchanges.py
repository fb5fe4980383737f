"""What one verification costs in exchanges, in-process, per generation and reader form — held
exactly, so a change that adds a round trip shows here — and against a naive reader that reads
every file in 256-byte chunks (the bench's yardstick)."""

from __future__ import annotations

import pytest

from apdu.command import EXTENDED_MAX_LE, CommandAPDU
from apdu.transport import CountingTransport, exchange
from testcards.quirks import parse_quirks
from testcards.residence.authority import simulated_trust
from testcards.residence.builder import build_residence_card
from tests.residence.conftest import TODAY, seeded
from verifier.documents.residence import constants as c
from verifier.documents.residence import secure_messaging as sm
from verifier.documents.residence.reader import ResidenceReader
from verifier.documents.residence.verification import check_residence_card

GEN1, GEN2 = "residence-genuine-1", "residence-genuine-2"

#: (profile, quirks) → exchanges, as measured in-process.
EXPECTED = {
    (GEN1, ""): 10, (GEN2, ""): 11,
    (GEN1, "contactless"): 10, (GEN2, "contactless"): 11,
    (GEN1, "no-sfi"): 16, (GEN2, "no-sfi"): 18,
    (GEN1, "no-extended"): 60, (GEN2, "no-extended"): 49,
    (GEN1, "t0"): 114, (GEN2, "t0"): 92,
}


@pytest.mark.parametrize(("profile", "quirks"), list(EXPECTED))
def test_exchanges_per_generation_and_form(profile: str, quirks: str) -> None:
    parsed = parse_quirks(quirks)
    card = build_residence_card(profile, quirks=parsed)
    result = check_residence_card(card, card.card_number, simulated_trust(), today=TODAY,
                                  t0=parsed.t0)
    assert result.genuine
    assert result.exchanges == card.exchanges == EXPECTED[(profile, quirks)]


def naive_exchanges(profile: str) -> int:
    """Open the card as the reader does, then read every file the verification needs in
    256-byte chunks (SM with extended lengths for DF1, plain for DF3)."""
    card = build_residence_card(profile)
    reader = ResidenceReader(card, random=seeded())
    reader.recognise()
    reader.open(card.card_number)
    session = reader._session  # the naive reader shares the opening, not the reading
    assert session is not None
    counting = CountingTransport(card)
    gen1 = profile == GEN1
    plan = [(c.AID_DF1, sfi, True) for sfi in ((c.SFI1_FRONT_IMAGE, c.SFI1_PHOTO) if gen1 else
                                              (c.SFI2_PRINTED_ENTRIES, c.SFI2_IMAGES,
                                               c.SFI2_ADDRESS_IMAGE))]
    plan.append((c.AID_DF3, c.SFI1_SIGNATURE if gen1 else c.SFI2_SIGNATURE, False))
    selected = None
    for aid, sfi, secure in plan:
        if aid != selected:
            exchange(counting, CommandAPDU(c.CLA, c.INS_SELECT, 4, 0x0C, aid))
            selected = aid
        offset = 0
        while True:
            p1, p2 = (0x80 | sfi, 0) if offset == 0 else (offset >> 8, offset & 0xFF)
            if secure:
                command = CommandAPDU(c.CLA_SM, c.INS_READ_BINARY, p1, p2, b"\x96\x02\x01\x00",
                                      le=EXTENDED_MAX_LE, extended=True)
            else:
                command = CommandAPDU(c.CLA, c.INS_READ_BINARY, p1, p2, le=256)
            answer = exchange(counting, command)
            if not answer.data:
                break
            got = len(sm.open_answer(session, answer.data).data if secure else answer.data)
            offset += got
            if got < 256:
                break
    return card.exchanges


@pytest.mark.parametrize(("profile", "naive"), [(GEN1, 53), (GEN2, 43)])
def test_a_naive_chunked_reader_needs_about_four_times_more(profile: str, naive: int) -> None:
    assert naive_exchanges(profile) == naive
    assert EXPECTED[(profile, "")] * 3.9 <= naive

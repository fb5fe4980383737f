"""A chip that answers anything at all — random bytes, random status words, a yes-card's 9000 —
never makes the verification raise, never makes it fail for a reason of ours, and never sends
the card number twice."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from apdu.transport import TransportBase
from testcards.residence.authority import simulated_trust
from tests.residence.conftest import TODAY, seeded
from verifier.documents.residence import constants as c
from verifier.documents.residence.card_number import parse_card_number
from verifier.documents.residence.outcome import ResidenceReason
from verifier.documents.residence.verification import check_residence_card

NUMBER = parse_card_number("AB12345678CD")
SW = st.sampled_from([b"\x90\x00", b"\x62\x82", b"\x6a\x82", b"\x6f\x00", b"\x63\x00",
                      b"\x69\x82", b"\x67\x00", b"\x61\x10", b"\x6c\x04", b"\x6b\x00"])
ANSWER = st.one_of(st.tuples(st.binary(max_size=64), SW).map(lambda pair: pair[0] + pair[1]),
                   st.binary(max_size=8))
CARD_TYPES = st.sampled_from([b"\xc1\x01\x31", b"\xc1\x02\x30\x35", b"\xc1\x02\x30\x36"])


class Hostile(TransportBase):
    def __init__(self, answers: list[bytes], card_type: bytes) -> None:
        self.answers = answers
        self.card_type = card_type
        self.sent: list[bytes] = []

    def transmit(self, apdu: bytes) -> bytes:
        self.sent.append(apdu)
        if apdu[:3] == bytes((c.CLA, c.INS_READ_BINARY, 0x8A)):
            return self.card_type + b"\x90\x00"  # get past recognition, then anything
        if apdu[:2] == bytes((c.CLA, c.INS_GET_CHALLENGE)):
            return bytes(8) + b"\x90\x00"
        return self.answers[(len(self.sent) - 1) % len(self.answers)] if self.answers else b""


@settings(max_examples=300, deadline=None)
@given(st.lists(ANSWER, max_size=12), CARD_TYPES)
def test_anything_a_chip_answers_is_a_result(answers: list[bytes], card_type: bytes) -> None:
    transport = Hostile(answers, card_type)
    result = check_residence_card(transport, NUMBER, simulated_trust(), today=TODAY,
                                  random=seeded())
    assert ResidenceReason.INTERNAL_ERROR not in {step.reason for step in result.steps}
    assert sum(apdu[:2] == bytes((c.CLA_SM, c.INS_VERIFY)) for apdu in transport.sent) <= 1
    assert not result.genuine


class Turning(TransportBase):
    """A genuine simulated card whose answers, from one exchange on, are replaced."""

    def __init__(self, profile: str, at: int, answers: list[bytes]) -> None:
        from testcards.residence.builder import build_residence_card

        self.card = build_residence_card(profile, random=seeded(at))
        self.at, self.answers, self.count = at, answers, 0

    def transmit(self, apdu: bytes) -> bytes:
        self.count += 1
        answer = self.card.transmit(apdu)
        if self.count < self.at or not self.answers:
            return answer
        return self.answers[self.count % len(self.answers)]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["residence-genuine-1", "residence-genuine-2"]), st.integers(1, 12),
       st.lists(ANSWER, min_size=1, max_size=6))
def test_a_chip_that_turns_hostile_mid_read(profile: str, at: int, answers: list[bytes]) -> None:
    transport = Turning(profile, at, answers)
    result = check_residence_card(transport, transport.card.card_number, simulated_trust(),
                                  today=TODAY, random=seeded())
    assert ResidenceReason.INTERNAL_ERROR not in {step.reason for step in result.steps}
    assert transport.card.verify_count <= 1

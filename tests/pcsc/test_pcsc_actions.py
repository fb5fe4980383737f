"""Through pcscd (issue 16): a copied chip that refuses the challenge is not accepted, and the
second placement says so; a card whose chip gives no usable answer to reset is `no_chip_answer`
— never "place a card" for a card that is on the reader."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from vpcd_cards import ServeCard

import testcards
from verifier.cli.main import main
from verifier.counter.actions import Action
from verifier.counter.policy import CounterPolicy
from verifier.counter.sources import SourceSpec
from verifier.counter.visit import Counter
from verifier.documents.my_number.check_ids import CheckId
from verifier.engine.verdict import Reason, Verdict

pytestmark = pytest.mark.pcsc
CODE = testcards.PERSONAS[0].code_b
NOT_ACCEPTED_JA = "ICチップで確認できるまで、本人確認書類として受け付けないでください"


@pytest.mark.parametrize("answer", ["6982", "6F00", "6D00"])
def test_a_copied_chip_refusing_the_challenge_through_pcscd(serve_card: ServeCard,
                                                            answer: str) -> None:
    quirks = testcards.parse_quirks(f"challenge={answer}")
    served = serve_card(lambda: testcards.build_card("cloned", quirks=quirks))
    counter = Counter(CounterPolicy(hierarchies=("simulated",), training=True))
    for placement in (1, 2):
        checked = counter.check(SourceSpec(reader=served.reader), CODE)
        failing = checked.result.failing_check
        assert checked.result.verdict is Verdict.NOT_VERIFIED
        assert failing is not None and failing.id is CheckId.CHIP_AUTHENTIC
        assert failing.reason is Reason.CHIP_REFUSED_CHALLENGE
        assert checked.action is Action.NOT_ACCEPTED
        assert checked.attempts_in_a_row == placement
        assert checked.next.words.ja.startswith(NOT_ACCEPTED_JA)


@dataclass
class MuteChip:
    """A card the reader sees whose chip answers the reset with nothing any protocol takes."""

    atr: bytes = b"\x3b"
    received: list[bytes] = field(default_factory=list)

    def transmit(self, apdu: bytes) -> bytes:
        self.received.append(apdu)
        return bytes.fromhex("6F00")

    def power_up(self) -> None: ...

    def power_down(self) -> None: ...

    def warm_reset(self) -> None: ...


def test_a_card_with_no_chip_answer_is_said_so(serve_card: ServeCard,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    chip = MuteChip()
    served = serve_card(lambda: chip)
    code = main(["verify", "--reader", served.reader, "--training", "--code-b", CODE.digits,
                 "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 12 and data["verdict"] == "NOT_VERIFIED"
    present = data["checks"][0]
    assert present["id"] == "chip.present" and present["reason"] == "no_chip_answer"
    assert "マイナンバーカードには必ずICチップがあります" in present["detail"]["ja"]
    assert data["action"] == "not_accepted"
    assert chip.received == []  # nothing was sent to it

"""The whole engine through pcscd + vpcd + pyscard: tears, sessions, the CLI and batch on readers.

Each quirk and each verdict through pcscd: test_pcsc_verdicts.py.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from vpcd_cards import ServeCard

import testcards
from apdu import pcsc
from verifier.cli.main import main
from verifier.counter.policy import is_virtual_reader
from verifier.documents.my_number import constants as profile
from verifier.documents.my_number.checks import Verification, VerifyOptions
from verifier.documents.my_number.code_b import CodeB
from verifier.documents.my_number.trust import TrustStore
from verifier.engine.verdict import Reason, Result, Verdict

pytestmark = pytest.mark.pcsc

OPTIONS = VerifyOptions(trust=TrustStore.builtin(accepted=("production", "simulated")),
                        today=date(2026, 11, 23), simulated=True)

def printed_code(profile: str) -> CodeB:
    return testcards.printed_persona(profile, testcards.PERSONAS[0]).code_b


def verify_on(reader: str, profile: str) -> Result:
    with pcsc.PcscTransport(reader) as transport:
        return Verification(transport, OPTIONS).verify(printed_code(profile))


def genuine_commands() -> list[bytes]:
    """The commands of a whole verification of the genuine card, in-process."""
    card = testcards.build_card("genuine")
    assert Verification(card, OPTIONS).verify(printed_code("genuine")).verdict is Verdict.GENUINE
    return card.commands


def test_card_torn_then_next_card_verifies(serve_card: ServeCard) -> None:
    """A tear after every number of exchanges is test_card_removed_mid_read_is_not_verified,
    in-process. Through pcscd a tear is the vpcd connection ending inside SCardTransmit,
    whichever command it is; it is done in three places: the first READ BINARY (precheck), the
    VERIFY carrying the digits, and the last exchange (text AP). Each card is put on the same
    reader after the torn one; the last one is whole and verifies."""
    commands = genuine_commands()
    tears = [
        next(i for i, c in enumerate(commands) if c[1] == profile.INS_READ_BINARY),
        next(i for i, c in enumerate(commands) if c[1] == profile.INS_VERIFY and len(c) > 4),
        len(commands) - 1,
    ]
    assert tears == sorted(set(tears)) and tears[0] > 0, tears
    cards = [testcards.build_card("genuine", quirks=testcards.parse_quirks(f"tear-after={n}"))
             for n in tears] + [testcards.build_card("genuine")]
    served = serve_card(iter(cards).__next__, slot=0)

    for n, card in zip(tears, cards[:-1], strict=True):
        assert pcsc.wait_for_card(served.reader, 10) == served.reader
        torn = verify_on(served.reader, "genuine")
        assert card.exchanges == n, (n, card.exchanges)  # torn where it was meant to be
        assert torn.verdict is Verdict.NOT_VERIFIED, n
        failing = torn.failing_check
        assert failing is not None and failing.reason is Reason.CARD_REMOVED, (n, failing)
        assert torn.personal is None, n

    assert pcsc.wait_for_card(served.reader, 10) == served.reader
    whole = verify_on(served.reader, "genuine")
    assert whole.verdict is Verdict.GENUINE
    assert whole.apdu_count == len(commands)
    assert served.bridge.insertions == len(cards)


def test_no_key_stays_open_between_verifications(serve_card: ServeCard) -> None:
    served = serve_card(lambda: testcards.build_card("genuine"), slot=0)
    first = verify_on(served.reader, "genuine")
    second = verify_on(served.reader, "genuine")
    assert first.verdict is second.verdict is Verdict.GENUINE
    # The second session had to present code B again: the first one's power-down closed the
    # key (a warm reset would have left it open, card-spec 7).
    assert second.card.retries_left == 10
    assert first.apdu_count == second.apdu_count
    card = served.bridge.card
    assert isinstance(card, testcards.SimulatedCard)
    verifies = [c for c in card.commands if c[1] == 0x20 and len(c) > 4]
    assert len(verifies) == 4  # card face and text AP, twice


def test_cli_verify_on_a_reader(serve_card: ServeCard, capsys: pytest.CaptureFixture[str]) -> None:
    served = serve_card(lambda: testcards.build_card("genuine"), slot=0)
    code = main(["verify", "--training", "--reader", served.reader, "--trust", "simulated",
                 "--json", "--code-b", printed_code("genuine").digits])
    data = json.loads(capsys.readouterr().out)
    assert code == 0, data
    assert data["verdict"] == "GENUINE"
    assert data["simulated"] is True  # a virtual reader's card is a simulated card


def test_only_vsmartcard_readers_count_as_virtual(vpcd_readers: tuple[str, str]) -> None:
    assert all(is_virtual_reader(name) for name in vpcd_readers)
    for physical in ("Sony FeliCa Port/PaSoRi 4.0 (RC-S300) 00 00",
                     "ACS ACR1252 1S CL Reader PICC 00 00", "SCM Microsystems SCR 3310 00 00"):
        assert not is_virtual_reader(physical)


def test_real_reader_never_trusts_simulated_implicitly(serve_card: ServeCard,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    served = serve_card(lambda: testcards.build_card("genuine"), slot=0)
    code = main(["verify", "--training", "--reader", served.reader, "--json",
                 "--code-b", printed_code("genuine").digits])
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "INVALID_CARD"
    assert code == 11


def test_batch_over_two_readers(serve_card: ServeCard, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    genuine = serve_card(lambda: testcards.build_card("genuine"), slot=0)
    cloned = serve_card(lambda: testcards.build_card("cloned"), slot=1)
    code = printed_code("genuine").digits
    lines = []
    for i in range(3):
        lines.append({"id": f"g{i}", "reader": genuine.reader, "code_b": code})
        lines.append({"id": f"c{i}", "reader": cloned.reader, "code_b": code})
    requests = tmp_path / "requests.jsonl"
    requests.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    exit_code = main(["batch", str(requests), "--trust", "simulated", "--training"])
    results = {r["id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert set(results) == {line["id"] for line in lines}
    for i in range(3):
        assert results[f"g{i}"]["verdict"] == "GENUINE"
        assert results[f"c{i}"]["verdict"] == "COUNTERFEIT_SUSPECTED"
        assert results[f"c{i}"]["failing_check"] == "chip.authentic"
    assert exit_code == 10

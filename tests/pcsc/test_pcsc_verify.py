"""The whole engine through pcscd + vpcd + pyscard: the same verdicts as in-process."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from vpcd_cards import ServeCard

import testcards
from apdu import pcsc
from verifier.card.code_b import CodeB
from verifier.card.trust import TrustStore
from verifier.cli.main import main
from verifier.counter.policy import is_virtual_reader
from verifier.engine.checks import Verification, VerifyOptions
from verifier.engine.verdict import Reason, Result, Verdict

OPTIONS = VerifyOptions(trust=TrustStore.builtin(accepted=("production", "simulated")),
                        today=date(2026, 11, 23), simulated=True)
QUIRK_SETS = ["", "no-extended", "no-sfi", "t0", "wrong-le", "contactless",
              "no-extended,no-sfi,t0"]


def printed_code(profile: str) -> CodeB:
    return testcards.printed_persona(profile, testcards.PERSONAS[0]).code_b


def verify_on(reader: str, profile: str) -> Result:
    with pcsc.PcscTransport(reader) as transport:
        return Verification(transport, OPTIONS).verify(printed_code(profile))


@pytest.mark.parametrize("quirks", QUIRK_SETS)
@pytest.mark.parametrize("name", list(testcards.PROFILES))
def test_profile_verdict_through_pcscd(name: str, quirks: str, serve_card: ServeCard) -> None:
    parsed = testcards.parse_quirks(quirks)
    served = serve_card(lambda: testcards.build_card(name, quirks=parsed), slot=0)
    result = verify_on(served.reader, name)
    profile = testcards.PROFILES[name]
    failing = result.failing_check
    assert result.verdict is profile.expected, (quirks, failing)
    assert (failing.id if failing else None) == profile.failing_check


def full_exchange_count(serve_card: ServeCard) -> int:
    served = serve_card(lambda: testcards.build_card("genuine"), slot=1)
    result = verify_on(served.reader, "genuine")
    assert result.verdict is Verdict.GENUINE
    served.bridge.stop()
    assert pcsc.wait_for_card_removal(served.reader, 10)
    return result.apdu_count


def test_card_torn_after_every_exchange_then_next_card_verifies(serve_card: ServeCard) -> None:
    total = full_exchange_count(serve_card)
    for n in range(1, total):
        insertions: list[int] = []

        def factory(n: int = n, insertions: list[int] = insertions) -> testcards.SimulatedCard:
            insertions.append(1)
            # The first card on the reader is torn after n exchanges; the next one is whole.
            quirks = f"tear-after={n}" if len(insertions) == 1 else ""
            return testcards.build_card("genuine", quirks=testcards.parse_quirks(quirks))

        served = serve_card(factory, slot=0)
        torn = verify_on(served.reader, "genuine")
        assert torn.verdict is Verdict.NOT_VERIFIED, n
        failing = torn.failing_check
        assert failing is not None and failing.reason is Reason.CARD_REMOVED, (n, failing)
        assert torn.personal is None, n
        pcsc.wait_for_card(served.reader, 10)
        again = verify_on(served.reader, "genuine")
        assert again.verdict is Verdict.GENUINE, n
        served.bridge.stop()
        assert pcsc.wait_for_card_removal(served.reader, 10)


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

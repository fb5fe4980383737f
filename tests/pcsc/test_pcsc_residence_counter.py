"""Residence cards through the whole stack (issue 17): pcscd + vpcd + pyscard under the counter
and the command line — recognised by what the chip answers, every profile's verdict and exit
code, a wrong number one VERIFY and never an accusation, no Agency CA installed never one
either."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from vpcd_cards import ServeCard

from testcards.quirks import parse_quirks
from testcards.residence.builder import build_residence_card
from testcards.residence.profiles import RESIDENCE_PROFILES
from verifier.cli.main import main
from verifier.counter.exits import EXIT_CODES
from verifier.counter.policy import CounterPolicy
from verifier.counter.sources import SourceSpec
from verifier.counter.visit import Counter
from verifier.documents.residence.card_number import CardNumber
from verifier.engine.verdict import Reason, Verdict

pytestmark = pytest.mark.pcsc
WRONG = CardNumber("ZZ00000001ZZ")


def training(tmp_path: Path, *, simulated: bool = True) -> Counter:
    return Counter(CounterPolicy(hierarchies=("simulated",) if simulated else (),
                                 training=True, trust_dir=tmp_path / "trust"),
                   decode_photo=True)


@pytest.mark.parametrize("name", list(RESIDENCE_PROFILES))
def test_every_residence_profile_through_pcscd_and_the_counter(
        serve_card: ServeCard, tmp_path: Path, name: str) -> None:
    card = build_residence_card(name, quirks=parse_quirks("contactless"))
    served = serve_card(lambda: card)
    checked = training(tmp_path).check(SourceSpec(reader=served.reader), card.card_number)
    profile = RESIDENCE_PROFILES[name]
    assert checked.result.verdict is profile.expected_when_typed, checked.result
    assert checked.exit_code == EXIT_CODES[checked.result.verdict]
    assert checked.result.simulated
    assert card.verify_count <= 1
    if profile.card_type.supported:
        assert checked.result.document == profile.card_type.document.value


@pytest.mark.parametrize("name", ["residence-genuine-1", "residence-spr-genuine-2"])
def test_the_command_line_through_pcscd(serve_card: ServeCard, tmp_path: Path, name: str,
                                        capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    card = build_residence_card(name)
    served = serve_card(lambda: card)
    monkeypatch.setattr("sys.stdin", io.StringIO(card.card_number.text + "\n"))
    code = main(["verify", "--reader", served.reader, "--training", "--trust", "simulated",
                 "--trust-dir", str(tmp_path), "--card-number", "-", "--json"])
    answer = json.loads(capsys.readouterr().out)
    assert code == 0 and answer["verdict"] == "GENUINE"
    assert answer["document"] == RESIDENCE_PROFILES[name].card_type.document.value
    assert answer["generation"] == int(RESIDENCE_PROFILES[name].card_type.generation)


def test_a_wrong_number_through_pcscd_is_one_verify_and_not_sent_again(
        serve_card: ServeCard, tmp_path: Path) -> None:
    card = build_residence_card("residence-genuine-2", quirks=parse_quirks("contactless"))
    served = serve_card(lambda: card)
    target = training(tmp_path)
    first = target.check(SourceSpec(reader=served.reader), WRONG)
    assert first.result.verdict is Verdict.NOT_VERIFIED
    assert first.result.failing_check is not None
    assert first.result.failing_check.reason is Reason.NUMBER_REJECTED
    second = target.check(SourceSpec(reader=served.reader), WRONG)
    assert second.result.failing_check is not None
    assert second.result.failing_check.reason is Reason.NUMBER_ALREADY_REJECTED
    assert card.verify_count <= 1
    assert target.check(SourceSpec(reader=served.reader),
                        card.card_number).result.verdict is Verdict.GENUINE


def test_a_code_b_for_a_residence_card_through_pcscd_is_exit_2(
        serve_card: ServeCard, capsys: pytest.CaptureFixture[str]) -> None:
    card = build_residence_card("residence-genuine-1")
    served = serve_card(lambda: card)
    code = main(["verify", "--reader", served.reader, "--training", "--trust", "simulated",
                 "--code-b", "55021720351234"])
    assert code == 2
    assert "card number" in capsys.readouterr().err
    assert card.verify_count == 0 and card.authenticate_count == 0


@pytest.mark.parametrize("name", ["residence-genuine-2", "residence-forged-ca",
                                  "residence-forged-issuer-1"])
def test_no_agency_ca_installed_through_pcscd_is_never_an_accusation(
        serve_card: ServeCard, tmp_path: Path, name: str) -> None:
    card = build_residence_card(name)
    served = serve_card(lambda: card)
    checked = training(tmp_path, simulated=False).check(SourceSpec(reader=served.reader),
                                                         card.card_number)
    assert checked.result.verdict is Verdict.NOT_VERIFIED
    assert checked.result.failing_check is not None
    assert checked.result.failing_check.reason is Reason.NO_PRODUCTION_CA
    assert checked.exit_code == 12

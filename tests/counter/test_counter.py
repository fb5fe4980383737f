"""The application layer: one card at the counter, with the policies every front end shares."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import testcards
from verifier.counter.policy import CounterPolicy
from verifier.counter.sources import SourceSpec, simulated_cards
from verifier.counter.visit import Counter
from verifier.documents.my_number.check_ids import CheckId
from verifier.documents.my_number.code_b import parse_code_b
from verifier.engine.verdict import Reason, Verdict
from verifier.errors import ConfigError

TODAY = date(2026, 11, 23)
CODE = testcards.PERSONAS[0].code_b


def counter(**policy: object) -> Counter:
    return Counter(CounterPolicy(**policy), today=lambda: TODAY)  # type: ignore[arg-type]


def wrong(code_digits: str) -> str:
    return code_digits[:-1] + str((int(code_digits[-1]) + 1) % 10)


def test_simulated_cards_are_a_plugin_found_by_name() -> None:
    plugin = simulated_cards()
    assert "genuine" in plugin.profiles and plugin.persona_count == len(testcards.PERSONAS)
    with pytest.raises(ValueError, match="unknown profile"):
        plugin.check("no-such", persona=0, quirks="")


@pytest.mark.parametrize(("spec", "message"), [
    (SourceSpec(simulated="no-such"), "unknown profile"),
    (SourceSpec(simulated="genuine", persona=99), "persona"),
    (SourceSpec(simulated="genuine", quirks="bogus"), "quirk"),
    (SourceSpec(reader="r", simulated="genuine"), "either"),
    (SourceSpec(reader="r", persona=1), "simulated card"),
])
def test_a_source_that_cannot_be_opened_is_a_usage_error(spec: SourceSpec, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        spec.validate()


def test_every_profile_gets_its_verdict_through_the_counter() -> None:
    desk = counter()
    for name, profile in testcards.PROFILES.items():
        checked = desk.check(SourceSpec(simulated=name), None)
        assert checked.result.verdict is profile.expected, name
        assert checked.result.simulated
        assert checked.reader == f"simulated:{name}"


def test_trust_policy_simulated_ca_only_for_the_plugins_cards() -> None:
    policy = CounterPolicy()
    assert policy.trust(in_process_simulated=False).accepted == frozenset({"production"})
    assert "simulated" in policy.trust(in_process_simulated=True).accepted
    named = CounterPolicy(hierarchies=("jpki-test",))
    assert named.trust(in_process_simulated=False).accepted == {"production", "jpki-test"}
    # a virtual reader's card is simulated (marked, CA acceptable) but the CA is trusted only
    # when named; a physical reader's never is
    assert policy.is_simulated("Virtual PCD 00 00", in_process=False)
    assert not policy.is_simulated("ACS ACR1252 1S CL Reader PICC 00 00", in_process=False)
    assert CounterPolicy(virtual_readers=("lab",)).is_simulated("Lab Reader 0", in_process=False)
    options = policy.options(in_process=False, reader="Virtual PCD 00 00", today=TODAY,
                             decode_photo=False)
    assert options.simulated and "simulated" not in policy.trust(
        in_process_simulated=False).accepted


@pytest.mark.parametrize(("changes", "message"), [
    ({"keep_tries": -1}, "keep-tries"),
    ({"keep_tries": 10}, "keep-tries"),
    ({"hierarchies": ("lab",)}, "unknown hierarchy"),
])
def test_policy_rejects_bad_settings(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        CounterPolicy(**changes)  # type: ignore[arg-type]


def test_broken_trust_file_is_a_config_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(ConfigError):
        CounterPolicy(trust_files=(broken,)).check_trust()


def test_floor_refuses_the_verify_and_the_card_keeps_its_tries() -> None:
    card = testcards.build_card("low-retries")  # 2 tries left
    desk = counter(keep_tries=2)
    visit = desk.attach(card, reader="in-process", in_process=True)
    pre = visit.precheck().result
    assert pre.failing_check is not None and pre.failing_check.reason is Reason.TOO_FEW_TRIES
    assert not visit.may_verify()
    assert card.tries_left("card_face_b") == 2


def test_retype_queries_tries_again_and_sends_one_verify() -> None:
    card = testcards.build_card("genuine")
    visit = counter().attach(card, reader="in-process", in_process=True)
    assert visit.precheck().result.failing_check is None and visit.may_verify()
    rejected = visit.verify(parse_code_b(wrong(CODE.digits))).result
    assert rejected.failing_check is not None
    assert rejected.failing_check.id is CheckId.CODE_B_VERIFY
    assert visit.may_retype(rejected)
    again = visit.retype(CODE).result
    assert again.verdict is Verdict.GENUINE
    assert card.tries_left("card_face_b") == 10  # a right code resets the counter


def test_retype_is_refused_at_the_floor() -> None:
    card = testcards.build_card("genuine")
    visit = counter(keep_tries=9).attach(card, reader="in-process", in_process=True)
    visit.precheck()
    rejected = visit.verify(parse_code_b(wrong(CODE.digits))).result
    assert rejected.card.retries_left == 9 and not visit.may_retype(rejected)
    refused = visit.retype(CODE).result
    assert refused.failing_check is not None
    assert refused.failing_check.reason is Reason.TOO_FEW_TRIES
    assert card.tries_left("card_face_b") == 9


def test_one_audit_record_per_check_and_nothing_personal(tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    desk = counter(audit_log=audit, operator="clerk-7")
    desk.check(SourceSpec(simulated="genuine"), None)
    desk.check(SourceSpec(simulated="blank-chip"), None)
    lines = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    assert [line["verdict"] for line in lines] == ["GENUINE", "COUNTERFEIT_SUSPECTED"]
    assert all(line["operator"] == "clerk-7" and line["simulated"] for line in lines)
    assert CODE.digits not in audit.read_text(encoding="utf-8")


def test_audit_failure_is_reported_not_lost(tmp_path: Path) -> None:
    desk = counter(audit_log=tmp_path / "missing" / "audit.jsonl")
    checked = desk.check(SourceSpec(simulated="genuine"), None)
    assert checked.result.verdict is Verdict.GENUINE
    assert checked.audit_error is not None and "audit log" in checked.audit_error


def test_photo_decoded_only_when_asked() -> None:
    plain = counter().check(SourceSpec(simulated="genuine"), None).result
    assert plain.personal is not None and plain.personal.photo_png is None
    shown = Counter(CounterPolicy(), decode_photo=True, today=lambda: TODAY)
    result = shown.check(SourceSpec(simulated="genuine"), None).result
    assert result.personal is not None and result.personal.photo_png is not None


def test_unreachable_reader_is_a_result() -> None:
    checked = counter().check(SourceSpec(reader="No Such Reader 00 00"), CODE)
    assert checked.result.verdict is Verdict.NOT_VERIFIED


def test_refused_forms_are_remembered_per_reader_not_probed_again() -> None:
    legacy = testcards.parse_quirks("no-extended,no-sfi")
    desk = counter(text_ap=False)

    def exchanges(reader: str) -> int:
        card = testcards.build_card("genuine", quirks=legacy)
        return desk.attach(card, reader=reader, in_process=True).verify(CODE).result.apdu_count

    first, later = exchanges("reader A"), exchanges("reader A")
    assert later < first
    assert exchanges("reader B") == first  # another reader shares nothing


def test_t0_first_card_costs_no_more_than_a_naive_reader() -> None:
    import os

    from apdu.transport import CountingTransport
    from bench.naive import naive_verify

    legacy = testcards.parse_quirks("no-extended,no-sfi,t0")
    naive = CountingTransport(testcards.build_card("genuine", quirks=legacy))
    naive_verify(naive, CODE, os.urandom(32))
    card = testcards.build_card("genuine", quirks=legacy)
    ours = counter(text_ap=False).attach(card, reader="r", in_process=True).verify(CODE).result
    assert ours.verdict is Verdict.GENUINE
    assert ours.apdu_count <= naive.stats.exchanges

"""A verdict a clerk can act on (issue 16): every answer ends in accept, refuse or not accepted;
a chip that will not prove its key, claims a lock or hides its tries is never excused; the
same card not verified again is said plainly; JSON, the audit record and the CLI say it too."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import testcards
from verifier.cli.main import main
from verifier.counter.actions import Action, action_for
from verifier.counter.policy import CounterPolicy
from verifier.counter.sources import SourceSpec
from verifier.counter.visit import Counter
from verifier.documents.my_number.check_ids import CheckId
from verifier.engine.verdict import Reason, Verdict

TODAY = date(2026, 12, 3)
CODE = testcards.PERSONAS[0].code_b
NOT_ACCEPTED_JA = "ICチップで確認できるまで、本人確認書類として受け付けないでください"


def desk(**policy: object) -> Counter:
    return Counter(CounterPolicy(**policy), today=lambda: TODAY)  # type: ignore[arg-type]


@pytest.mark.parametrize(("verdict", "action"), [
    (Verdict.GENUINE, Action.ACCEPT), (Verdict.COUNTERFEIT_SUSPECTED, Action.REFUSE),
    (Verdict.INVALID_CARD, Action.REFUSE), (Verdict.NOT_VERIFIED, Action.NOT_ACCEPTED)])
def test_every_verdict_has_one_action(verdict: Verdict, action: Action) -> None:
    assert action_for(verdict) is action


@pytest.mark.parametrize("name", list(testcards.PROFILES))
def test_every_profile_ends_in_an_action_with_words_in_both_languages(name: str) -> None:
    checked = desk().check(SourceSpec(simulated=name), None)
    assert checked.action is action_for(checked.result.verdict)
    assert checked.next.words.ja and checked.next.words.en
    assert checked.next.words.ja != checked.next.words.en
    if checked.result.verdict is Verdict.NOT_VERIFIED:
        assert checked.next.words.ja.startswith(NOT_ACCEPTED_JA)
    data = checked.to_json()
    assert data["action"] == checked.action.value and data["attempts_in_a_row"] >= 0


# --- a copied chip that will not answer the challenge ------------------------------------------
CHALLENGE_ANSWERS = ("6982", "6985", "6A80", "6D00", "6F00", "silent")


@pytest.mark.parametrize("answer", CHALLENGE_ANSWERS)
def test_a_refused_challenge_is_not_accepted_and_counts_again(answer: str,
                                                              tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    counter = desk(audit_log=audit)
    quirks = testcards.parse_quirks(f"challenge={answer}")
    words = []
    for placement in (1, 2, 3):
        card = testcards.build_card("cloned", quirks=quirks)
        checked = counter.attach(card, reader="in-process", in_process=True).verify(CODE)
        result = checked.result
        failing = result.failing_check
        assert result.verdict is Verdict.NOT_VERIFIED
        assert failing is not None and failing.id is CheckId.CHIP_AUTHENTIC
        assert failing.reason is Reason.CHIP_REFUSED_CHALLENGE
        # never a story of a reading fault
        assert "読み取りに失敗" not in failing.detail.ja and "置き直して" not in failing.detail.ja
        assert checked.action is Action.NOT_ACCEPTED
        assert checked.attempts_in_a_row == placement
        assert card.tries_left("card_face_b") == 10
        words.append(checked.next.words.ja)
    assert "続けて" not in words[0]
    assert "続けて2回確認できませんでした" in words[1] and "お勧めします" in words[1]
    records = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    assert [r["attempts_in_a_row"] for r in records] == [1, 2, 3]
    assert {r["action"] for r in records} == {"not_accepted"}


def test_a_verified_card_starts_the_count_again() -> None:
    counter = desk()
    refusing = testcards.parse_quirks("challenge=6982")
    for _ in range(2):
        counter.attach(testcards.build_card("genuine", quirks=refusing), reader="r",
                       in_process=True).verify(CODE)
    genuine = counter.attach(testcards.build_card("genuine"), reader="r",
                             in_process=True).verify(CODE)
    assert genuine.result.verdict is Verdict.GENUINE and genuine.attempts_in_a_row == 0
    again = counter.attach(testcards.build_card("genuine", quirks=refusing), reader="r",
                           in_process=True).verify(CODE)
    assert again.attempts_in_a_row == 1


def test_a_batch_is_one_session(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    requests = tmp_path / "r.jsonl"
    line = {"simulated": "cloned", "quirks": "challenge=6982", "code_b": CODE.digits}
    requests.write_text("\n".join(json.dumps({"id": n, **line}) for n in (1, 2)) + "\n",
                        encoding="utf-8")
    assert main(["batch", str(requests)]) == 12
    records = [json.loads(text) for text in capsys.readouterr().out.splitlines()]
    assert [r["attempts_in_a_row"] for r in records] == [1, 2]
    assert {r["action"] for r in records} == {"not_accepted"}


def test_the_cli_ends_with_the_next_step(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--simulated", "cloned", "--quirks", "challenge=6D00"]) == 12
    out = capsys.readouterr().out
    last = out.strip().splitlines()[-2:]
    assert last[0].startswith("next: " + NOT_ACCEPTED_JA)
    assert last[1].strip().endswith("(not_accepted)")


# --- what the tries query answers -------------------------------------------------------------
@pytest.mark.parametrize(("answer", "reason"), [
    ("6984", Reason.BLOCKED), ("63C0", Reason.BLOCKED), ("63C2", Reason.TOO_FEW_TRIES),
    ("9000", Reason.KEY_OPEN), ("6983", Reason.TRIES_UNCLEAR), ("6A82", Reason.TRIES_UNCLEAR),
    ("6D00", Reason.TRIES_UNCLEAR)])
def test_a_tries_answer_is_never_an_excuse(answer: str, reason: Reason) -> None:
    card = testcards.build_card("genuine", quirks=testcards.parse_quirks(f"tries={answer}"))
    checked = desk().attach(card, reader="r", in_process=True).verify(CODE)
    failing = checked.result.failing_check
    assert failing is not None and failing.id is CheckId.CODE_B_RETRIES
    assert failing.reason is reason
    assert checked.action is Action.NOT_ACCEPTED
    assert checked.next.words.ja.startswith(NOT_ACCEPTED_JA)
    locked = "ロック" in failing.detail.ja
    assert locked == (reason is Reason.BLOCKED)
    # the other program's story is gone
    assert "他のソフト" not in failing.detail.ja
    assert card.tries_left("card_face_b") == 10  # no VERIFY was sent

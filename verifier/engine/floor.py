"""The tries floor (rule 3), in one place: a VERIFY is sent only with more tries left than the
operator keeps in reserve, so a mistyped code can never cost a customer the last ones."""

from __future__ import annotations

from verifier.engine.verdict import CheckId, Outcome, Result


def may_spend_try(tries_left: int, keep_tries: int) -> bool:
    return tries_left > keep_tries


def confirm_allowed(precheck: Result | None, keep_tries: int) -> bool:
    """May a VERIFY follow this precheck? Only after a clean one, with tries above the floor
    (unknown tries: the engine's own retries check already refused or allowed it)."""
    if precheck is None or precheck.failing_check is not None:
        return False
    retries = precheck.check(CheckId.CODE_B_RETRIES)
    if retries is None or retries.outcome is not Outcome.PASSED:
        return False
    tries = precheck.card.retries_left
    return tries is None or may_spend_try(tries, keep_tries)


def retype_allowed(result: Result | None, keep_tries: int) -> bool:
    """After a rejected code with the card still in place, may the clerk confirm a corrected
    one? The retyped attempt queries the tries again and applies the floor before its VERIFY."""
    if result is None:
        return False
    failing = result.failing_check
    if failing is None or failing.id is not CheckId.CODE_B_VERIFY:
        return False
    tries = result.card.retries_left
    return tries is not None and may_spend_try(tries, keep_tries)

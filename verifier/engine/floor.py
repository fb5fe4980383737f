"""The tries floor (rule 3), in one place: a VERIFY is sent only with more tries left than the
operator keeps in reserve, so a mistyped code can never cost a customer the last ones."""

from __future__ import annotations

from verifier.engine.verdict import Reason, Result


def may_spend_try(tries_left: int, keep_tries: int) -> bool:
    return tries_left > keep_tries


def confirm_allowed(precheck: Result | None, keep_tries: int) -> bool:
    """May a VERIFY follow this precheck? Only after a clean one, with tries above the floor (a
    document whose key reports no tries — the residence card's number — has none to keep)."""
    if precheck is None or precheck.failing_check is not None:
        return False
    tries = precheck.card.retries_left
    return tries is None or may_spend_try(tries, keep_tries)


def retype_allowed(result: Result | None, keep_tries: int) -> bool:
    """After a rejected key (a code B, a card number) with the card still in place, may the
    clerk confirm a corrected one? The retyped attempt queries the tries again and applies the
    floor before its VERIFY."""
    if result is None:
        return False
    failing = result.failing_check
    if failing is None or failing.reason not in (Reason.CODE_REJECTED, Reason.NUMBER_REJECTED):
        return False
    tries = result.card.retries_left
    return tries is None or may_spend_try(tries, keep_tries)

"""The kinds of simulated card: a genuine card and each counterfeit the checks must catch.

Names and expected results are part of the interface (tests, demo, GUI training mode).
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.engine.verdict import CheckId, Verdict


@dataclass(frozen=True)
class Profile:
    name: str
    expected: Verdict
    failing_check: CheckId | None
    description: str


_C = Verdict.COUNTERFEIT_SUSPECTED

PROFILES: dict[str, Profile] = {profile.name: profile for profile in (
    Profile("genuine", Verdict.GENUINE, None,
            "a card issued by the simulated CA; every check passes"),
    Profile("blank-chip", _C, CheckId.AP_CARD_FACE,
            "a printed face on a blank chip: SELECT of any AID answers 6A82"),
    Profile("yes-card", _C, CheckId.CERTIFICATE_TRUSTED,
            "a chip that answers 9000 with junk bytes to every command"),
    Profile("forged-issuer", _C, CheckId.CERTIFICATE_TRUSTED,
            "certificates name the production issuer 5000023/001 but the forger signed them"),
    Profile("unknown-issuer", _C, CheckId.CERTIFICATE_TRUSTED,
            "certificates name issuer 7000023/001, in no trusted table; consistent otherwise"),
    Profile("tampered-photo", _C, CheckId.CARD_FACE_SIGNATURE,
            "the chip photo was changed after signing"),
    Profile("tampered-birth", _C, CheckId.CARD_FACE_SIGNATURE,
            "the birth date (DF22) was changed after signing, and 照合番号B changed to match"),
    Profile("cloned", _C, CheckId.CHIP_AUTHENTIC,
            "genuine files copied onto another chip with a different private key"),
    Profile("expired", Verdict.INVALID_CARD, CheckId.CARD_NOT_EXPIRED,
            "a genuine card whose expiry date (2024) has passed"),
    Profile("low-retries", Verdict.NOT_VERIFIED, CheckId.CODE_B_RETRIES,
            "a genuine card with 2 照合番号B tries left"),
    Profile("locked", Verdict.NOT_VERIFIED, CheckId.CODE_B_RETRIES,
            "a genuine card whose 照合番号B is blocked (6984)"),
    Profile("text-mismatch", _C, CheckId.TEXT_AP_CONSISTENT,
            "the text AP is validly signed but holds another birth date than the card face"),
    Profile("text-tampered", _C, CheckId.TEXT_AP_SIGNATURE,
            "the name in the text AP was changed after signing"),
)}

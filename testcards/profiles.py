"""The kinds of simulated card: a genuine card and each counterfeit the checks must catch.

One entry per profile, in one table: its name, the verdict and failing check it must get, and
the data-level variations that make it what it is. `builder` applies the variations and never
asks for a profile by name, so a new counterfeit built from known variations is one entry here.

Names and expected results are part of the interface (tests, demo, GUI training mode).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from verifier.documents.my_number import constants as p
from verifier.documents.my_number.check_ids import CheckId
from verifier.engine.verdict import Verdict


class Chip(enum.Enum):
    MY_NUMBER = "my-number"  # the card-face, text and JPKI APs
    BLANK = "blank"  # no AP at all: SELECT of any AID answers 6A82
    YES_CARD = "yes-card"  # 9000 with junk bytes to every command


class Authority(enum.Enum):
    """Who signed the certificates in EF 0004, and which issuer they name."""

    SIMULATED = "simulated"  # the simulated CA, naming its own key ids
    FORGED = "forged"  # the forger's key, naming the production issuer
    UNKNOWN = "unknown"  # the forger's key, naming an issuer in no trusted table


class FaceEdit(enum.Enum):
    """What changed in the stored card face (EF 0002) after the issuer signed it."""

    NONE = "none"
    FLIP_PHOTO = "flip-photo"  # one byte of the photo codestream, its length kept
    BIRTH_AS_PRINTED = "birth-as-printed"  # DF22 rewritten to the altered printed birth date


class TextEdit(enum.Enum):
    """A change to the text AP's basic four (EF 0002)."""

    NONE = "none"
    BIRTH_NEXT_DAY = "birth-next-day"
    NAME_FORGED = "name-forged"  # the first character of the name replaced


@dataclass(frozen=True)
class Profile:
    name: str
    expected: Verdict
    failing_check: CheckId | None
    description: str
    chip: Chip = Chip.MY_NUMBER
    authority: Authority = Authority.SIMULATED
    #: The card as issued expires in this year (printed face, DF29 and code B agree).
    expiry_year: int | None = None
    #: Years the forger moved the printed birth date; the issuer signed the true one.
    printed_birth_shift_years: int = 0
    #: The forger re-keyed 照合番号B to the code typed from the altered printed face.
    code_b_follows_print: bool = False
    face_edit: FaceEdit = FaceEdit.NONE
    code_b_tries: int = p.CODE_B_MAX_TRIES
    #: The issued files on another chip, whose private key is not the one DF24 names.
    cloned: bool = False
    #: Before signing: the issuer signed text that disagrees with the card face.
    text_signed_edit: TextEdit = TextEdit.NONE
    #: After signing: the text no longer matches the integrity record.
    text_tampered_edit: TextEdit = TextEdit.NONE


_C = Verdict.COUNTERFEIT_SUSPECTED

PROFILES: dict[str, Profile] = {profile.name: profile for profile in (
    Profile("genuine", Verdict.GENUINE, None,
            "a card issued by the simulated CA; every check passes"),
    Profile("blank-chip", _C, CheckId.AP_CARD_FACE,
            "a printed face on a blank chip: SELECT of any AID answers 6A82",
            chip=Chip.BLANK),
    Profile("yes-card", _C, CheckId.CERTIFICATE_TRUSTED,
            "a chip that answers 9000 with junk bytes to every command",
            chip=Chip.YES_CARD),
    Profile("forged-issuer", _C, CheckId.CERTIFICATE_TRUSTED,
            "certificates name the production issuer 5000023/001 but the forger signed them",
            authority=Authority.FORGED),
    Profile("unknown-issuer", _C, CheckId.CERTIFICATE_TRUSTED,
            "certificates name issuer 7000023/001, in no trusted table; consistent otherwise",
            authority=Authority.UNKNOWN),
    Profile("tampered-photo", _C, CheckId.CARD_FACE_SIGNATURE,
            "the chip photo was changed after signing",
            face_edit=FaceEdit.FLIP_PHOTO),
    Profile("tampered-birth", _C, CheckId.CARD_FACE_SIGNATURE,
            "the birth date (DF22) was changed after signing, and 照合番号B changed to match",
            printed_birth_shift_years=-3, code_b_follows_print=True,
            face_edit=FaceEdit.BIRTH_AS_PRINTED),
    Profile("cloned", _C, CheckId.CHIP_AUTHENTIC,
            "genuine files copied onto another chip with a different private key",
            cloned=True),
    Profile("expired", Verdict.INVALID_CARD, CheckId.CARD_NOT_EXPIRED,
            "a genuine card whose expiry date (2024) has passed",
            expiry_year=2024),
    Profile("low-retries", Verdict.NOT_VERIFIED, CheckId.CODE_B_RETRIES,
            "a genuine card with 2 照合番号B tries left",
            code_b_tries=2),
    Profile("locked", Verdict.NOT_VERIFIED, CheckId.CODE_B_RETRIES,
            "a genuine card whose 照合番号B is blocked (6984)",
            code_b_tries=0),
    Profile("text-mismatch", _C, CheckId.TEXT_AP_CONSISTENT,
            "the text AP is validly signed but holds another birth date than the card face",
            text_signed_edit=TextEdit.BIRTH_NEXT_DAY),
    Profile("text-tampered", _C, CheckId.TEXT_AP_SIGNATURE,
            "the name in the text AP was changed after signing",
            text_tampered_edit=TextEdit.NAME_FORGED),
)}

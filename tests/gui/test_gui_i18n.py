"""The catalogue: every key has both languages, and every check id has a name."""

from __future__ import annotations

import pytest

from gui.i18n import Language, check_name, text, verdict_label
from verifier.documents.my_number.check_ids import CheckId
from verifier.engine.verdict import Verdict

pytestmark = pytest.mark.gui


def test_verdict_labels() -> None:
    assert verdict_label(Verdict.GENUINE, Language.JA) == "真正"
    assert verdict_label(Verdict.COUNTERFEIT_SUSPECTED, Language.JA) == "偽造の疑い"
    assert verdict_label(Verdict.INVALID_CARD, Language.JA) == "無効なカード"
    assert verdict_label(Verdict.NOT_VERIFIED, Language.JA) == "確認できず"
    assert verdict_label(Verdict.GENUINE, Language.EN) == "Genuine"


@pytest.mark.parametrize("check_id", list(CheckId))
def test_every_check_named_in_both(check_id: CheckId) -> None:
    ja, en = check_name(check_id, Language.JA), check_name(check_id, Language.EN)
    assert ja and en and ja != check_id.value and en != ja


def test_fields_filled() -> None:
    assert text("tries.left", Language.JA, tries=7) == "照合番号Bの残り回数：7回"
    assert "7" in text("tries.left", Language.EN, tries=7)

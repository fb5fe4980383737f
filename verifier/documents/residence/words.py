"""What the residence card's checks say to a clerk, in Japanese and English: its check names,
what each passed check says, and the failures whose engine wording speaks of another document.

Everything else (the reader, the card removed, a timeout, an expired card) is worded once for
every document in `verifier.engine.messages`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from verifier.documents.residence.card_type import CardType, Generation
from verifier.documents.residence.check_ids import ResidenceCheck
from verifier.engine import messages as m
from verifier.engine.verdict import Check, Detail, Outcome, Reason

RESIDENCE_CARD = Detail("在留カード", "residence card")
SPR_CERTIFICATE = Detail("特別永住者証明書", "special permanent resident certificate")
#: What the clerk calls either before the chip said which (one key opens both).
EITHER = Detail("在留カード・特別永住者証明書", "residence card / special permanent resident "
                "certificate")

CHECK_NAMES: Mapping[str, Detail] = MappingProxyType({
    ResidenceCheck.CHIP_PRESENT: Detail("ICチップの応答", "Chip answers"),
    ResidenceCheck.DOCUMENT_TYPE: Detail("在留カード等としての応答", "Residence-card chip"),
    ResidenceCheck.CARD_NUMBER_VERIFY: Detail("在留カード等番号の照合", "Card number"),
    ResidenceCheck.CERTIFICATE_TRUSTED: Detail("証明書の発行元", "Certificate issuer"),
    ResidenceCheck.DOCUMENT_SIGNATURE: Detail("記録の電子署名", "Signature over the card's data"),
    ResidenceCheck.CARD_NOT_EXPIRED: Detail("有効期限", "Expiry"),
    ResidenceCheck.PRINTED_FACE: Detail("券面の印字とICチップの一致",
                                        "Printed face matches the chip"),
})


def title(card_type: CardType | None) -> Detail:
    if card_type is None:
        return EITHER
    return SPR_CERTIFICATE if card_type.is_spr else RESIDENCE_CARD


def _document_answered(card_type: CardType | None) -> Detail:
    name = title(card_type)
    generation = ""
    if card_type is not None:
        generation = "第1世代" if card_type.generation is Generation.FIRST else "第2世代"
    english = (f"{name.en}, generation {int(card_type.generation)}" if card_type is not None
               else name.en)
    return Detail(f"{name.ja}（{generation}）として応答しました" if generation
                  else f"{name.ja}として応答しました", f"the chip answers as a {english}")


def _signature_passed(card_type: CardType | None) -> Detail:
    if card_type is not None and card_type.generation is Generation.FIRST:
        return Detail("券面画像と顔写真の電子署名は正しいです",
                      "the signature over the front-of-card image and the photo is valid")
    return Detail("記載事項・氏名画像・顔写真の電子署名は正しいです",
                  "the signature over the printed entries, name image and photo is valid")


EXPIRY_IN_IMAGE = Detail(
    "第1世代のカードはICチップに有効期限の値がありません。表示される券面画像の有効期限を"
    "目で確認してください",
    "first generation: the chip holds the expiry only inside the front-of-card image; check it "
    "there by eye")

FAILED: Mapping[Reason, Detail] = MappingProxyType({
    Reason.BAD_SIGNATURE: Detail(
        "カードの記録（顔写真・記載事項）が改ざんされています（偽造の疑いがあります）",
        "the card's data does not match the issuer's signature: altered"),
    Reason.NO_CHIP_ANSWER: Detail(
        "ICチップが応答しません。在留カード・特別永住者証明書には必ずICチップがあります。"
        "置き直しても読めない場合は、本人確認書類として受け付けないでください。",
        "the chip does not answer: every residence card has a chip; if it cannot be read after "
        "placing it again, do not accept it as an ID document"),
    Reason.UNTRUSTED_HIERARCHY: Detail(
        "試験用のカード（出入国在留管理庁の見本カードなど）です。本人確認には使えません",
        "a test card (the Agency's sample-card CA, or the simulated CA): never a person's ID"),
})


def passed(check: ResidenceCheck, card_type: CardType | None, detail: str,
           authority: str | None = None) -> Check:
    """`authority`: the CA the card certificate chained to, by its name in the trust store
    (the Agency's table name, the simulated CA's, an operator's file)."""
    text: Detail | None = None
    if check is ResidenceCheck.DOCUMENT_TYPE:
        text = _document_answered(card_type)
    elif check is ResidenceCheck.CARD_NUMBER_VERIFY:
        text = Detail("在留カード等番号が一致しました", "the chip accepted the card number")
    elif check is ResidenceCheck.CERTIFICATE_TRUSTED:
        name = authority or "?"
        text = Detail(f"発行者「{name}」の証明書を確認しました",
                      f"the card certificate chains to a trusted CA ({detail})")
    elif check is ResidenceCheck.DOCUMENT_SIGNATURE:
        text = _signature_passed(card_type)
    return m.passed(check, text)


def failed(check: ResidenceCheck, reason: Reason, cause: str = "") -> Check:
    base = FAILED.get(reason) or m.FAILED[reason]
    text = Detail(base.ja, f"{base.en} ({cause})") if cause else base
    return Check(check, Outcome.FAILED, text, reason)


def skipped(check: ResidenceCheck) -> Check:
    if check is ResidenceCheck.CARD_NOT_EXPIRED:
        return Check(check, Outcome.SKIPPED, EXPIRY_IN_IMAGE)
    return Check(check, Outcome.SKIPPED, m.SKIPPED_BY_OPTION)


# --- the entries shown as text (second generation) --------------------------------------------
NATIONALITY = Detail("国籍・地域", "Nationality / region")
STATUS = Detail("在留資格", "Status of residence")
PERIOD = Detail("在留期間", "Period of stay")
RESIDENCE_EXPIRY = Detail("在留期間の満了日", "Period of stay ends")
PERMISSION = Detail("許可の種類", "Permission")
PERMISSION_DATE = Detail("許可年月日", "Permission date")
WORK = Detail("就労制限の有無", "Work restriction")
CARD_EXPIRY = Detail("カードの有効期間の満了日", "Card valid until")
BIRTH = Detail("生年月日", "Birth date")
SEX = Detail("性別", "Sex")
SEXES = {"1": "男 / M", "2": "女 / F"}

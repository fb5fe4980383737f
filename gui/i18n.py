"""The GUI's words in Japanese (first) and English, switchable at runtime.

A plain catalogue instead of Qt Linguist: the app has a few dozen strings and no translator
toolchain on the counter PCs. Check details come from the engine (Detail.ja / Detail.en).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

from verifier.engine.verdict import CheckId, Verdict


class Language(enum.StrEnum):
    JA = "ja"
    EN = "en"


def parse_language(value: object) -> Language:
    """A stored or typed language code; anything unknown falls back to Japanese."""
    try:
        return Language(str(value))
    except ValueError:
        return Language.JA


_MESSAGES: Mapping[str, tuple[str, str]] = MappingProxyType({
    "app.title": ("マイナンバーカード真正性確認", "My Number Card check"),
    "reader.label": ("読み取り機", "Reader"),
    "reader.none": ("読み取り機がありません", "No reader connected"),
    "reader.any": ("カードを置いた読み取り機", "The reader a card is placed on"),
    "reader.missing": ("{reader}（未接続）", "{reader} (not connected)"),
    "reader.waiting": ("読み取り機「{reader}」が接続されていません。接続されるのを待っています",
                       "Reader \"{reader}\" is not connected. Waiting for it"),
    "reader.virtual_refused": ("「{reader}」は仮想リーダー（模擬カード用）です。訓練モードでのみ"
                               "使えます（設定 → 訓練モード）。カードは読み取っていません",
                               "\"{reader}\" is a virtual reader (simulated cards), usable "
                               "only in training mode (Settings → Training mode). The card "
                               "was not read"),
    "training.title": ("訓練モード", "TRAINING MODE"),
    "training.banner": ("訓練モード — 仮想リーダーの模擬カードも読み取ります。窓口での本人確認には"
                        "使わないでください",
                        "Training mode — simulated cards on virtual readers are read too. "
                        "Do not use for checks at the counter"),
    "verdict.simulated": ("（訓練用・模擬カード）", " (training — simulated card)"),
    "settings.training": ("訓練モード（仮想リーダーを許可）",
                          "Training mode (allow virtual readers)"),
    "settings.virtual_readers": ("仮想リーダーとして扱う名前（カンマ区切り）",
                                 "Also treat as virtual (names, comma-separated)"),
    "state.no_reader": ("読み取り機を接続してください", "Connect a card reader"),
    "state.no_card": ("カードを読み取り機に置いてください", "Place the card on the reader"),
    "state.reading": ("読み取り中…カードを動かさないでください",
                      "Reading… do not move the card"),
    "state.card_present": ("カードがあります。券面の3項目を入力してください",
                           "Card present. Enter the three items printed on the card"),
    "state.done": ("確認が終わりました", "Check finished"),
    "state.removed": ("カードが取り外されました。表示を消去しました",
                      "Card removed. The screen was cleared"),
    "state.idle_wiped": ("一定時間操作がなかったため表示を消去しました。"
                         "もう一度確認するにはカードを置き直してください",
                         "Cleared after inactivity. Place the card again to re-check"),
    "state.error": ("読み取り機のエラー: {message}", "Reader error: {message}"),
    "simulated.banner": ("シミュレーション（訓練用）— 実在のカードではありません。"
                         "訓練用の認証局を自動的に信頼しています",
                         "SIMULATION (training) — not a real card. The simulated CA is "
                         "trusted automatically"),
    "simulated.profile": ("カードの種類", "Card profile"),
    "simulated.persona": ("人物", "Persona"),
    "simulated.insert": ("カードを置く", "Insert card"),
    "simulated.remove": ("カードを取る", "Remove card"),
    "code.title": ("照合番号B（券面の記載どおりに入力）", "Code B (as printed on the card)"),
    "code.birth": ("生年月日", "Birth date"),
    "code.era.gregorian": ("西暦", "Gregorian"),
    "code.year": ("年", "Y"),
    "code.month": ("月", "M"),
    "code.day": ("日", "D"),
    "code.expiry": ("有効期限（西暦の年）", "Expiry year (Gregorian)"),
    "code.security": ("セキュリティコード（4桁）", "Security code (4 digits)"),
    "tries.refused_short": ("照合番号Bの残り回数: {tries} 回 — "
                            "下限 {floor} 回以下のため照合しません",
                            "Code B tries left: {tries} — at or below the floor ({floor}): "
                            "the code will not be tried"),
    "code.gregorian_note": ("西暦：生年月日が西暦で記載されたカード（外国籍の方など）",
                            "Gregorian: birth date printed in Gregorian (foreign residents)"),
    "code.incomplete": ("{field}を入力してください", "Enter the {field}"),
    "code.field.year": ("生年月日の年", "birth year"),
    "code.field.month": ("生年月日の月", "birth month"),
    "code.field.day": ("生年月日の日", "birth day"),
    "code.field.expiry": ("有効期限の年（4桁）", "expiry year (4 digits)"),
    "code.field.security": ("セキュリティコード（4桁）", "security code (4 digits)"),
    "code.ready": ("入力内容を確認して「確認する」を押してください",
                   "Check the entries, then press Confirm"),
    "code.invalid": ("入力エラー: {message}", "Input error: {message}"),
    "code.no_date": ("存在しない日付です", "No such date"),
    "confirm": ("確認する（Enter）", "Confirm (Enter)"),
    "clear": ("消去（Esc）", "Clear (Esc)"),
    "tries.left": ("照合番号Bの残り回数: {tries} 回", "Code B tries left: {tries}"),
    "tries.verified": ("照合番号B: 照合済み", "Code B: already verified"),
    "tries.refused": (
        "残り回数が {tries} 回しかないため照合しません（下限 {floor} 回）。"
        "入力を誤るとカードがロックされます。お客様に市区町村の窓口で"
        "確認（ロック解除）を受けるよう案内してください。",
        "Only {tries} tries left (floor {floor}): the app will not try the code. A mistake "
        "would lock the card. Ask the customer to go to their municipal office."),
    "progress.step": ("確認中: {step}", "Checking: {step}"),
    "progress.precheck": ("カードを確認しています…", "Checking the card…"),
    "result.precheck_ok": ("チップを確認しました。照合番号Bを入力してください",
                           "Chip found. Enter code B"),
    "result.failing": ("理由: {check} — {detail}", "Reason: {check} — {detail}"),
    "result.photo": ("ICチップの顔写真", "Photo from the chip"),
    "result.no_photo": ("（写真なし）", "(no photo)"),
    "result.name": ("氏名", "Name"),
    "result.address": ("住所", "Address"),
    "result.birth": ("生年月日", "Birth date"),
    "result.sex": ("性別", "Sex"),
    "result.expiry": ("有効期限", "Expiry"),
    "checks.col.check": ("確認項目", "Check"),
    "checks.col.outcome": ("結果", "Outcome"),
    "checks.col.detail": ("詳細", "Detail"),
    "outcome.passed": ("合格", "passed"),
    "outcome.failed": ("不合格", "failed"),
    "outcome.skipped": ("省略", "skipped"),
    "outcome.not_run": ("未実施", "not run"),
    "sex.1": ("男", "male"),
    "sex.2": ("女", "female"),
    "sex.0": ("不明", "unknown"),
    "sex.9": ("適用不能", "not applicable"),
    "next.GENUINE": (
        "ICチップの顔写真を目の前のご本人と券面の写真の両方と見比べてください。"
        "氏名・住所・生年月日が券面と一致することも確認してください。",
        "Compare the chip photo with the person in front of you and with the printed card. "
        "Check that name, address and birth date match the card face."),
    "next.COUNTERFEIT_SUSPECTED": (
        "本人確認書類として受け付けないでください。カードを返却せず、"
        "責任者に報告し、所定の手順（警察への相談など）に従ってください。",
        "Do not accept this card as ID. Keep the card if your procedure says so, inform your "
        "supervisor and follow the procedure for suspected forgeries."),
    "next.INVALID_CARD": (
        "本人確認書類として受け付けないでください（有効期限切れ、または試験用カード）。"
        "お客様に有効なカードか別の本人確認書類を求めてください。",
        "Do not accept this card as ID (expired, or a test card). Ask for a valid card or "
        "another ID document."),
    "next.NOT_VERIFIED": (
        "確認できませんでした。入力した数字を券面ともう一度見比べてください。"
        "誤りがあれば、カードを置いたまま入力し直して「確認する」を押せます。"
        "正しく入力しても一致しない場合、券面とICチップが一致していない可能性があります。"
        "別の本人確認書類を求めてください。",
        "Could not verify. Re-check the digits against the card. If one was mistyped, correct "
        "it and confirm again; the card can stay on the reader. If they are right and still "
        "rejected, the printed face does not belong to this chip: ask for another ID."),
    "next.blocked": (
        "照合番号Bがロックされています。お客様に市区町村の窓口でロック解除を受けるよう"
        "案内してください。",
        "Code B is blocked. Ask the customer to have it unlocked at their municipal office."),
    "next.no_chip": (
        "マイナンバーのICチップがありません — 偽造の疑いがあります。",
        "No My Number chip — counterfeit suspected."),
    "menu.settings": ("設定", "Settings"),
    "menu.language": ("English", "日本語"),
    "settings.title": ("設定", "Settings"),
    "settings.reader": ("読み取り機", "Reader"),
    "settings.language": ("言語", "Language"),
    "settings.idle": ("自動消去までの秒数", "Clear after idle seconds"),
    "settings.floor": ("残しておく照合回数（下限）", "Tries to keep (floor)"),
    "settings.trust": ("追加の信頼ファイル（1行に1つ）", "Extra trust files (one per line)"),
    "settings.audit": ("監査ログのファイル（空欄で記録しない）",
                       "Audit log file (empty: no log)"),
    "settings.save": ("保存", "Save"),
    "settings.cancel": ("キャンセル", "Cancel"),
    "error.trust": ("信頼ファイルを読み込めません: {message}",
                    "Cannot load a trust file: {message}"),
})

_CHECK_NAMES: Mapping[CheckId, tuple[str, str]] = MappingProxyType({
    CheckId.CHIP_PRESENT: ("ICチップの応答", "Chip answers"),
    CheckId.AP_CARD_FACE: ("券面事項確認AP", "Card-face application"),
    CheckId.CERTIFICATE_TRUSTED: ("証明書の発行元", "Certificate issuer"),
    CheckId.CODE_B_RETRIES: ("照合番号Bの残り回数", "Code B tries left"),
    CheckId.CODE_B_VERIFY: ("照合番号Bの照合", "Code B"),
    CheckId.CARD_FACE_SIGNATURE: ("券面データの署名", "Card-face signature"),
    CheckId.CHIP_AUTHENTIC: ("チップの真正性（署名応答）", "Chip authenticity (challenge)"),
    CheckId.CODE_B_CONSISTENT: ("入力と券面データの一致", "Code B matches chip data"),
    CheckId.CARD_NOT_EXPIRED: ("有効期限", "Expiry"),
    CheckId.TEXT_AP_SIGNATURE: ("入力補助APの署名", "Text application signature"),
    CheckId.TEXT_AP_CONSISTENT: ("入力補助APの一致", "Text application consistency"),
    CheckId.PRINTED_FACE: ("券面の印字とICチップの一致", "Printed face matches the chip"),
})

#: Birth-date eras as printed on the card, in selector order; "" is Gregorian (西暦).
ERAS: tuple[str, ...] = ("明治", "大正", "昭和", "平成", "令和", "")
DEFAULT_ERA = "昭和"
ERA_ROMAN: Mapping[str, str] = MappingProxyType(
    {"明治": "Meiji", "大正": "Taisho", "昭和": "Showa", "平成": "Heisei", "令和": "Reiwa"})


def text(key: str, language: Language, **values: object) -> str:
    """The message `key` in `language`, with `{name}` fields filled from `values`."""
    ja, en = _MESSAGES[key]
    template = ja if language is Language.JA else en
    return template.format(**values) if values else template


def has_text(key: str) -> bool:
    return key in _MESSAGES


def check_name(check_id: CheckId, language: Language) -> str:
    ja, en = _CHECK_NAMES.get(check_id, (str(check_id), str(check_id)))
    return ja if language is Language.JA else en


def verdict_label(verdict: Verdict, language: Language) -> str:
    return verdict.label_ja if language is Language.JA else verdict.label_en


def era_label(era: str, language: Language) -> str:
    if not era:
        return text("code.era.gregorian", language)
    return era if language is Language.JA else f"{era} {ERA_ROMAN[era]}"

"""The GUI's words in Japanese (first) and English, switchable at runtime.

A plain catalogue instead of Qt Linguist: the app has a few dozen strings and no translator
toolchain on the counter PCs. Check details come from the engine (verifier/engine/messages.py,
Detail.ja / Detail.en). The Japanese is what the clerk reads: one polite register, full-width
punctuation (「理由：」), no status words or English; technical detail is only in the English
text and the tooltips of the details table.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

from verifier.counter.codes import ERA_NAMES, GREGORIAN
from verifier.counter.documents import check_names
from verifier.engine.verdict import Verdict


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
    "reader.virtual_refused": ("「{reader}」は仮想読み取り機（模擬カード用）です。訓練モードでのみ"
                               "使えます（設定 → 訓練モード）。カードは読み取っていません",
                               "\"{reader}\" is a virtual reader (simulated cards), usable "
                               "only in training mode (Settings → Training mode). The card "
                               "was not read"),
    "training.title": ("訓練モード", "TRAINING MODE"),
    "trust.banner": ("本番の発行者以外も信頼しています：{names}",
                     "Trusting more than the production issuer (J-LIS): {names}"),
    "training.banner": ("訓練モード — 仮想読み取り機の模擬カードも読み取ります。"
                        "窓口での本人確認には使わないでください",
                        "Training mode — simulated cards on virtual readers are read too. "
                        "Do not use for checks at the counter"),
    "verdict.simulated": ("（訓練用・模擬カード）", " (training — simulated card)"),
    "settings.training": ("訓練モード（仮想読み取り機を許可）",
                          "Training mode (allow virtual readers)"),
    "settings.virtual_readers": ("仮想読み取り機として扱う名前（カンマ区切り）",
                                 "Also treat as virtual (names, comma-separated)"),
    "state.no_reader": ("読み取り機を接続してください", "Connect a card reader"),
    "state.no_service": ("カードを読み取るためのサービス（PC/SC）が動いていません。"
                         "パソコンを再起動するか、管理者に連絡してください",
                         "The smart-card service (PC/SC) is not running. Restart the PC or "
                         "ask your administrator"),
    "state.no_card": ("カードを読み取り機に置いてください。置いてもICチップが応答しないカードは、"
                      "本人確認書類として受け付けないでください",
                      "Place the card on the reader. A card whose chip does not answer is not "
                      "accepted as ID"),
    "state.other_reader": ("カードが別の読み取り機（{reader}）に置かれています。"
                           "「{selected}」に置き直すか、読み取り機を選び直してください",
                           "The card is on another reader ({reader}). Place it on "
                           "\u201c{selected}\u201d or choose that reader"),
    "state.reading": ("読み取り中です。カードを動かさないでください",
                      "Reading… do not move the card"),
    "state.card_present": ("券面を見て、照合番号Bの3項目を入力してください",
                           "Enter the three items printed on the card"),
    "state.done": ("カードを取ってください", "Take the card off the reader"),
    "state.no_chip": ("ICチップが応答しません。カードを置き直すと、もう一度確認します",
                      "No chip answers. Place the card again to re-check"),
    "state.retype": ("数字を直して「確認する」を押してください",
                     "Correct the digits and press Confirm"),
    "state.removed": ("次のカードを置いてください", "Place the next card"),
    "state.cleared": ("表示を消去しました。もう一度確認するにはカードを置き直してください",
                      "Cleared. Place the card again to re-check"),
    "state.idle_wiped": ("一定時間操作がなかったため表示を消去しました。"
                         "もう一度確認するにはカードを置き直してください",
                         "Cleared after inactivity. Place the card again to re-check"),
    "state.error": ("読み取り機でエラーが発生しました。カードを置き直してください",
                    "Reader error: {message}"),
    "simulated.banner": ("シミュレーション（訓練用）— 実在のカードではありません。"
                         "訓練用の認証局を自動的に信頼しています",
                         "SIMULATION (training) — not a real card. The simulated CA is "
                         "trusted automatically"),
    "simulated.profile": ("カードの種類", "Card profile"),
    "simulated.persona": ("人物", "Persona"),
    "simulated.insert": ("カードを置く", "Insert card"),
    "simulated.remove": ("カードを取る", "Remove card"),
    "simulated.face": ("券面の記載（訓練用）：生年月日 {birth}　有効期限 {expiry}　"
                       "セキュリティコード {security}",
                       "Printed on this card (training): birth {birth}, expiry {expiry}, "
                       "security code {security}"),
    "simulated.face_number": ("券面の記載（訓練用）：{document}　在留カード等番号 {number}",
                              "Printed on this card (training): {document}, card number "
                              "{number}"),
    "code.title": ("照合番号B（券面の記載どおりに入力）", "Code B (as printed on the card)"),
    "code.birth": ("生年月日", "Birth date"),
    "code.era.gregorian": ("西暦", "Gregorian"),
    "code.year": ("年", "Y"),
    "code.month": ("月", "M"),
    "code.day": ("日", "D"),
    "code.expiry": ("有効期限（西暦の年）", "Expiry year (Gregorian)"),
    "code.security": ("セキュリティコード（4桁）", "Security code (4 digits)"),
    "tries.refused_short": ("照合番号Bの残り回数：{tries}回。"
                            "残り回数が下限（{floor}回）以下のため照合しません",
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
    "code.invalid": ("入力エラー：{message}", "Input error: {message}"),
    "code.same_as_rejected": ("一致しなかった番号のままです。"
                              "券面と見比べて、違う欄を直してください",
                              "This is the code that was rejected: correct the field that "
                              "differs from the card"),
    "code.no_date": ("存在しない日付です", "No such date"),
    "number.title": ("在留カード等番号（券面の記載どおりに入力）",
                     "Card number (as printed on the card)"),
    "number.label": ("番号（英字2文字・数字8桁・英字2文字）",
                     "Number (2 letters, 8 digits, 2 letters)"),
    "number.note": ("小文字・全角でも入力できます。0とO、1とIの違いに注意してください",
                    "Lower-case and full-width characters are accepted; mind 0 and O, 1 and I"),
    "number.same_as_rejected": ("一致しなかった番号のままです。"
                                "券面と見比べて、違う文字を直してください",
                                "This is the number that was rejected: correct the character "
                                "that differs from the card"),
    "state.card_present.card_number": ("券面を見て、在留カード等番号（12文字）を入力してください",
                                       "Enter the card number printed on the card "
                                       "(12 characters)"),
    "state.retype.card_number": ("番号を直して「確認する」を押してください",
                                 "Correct the number and press Confirm"),
    "picture.failed.card_number": ("画像から番号を読み取れませんでした。番号を入力してください",
                                   "The number could not be read from the picture: type it"),
    "document.my_number_card": ("マイナンバーカード", "My Number Card"),
    "document.residence_card": ("在留カード", "Residence card"),
    "document.special_permanent_resident_certificate": ("特別永住者証明書",
                                                        "Special permanent resident "
                                                        "certificate"),
    "document.generation": ("{document}（第{generation}世代）",
                            "{document} (generation {generation})"),
    "result.precheck_document": ("ICチップを確認しました：{document}", "Chip found: {document}"),
    "result.document": ("ICチップの記録：{document}", "From the chip: {document}"),
    "result.front": ("ICチップの券面画像", "The card's front, from the chip"),
    "result.compare_front": ("手元のカードの券面と、この券面画像を見比べてください",
                             "Compare the card in hand with this image of its front"),
    "result.address_unsigned": ("この住所の画像は電子署名の対象外です（書き換えられていても"
                                "検出できません）",
                                "This address image is not covered by the signature (a change "
                                "would not be detected)"),
    "result.entries": ("記載事項", "Entries"),
    "confirm": ("確認する（Enter）", "Confirm (Enter)"),
    "clear": ("消去（Esc）", "Clear (Esc)"),
    "picture.file": ("画像から読み取る", "Read from a picture"),
    "picture.camera": ("カメラで読み取る", "Read with the camera"),
    "picture.reading": ("券面の画像を読み取っています…", "Reading the picture of the card…"),
    "picture.done": ("読み取った内容を券面と見比べてから「確認する」を押してください",
                     "Compare what was read with the card, then press Confirm"),
    "picture.check": ("色の付いた欄は読み取りが不確かです。券面と見比べて直してください",
                      "The marked fields were not read surely: compare them with the card"),
    "picture.failed": ("画像を読み取れませんでした。数字を入力してください",
                       "The picture could not be read: type the digits"),
    "tries.left": ("照合番号Bの残り回数：{tries}回", "Code B tries left: {tries}"),
    "tries.after_reject": ("残り回数：{tries}回（間違えるたびに1回減ります）",
                           "Code B tries left: {tries} (each wrong code uses one)"),
    "tries.verified": ("照合番号B：照合済み", "Code B: already verified"),
    "tries.blocked": ("ICチップは照合番号Bがロックされていると答えました",
                      "The chip answers that code B is blocked"),
    "tries.unclear": ("照合番号Bの残り回数を確認できませんでした",
                      "The chip did not report its code-B tries"),
    "progress.step": ("確認中：{step}", "Checking: {step}"),
    "progress.precheck": ("カードを確認しています…", "Checking the card…"),
    "result.precheck_ok": ("ICチップを確認しました", "Chip found"),
    "result.failing": ("理由：{check} — {detail}", "Reason: {check} — {detail}"),
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
    "outcome.passed": ("問題なし", "passed"),
    "outcome.failed": ("問題あり", "failed"),
    "outcome.skipped": ("対象外", "skipped"),
    "outcome.not_run": ("実施せず", "not run"),
    "sex.1": ("男", "male"),
    "sex.2": ("女", "female"),
    "sex.0": ("不明", "unknown"),
    "sex.9": ("適用不能", "not applicable"),
    "menu.settings": ("設定", "Settings"),
    "menu.language": ("English", "日本語"),
    "settings.title": ("設定", "Settings"),
    "settings.reader": ("読み取り機", "Reader"),
    "settings.language": ("言語", "Language"),
    "settings.idle": ("自動消去までの秒数", "Clear after idle seconds"),
    "settings.floor": ("照合の残り回数の下限", "Tries to keep (floor)"),
    "settings.trust": ("追加の信頼ファイル（1行に1つ）", "Extra trust files (one per line)"),
    "settings.audit": ("監査ログのファイル（空欄で記録しない）",
                       "Audit log file (empty: no log)"),
    "settings.not_accepted": ("確認できないときの案内（空欄で標準の文）",
                              "Instruction when a document is not accepted yet (empty: the "
                              "default)"),
    "settings.counterfeit": ("偽造の疑いがあるときの案内（空欄で標準の文）",
                             "Instruction on a suspected counterfeit (empty: the default)"),
    "settings.general": ("基本", "General"),
    "settings.ca": ("認証局の証明書（在留カード等）", "CA certificates (residence cards)"),
    "settings.ca_install": ("認証局の証明書を登録", "Install the Agency's CA certificates"),
    "settings.ca_pick": ("出入国在留管理庁からダウンロードしたファイル（ZIPまたは証明書）",
                         "The file downloaded from the Immigration Services Agency (ZIP or "
                         "certificate)"),
    "settings.ca_note": ("選んだファイルはすぐに登録されます。このプログラムが知っている証明書"
                         "（指紋の一覧）以外を含むファイルは、何も登録しません",
                         "The file chosen is installed at once. A file holding any certificate "
                         "not in this program's fingerprint table installs nothing"),
    "settings.ca_installed": ("登録しました：{name}（第{generation}世代、{until}まで有効）"
                              "SHA-256 {sha256}",
                              "Installed: {name} (generation {generation}, valid until "
                              "{until}) SHA-256 {sha256}"),
    "settings.ca_already": ("登録済みでした：{name}（第{generation}世代、{until}まで有効）"
                            "SHA-256 {sha256}",
                            "Already installed: {name} (generation {generation}, valid until "
                            "{until}) SHA-256 {sha256}"),
    "settings.ca_refused": ("登録しませんでした（何も登録していません）。{message}",
                            "Not installed (nothing was installed). {message}"),
    "settings.ca_row": ("{state}　第{generation}世代　{until}まで有効　{name}{test}",
                        "{state}  generation {generation}  valid until {until}  {name}{test}"),
    "settings.ca_row_installed": ("✔ 登録済み", "✔ installed"),
    "settings.ca_row_missing": ("✖ 未登録", "✖ missing"),
    "settings.ca_row_test": ("（試験用）", " (test CA)"),
    "settings.ca_directory": ("保存先：{directory}", "Kept in: {directory}"),
    "settings.save": ("保存", "Save"),
    "settings.cancel": ("キャンセル", "Cancel"),
    "settings.audit_bad": ("監査ログを書き込めません。書き込めるフォルダーのファイルを"
                           "指定してください",
                           "The audit log cannot be written: choose a file in a writable "
                           "folder"),
    "error.trust": ("信頼ファイルを読み込めません。設定を確認してください",
                    "Cannot load a trust file: {message}"),
    "error.audit": ("監査ログに記録できませんでした。確認を停止しています。"
                    "設定で監査ログのファイルを直してください",
                    "The audit log could not be written: checking is stopped until the audit "
                    "log is fixed in the settings ({message})"),
})

#: Simulated-card profiles and personas as a Japanese trainer calls them (training mode only).
_PROFILE_NAMES_JA: Mapping[str, str] = MappingProxyType({
    "genuine": "本物のカード",
    "blank-chip": "ICチップが空のカード",
    "yes-card": "何にでも応答するICチップ",
    "forged-issuer": "発行者を偽った証明書",
    "unknown-issuer": "未知の発行者の証明書",
    "tampered-photo": "顔写真を改ざんしたカード",
    "tampered-birth": "生年月日を改ざんしたカード",
    "cloned": "複製したICチップ",
    "expired": "有効期限切れのカード",
    "low-retries": "照合の残り回数が少ないカード",
    "locked": "照合番号Bがロックされたカード",
    "text-mismatch": "文字情報の生年月日が違うカード",
    "text-tampered": "文字情報の氏名を改ざんしたカード",
    "residence-genuine-1": "本物の在留カード（第1世代）",
    "residence-spr-genuine-1": "本物の特別永住者証明書（第1世代）",
    "residence-genuine-2": "本物の在留カード（第2世代）",
    "residence-spr-genuine-2": "本物の特別永住者証明書（第2世代）",
    "residence-forged-ca": "偽の認証局が発行した在留カード",
    "residence-forged-issuer-1": "発行者を偽った証明書の在留カード（第1世代）",
    "residence-tampered-photo-1": "顔写真を改ざんした在留カード（第1世代）",
    "residence-tampered-photo-2": "顔写真を改ざんした在留カード（第2世代）",
    "residence-tampered-entry": "有効期限を改ざんした在留カード",
    "residence-blank-chip": "ICチップが空の在留カード",
    "residence-expired": "有効期限切れの在留カード",
    "residence-specified": "特定在留カード（このプログラムでは確認できない種類）",
    "residence-different-face": "券面だけを偽造した在留カード（ICチップは本物）",
})
_PERSONA_NAMES_JA: Mapping[str, str] = MappingProxyType({
    "showa": "昭和生まれ",
    "heisei-first-day": "平成元年1月8日生まれ",
    "showa-last-day": "昭和64年1月7日生まれ",
    "heisei": "平成生まれ",
    "reiwa": "令和生まれの子ども",
    "foreign": "外国籍（西暦表記）",
    # the residence cards' personas, by the nationality their cards print
    "nguyen": "ベトナム国籍の方",
    "santos": "フィリピン国籍の方",
    "kim": "韓国籍の方",
    "silva": "ブラジル国籍の方",
})


def profile_label(name: str, language: Language) -> str:
    return _PROFILE_NAMES_JA.get(name, name) if language is Language.JA else name


def persona_label(key: str, language: Language) -> str:
    return _PERSONA_NAMES_JA.get(key, key) if language is Language.JA else key


#: Birth-date eras as printed on the card, in selector order: the counter's eras, then
#: Gregorian (西暦).
ERAS: tuple[str, ...] = (*ERA_NAMES, GREGORIAN)
ERA_ROMAN: Mapping[str, str] = MappingProxyType(
    {"明治": "Meiji", "大正": "Taisho", "昭和": "Showa", "平成": "Heisei", "令和": "Reiwa"})


def text(key: str, language: Language, **values: object) -> str:
    """The message `key` in `language`, with `{name}` fields filled from `values`."""
    ja, en = _MESSAGES[key]
    template = ja if language is Language.JA else en
    return template.format(**values) if values else template


def has_text(key: str) -> bool:
    return key in _MESSAGES


def check_name(check_id: str, language: Language) -> str:
    """A check's name as the document that has it calls it."""
    name = check_names().get(str(check_id))
    if name is None:
        return str(check_id)
    return name.ja if language is Language.JA else name.en


def verdict_label(verdict: Verdict, language: Language) -> str:
    return verdict.label_ja if language is Language.JA else verdict.label_en


def era_label(era: str, language: Language) -> str:
    if not era:
        return text("code.era.gregorian", language)
    return era if language is Language.JA else f"{era} {ERA_ROMAN[era]}"


def document_title(document: str | None, generation: int | None, language: Language) -> str:
    """「在留カード（第1世代）」: the document a result is about, as `Result.document` and
    `Result.generation` name it; "" for none (no chip answered)."""
    key = f"document.{document}"
    if document is None or not has_text(key):
        return ""
    name = text(key, language)
    if generation is None:
        return name
    return text("document.generation", language, document=name, generation=generation)

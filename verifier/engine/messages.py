"""What each check outcome says to a clerk, in Japanese and English.

Details never carry personal data: they may be logged and go into the JSON result.
"""

from __future__ import annotations

from verifier.engine.verdict import Check, CheckId, Detail, Outcome, Reason


def detail(ja: str, en: str) -> Detail:
    return Detail(ja, en)


NOT_RUN = detail("前の確認で終了したため未実施", "not run: an earlier step ended the check")
SKIPPED_BY_OPTION = detail("設定により省略", "skipped by option")

PASSED = {
    "chip.present": detail("ICチップが応答しました", "the chip answered"),
    "ap.card_face": detail("券面事項確認APがあります", "the card-face application is present"),
    "code_b.verify": detail("照合番号Bが一致しました", "the chip accepted code B"),
    "card_face.signature": detail("券面データの署名は正しい", "the card-face signature is valid"),
    "chip.authentic": detail("チップ自身の鍵で署名できました（複製ではない）",
                             "the chip signed a fresh challenge with its own key (not a copy)"),
    "code_b.consistent": detail("入力内容とチップの生年月日・有効期限が一致",
                                "birth date and expiry on the chip match what was typed"),
    "card.not_expired": detail("有効期限内です", "the card has not expired"),
    "text_ap.signature": detail("券面事項入力補助APの署名は正しい",
                                "the text application's signature is valid"),
    "text_ap.consistent": detail("券面と入力補助APの生年月日・性別が一致",
                                 "birth date and sex agree between both applications"),
    "printed_face.matches_chip": detail("券面の生年月日・有効期限とICチップが一致",
                                        "the printed birth date and expiry match the chip"),
}

#: code_b.consistent when no code was given and a simulated card's printed one was used.
CONSISTENT_WITH_PRINTED = detail(
    "入力がないため、シミュレーションのカードに印字された照合番号Bを使用しました（チップの"
    "生年月日・有効期限と一致）",
    "no code was typed: the simulated card's printed code was used (the chip's birth date and "
    "expiry match it)")

FAILED: dict[Reason, Detail] = {
    Reason.NO_CARD_FACE_AP: detail(
        "マイナンバーカードのICチップではありません（偽造の疑い）",
        "no My Number chip (the card-face application is missing): counterfeit suspected"),
    Reason.BAD_CERTIFICATE_SIGNATURE: detail(
        "発行者の証明書が不正です（偽造の疑い）",
        "the issuer certificate's signature is invalid: counterfeit suspected"),
    Reason.UNKNOWN_AUTHORITY: detail(
        "発行者が信頼できる認証局ではありません（偽造の疑い）",
        "the certificate names an authority no trusted table knows: counterfeit suspected"),
    Reason.MALFORMED_DATA: detail("チップのデータ形式が不正です（偽造の疑い）",
                                  "the chip's data is malformed: counterfeit suspected"),
    Reason.BAD_SIGNATURE: detail("券面データが改ざんされています（偽造の疑い）",
                                 "the card-face data does not match its signature: altered"),
    Reason.CHALLENGE_FAILED: detail(
        "チップが本物の鍵を持っていません（複製の疑い）",
        "the chip cannot sign with the card's key: a copied chip is suspected"),
    Reason.PRINTED_FACE_DIFFERS: detail(
        "券面の印字とICチップの内容が一致しません（券面の偽造の疑い）",
        "the printed face does not match the chip: a replaced printed face is suspected"),
    Reason.INCONSISTENT: detail(
        "チップの内容と入力内容が矛盾しています（偽造の疑い）",
        "the chip's data contradicts the code it accepted: counterfeit suspected"),
    Reason.UNTRUSTED_HIERARCHY: detail(
        "テスト用カードです。本人確認には使えません",
        "a test-hierarchy card: never a person's ID unless that hierarchy is trusted"),
    Reason.EXPIRED: detail("有効期限が切れています", "the card has expired"),
    Reason.CODE_REJECTED: detail(
        "照合番号Bが一致しません。数字を再確認してください。正しければ券面とチップが一致していません",
        "code B was rejected: re-check the digits; if they are right, the printed face does not "
        "belong to this chip"),
    Reason.TOO_FEW_TRIES: detail(
        "残り試行回数が少ないため照合しません。本人に市区町村窓口での確認を案内してください",
        "too few tries left to risk one: ask the customer to visit their municipal office"),
    Reason.BLOCKED: detail(
        "照合番号Bがロックされています。市区町村窓口でロック解除が必要です",
        "code B is blocked: only the municipal office can unblock it"),
    Reason.NO_CODE: detail("照合番号Bが入力されていません", "no code B was given"),
    Reason.CARD_REMOVED: detail("カードが取り外されました。もう一度置いてください",
                                "the card was removed: put it back and try again"),
    Reason.NO_CARD: detail("カードを置いてください", "no card on the reader: place a card"),
    Reason.NO_READER: detail("読み取り機が見つかりません。読み取り機を接続してください",
                             "no card reader found: connect one"),
    Reason.SERVICE_NOT_RUNNING: detail(
        "カード読み取りのサービス（PC/SC）が動いていません。サービスを起動するか、"
        "システム管理者に連絡してください",
        "the PC/SC service is not running: start it (Linux: `sudo systemctl start "
        "pcscd.socket`; Windows: the Smart Card service) or ask your IT staff"),
    Reason.READER_ERROR: detail("リーダーとの通信に失敗しました", "the reader failed"),
    Reason.TIMEOUT: detail("カードが応答しなくなりました", "the card stopped answering"),
    Reason.READ_FAILED: detail("読み取りに失敗しました。カードを置き直してください",
                               "the card could not be read: place it again and retry"),
    Reason.KEY_OPEN: detail(
        "他のソフトがカードを開いたままです。カードを置き直してください",
        "another program left the card open: place the card again and retry"),
    Reason.KEY_CLOSED: detail("読み取り中にカードがリセットされました。もう一度置いてください",
                              "the card was reset during the check: place it again and retry"),
    Reason.INTERNAL_ERROR: detail("内部エラーのため確認できませんでした。もう一度お試しください",
                                  "an internal error stopped the check: try again"),
}


def tries_left(count: int) -> Detail:
    return detail(f"残り試行回数 {count} 回", f"{count} tries left")


def code_rejected(count: int | None) -> Detail:
    base = FAILED[Reason.CODE_REJECTED]
    if count is None:
        return base
    return detail(f"{base.ja}（残り {count} 回）", f"{base.en} ({count} tries left)")


def too_few_tries(count: int, keep: int) -> Detail:
    base = FAILED[Reason.TOO_FEW_TRIES]
    return detail(f"残り {count} 回（{keep} 回以下）。{base.ja}",
                  f"{count} tries left (floor {keep}): {base.en}")


def with_cause(reason: Reason, cause_en: str) -> Detail:
    """A failure detail plus a short technical cause (never personal data)."""
    base = FAILED[reason]
    return detail(f"{base.ja}（{cause_en}）", f"{base.en} ({cause_en})")


def issuer(name: str, hierarchy: str) -> Detail:
    return detail(f"発行者 {name}（{hierarchy}）の証明書を確認",
                  f"certificate issued by {name} ({hierarchy}) verified")


def passed(check_id: CheckId, text: Detail | None = None) -> Check:
    return Check(check_id, Outcome.PASSED, text or PASSED.get(check_id.value, detail("OK", "OK")))


def failed(check_id: CheckId, reason: Reason, cause: str | None = None) -> Check:
    return Check(check_id, Outcome.FAILED, with_cause(reason, cause) if cause else FAILED[reason],
                 reason)

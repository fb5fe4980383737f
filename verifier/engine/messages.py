"""What each check outcome says to a clerk, in Japanese and English: the one table of the
engine's words (the CLI and the GUI both show them).

Details never carry personal data: they may be logged and go into the JSON result. The Japanese
is for the clerk: one polite register (です・ます), no status words, no application (AP) jargon,
no English; one term each (ICチップ, 読み取り機, 試験用). Technical causes (status words,
library messages) go only into the English text, which the GUI shows as the details view.
"""

from __future__ import annotations

from verifier.engine.verdict import Check, CheckId, Detail, Outcome, Reason


def detail(ja: str, en: str) -> Detail:
    return Detail(ja, en)


NOT_RUN = detail("前の項目で判定が確定したため実施していません",
                 "not run: an earlier step ended the check")
SKIPPED_BY_OPTION = detail("設定により実施していません", "skipped by option")

PASSED = {
    "chip.present": detail("ICチップが応答しました", "the chip answered"),
    "ap.card_face": detail("マイナンバーカードとして応答しました",
                          "the card-face application is present"),
    "code_b.verify": detail("照合番号Bが一致しました", "the chip accepted code B"),
    "card_face.signature": detail("券面情報の電子署名は正しいです",
                                  "the card-face signature is valid"),
    "chip.authentic": detail("ICチップが発行時の鍵を持っていることを確認しました"
                             "（複製ではありません）",
                             "the chip signed a fresh challenge with its own key (not a copy)"),
    "code_b.consistent": detail("入力した生年月日・有効期限はICチップの内容と一致しました",
                                "birth date and expiry on the chip match what was typed"),
    "card.not_expired": detail("有効期限内です", "the card has not expired"),
    "text_ap.signature": detail("文字情報（氏名・住所など）の電子署名は正しいです",
                                "the text application's signature is valid"),
    "text_ap.consistent": detail("文字情報と券面情報の生年月日・性別が一致しました",
                                 "birth date and sex agree between both applications"),
    "printed_face.matches_chip": detail("券面の生年月日・有効期限とICチップが一致しています",
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
        "このカードのICチップはマイナンバーカードとして応答しません。マイナンバーカードとして"
        "提示されたカードであれば、偽造の疑いがあります（運転免許証など、このプログラムが読まない"
        "書類のICチップも同じように応答します）",
        "no My Number chip (the card-face application is missing): counterfeit suspected if it "
        "was presented as a My Number Card (the chip of a document this program does not read, "
        "such as a driving licence, answers the same)"),
    Reason.BAD_CERTIFICATE_SIGNATURE: detail(
        "発行者の証明書が正しくありません（偽造の疑いがあります）",
        "the issuer certificate's signature is invalid: counterfeit suspected"),
    Reason.UNKNOWN_AUTHORITY: detail(
        "発行者が信頼できる認証局ではありません（偽造の疑いがあります）",
        "the certificate names an authority no trusted table knows: counterfeit suspected"),
    Reason.MALFORMED_DATA: detail("ICチップのデータの形式が正しくありません"
                                  "（偽造の疑いがあります）",
                                  "the chip's data is malformed: counterfeit suspected"),
    Reason.BAD_SIGNATURE: detail("券面情報が改ざんされています（偽造の疑いがあります）",
                                 "the card-face data does not match its signature: altered"),
    Reason.CHALLENGE_FAILED: detail(
        "ICチップが発行時の鍵を持っていません（複製の疑いがあります）",
        "the chip cannot sign with the card's key: a copied chip is suspected"),
    Reason.PRINTED_FACE_DIFFERS: detail(
        "券面の印字とICチップの内容が一致しません（券面の偽造の疑い）",
        "the printed face does not match the chip: a replaced printed face is suspected"),
    Reason.INCONSISTENT: detail(
        "ICチップの内容と入力内容が矛盾しています（偽造の疑いがあります）",
        "the chip's data contradicts the code it accepted: counterfeit suspected"),
    Reason.UNTRUSTED_HIERARCHY: detail(
        "試験用のカードです。本人確認には使えません",
        "a test-hierarchy card: never a person's ID unless that hierarchy is trusted"),
    Reason.EXPIRED: detail("有効期限が切れています", "the card has expired"),
    Reason.CODE_REJECTED: detail(
        "照合番号Bが一致しませんでした。入力した数字を券面ともう一度見比べてください。"
        "数字が正しい場合は、券面とICチップの内容が一致していない可能性があります",
        "code B was rejected: re-check the digits; if they are right, the printed face does not "
        "belong to this chip"),
    Reason.CODE_ALREADY_REJECTED: detail(
        "このカードはこの照合番号Bを先ほど受け付けませんでした。同じ番号は送りません。"
        "券面の数字をもう一度確認してください",
        "this card already rejected this code B: it was not sent again; re-check the digits"),
    Reason.TOO_FEW_TRIES: detail(
        "残り回数が少ないため照合しません。お客様に市区町村の窓口での確認を案内してください",
        "too few tries left to risk one: ask the customer to visit their municipal office"),
    Reason.BLOCKED: detail(
        "ICチップは照合番号Bがロックされていると答えました。ロックの解除は市区町村の窓口で"
        "行います",
        "the chip answers that code B is blocked (6984/63C0): only the municipal office can "
        "unblock it"),
    Reason.TRIES_UNCLEAR: detail(
        "ICチップが照合番号Bの残り回数を答えませんでした",
        "the chip did not report its code-B tries (the query was refused or unclear)"),
    Reason.CHIP_REFUSED_CHALLENGE: detail(
        "ICチップが、カード本来の鍵を持っていることを証明しませんでした（署名を返しません）",
        "the chip did not prove it holds the card's key: it answered the challenge with no "
        "signature"),
    Reason.NO_CHIP_ANSWER: detail(
        "ICチップが応答しません。マイナンバーカードには必ずICチップがあります。置き直しても"
        "読めない場合は、本人確認書類として受け付けないでください。",
        "the chip does not answer: every My Number Card has a chip; if it cannot be read after "
        "placing it again, do not accept it as an ID document"),
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
    Reason.READER_BUSY: detail(
        "他のソフトがこの読み取り機を使用中です。そのソフトを閉じてから、カードを置き直して"
        "ください",
        "another program is using the reader: close it (e.g. the JPKI client) and place the "
        "card again"),
    Reason.READER_ERROR: detail("読み取り機との通信に失敗しました", "the reader failed"),
    Reason.TIMEOUT: detail("カードが応答しなくなりました。カードを置き直してください",
                          "the card stopped answering"),
    Reason.READ_FAILED: detail("読み取りに失敗しました。カードを置き直してください",
                               "the card could not be read: place it again and retry"),
    Reason.KEY_OPEN: detail(
        "ICチップは照合番号Bがすでに開いていると答え、電源を入れ直しても変わりません。"
        "入力した番号をICチップで確かめられません",
        "the chip answers that code B is already open, also after a power-down: the code "
        "typed cannot be checked"),
    Reason.KEY_CLOSED: detail("読み取り中にカードがリセットされました。もう一度置いてください",
                              "the card was reset during the check: place it again and retry"),
    Reason.INTERNAL_ERROR: detail("内部エラーのため確認できませんでした。もう一度お試しください",
                                  "an internal error stopped the check: try again"),
    Reason.UNSUPPORTED_LAYOUT: detail(
        "ICチップのデータがこのプログラムの知らない形式のため確認できませんでした。"
        "偽造の疑いではありません。システム管理者に連絡してください",
        "the chip's data is in a form this program does not know (not a sign of forgery): "
        "report it to your IT staff"),
    Reason.NO_RESIDENCE_APPLICATION: detail(
        "このカードのICチップは在留カード・特別永住者証明書として応答しません。在留カード等と"
        "して提示されたカードであれば、偽造の疑いがあります",
        "no residence-card application on the chip although a card number was given: "
        "counterfeit suspected"),
    Reason.NUMBER_REJECTED: detail(
        "ICチップが在留カード等番号を受け付けませんでした。入力した番号を券面ともう一度"
        "見比べてください。番号が正しい場合は、券面とICチップが一致していない可能性があります",
        "the chip did not accept the card number: re-check it; if it is right, the printed "
        "face does not belong to this chip"),
    Reason.NUMBER_ALREADY_REJECTED: detail(
        "このカードはこの番号を先ほど受け付けませんでした。同じ番号は送りません。"
        "券面の番号をもう一度確認してください",
        "this card already rejected this card number: it was not sent again; re-check it"),
    Reason.NO_NUMBER: detail("在留カード等番号が入力されていません", "no card number was given"),
    Reason.NOT_SUPPORTED: detail(
        "この種類のカード（特定在留カード等）はこのプログラムでは確認できません。"
        "確認できるまで本人確認書類として受け付けないでください",
        "a document type this program does not read (特定在留カード, types 07/08): not "
        "accepted until it can be verified"),
    Reason.NO_PRODUCTION_CA: detail(
        "出入国在留管理庁の認証局の証明書が、このパソコンに登録されていません。システム管理者が"
        "出入国在留管理庁のウェブサイトから証明書をダウンロードし、設定画面の「認証局の証明書を"
        "登録」から登録すると確認できます。偽造の疑いではありません",
        "no CA certificate of the Immigration Services Agency is installed on this PC: an "
        "administrator downloads them from the Agency's web site and installs them with "
        "`mynacheck trust add FILE` (or in the counter app's settings). Not a sign of forgery"),
    Reason.CA_NOT_INSTALLED: detail(
        "このカードを発行した認証局の証明書が、このパソコンに登録されていない可能性があります。"
        "システム管理者に、出入国在留管理庁の認証局の証明書をすべて登録するよう依頼してください。"
        "偽造の疑いではありません",
        "the card's CA may be one of the Agency's CAs not installed here: install them all "
        "(`mynacheck trust add FILE`). Not a sign of forgery"),
}


def tries_left(count: int) -> Detail:
    return detail(f"残り{count}回です", f"{count} tries left")


def code_rejected(count: int | None) -> Detail:
    base = FAILED[Reason.CODE_REJECTED]
    if count is None:
        return base
    return detail(f"{base.ja}（残り{count}回）", f"{base.en} ({count} tries left)")


def too_few_tries(count: int, keep: int) -> Detail:
    base = FAILED[Reason.TOO_FEW_TRIES]
    return detail(f"残り回数（{count}回）が下限（{keep}回）以下のため照合しません。"
                  "お客様に市区町村の窓口での確認を案内してください",
                  f"{count} tries left (floor {keep}): {base.en}")


def with_cause(reason: Reason, cause_en: str) -> Detail:
    """A failure detail plus a short technical cause (never personal data); the cause is
    technical English (a status word, a library message), so only the details text has it."""
    base = FAILED[reason]
    return detail(base.ja, f"{base.en} ({cause_en})")


def issuer(name: str, hierarchy: str) -> Detail:
    return detail(f"発行者「{name}」の証明書を確認しました",
                  f"certificate issued by {name} ({hierarchy}) verified")


def passed(check_id: CheckId, text: Detail | None = None) -> Check:
    return Check(check_id, Outcome.PASSED, text or PASSED.get(str(check_id), detail("OK", "OK")))


def failed(check_id: CheckId, reason: Reason, cause: str | None = None) -> Check:
    return Check(check_id, Outcome.FAILED, with_cause(reason, cause) if cause else FAILED[reason],
                 reason)

"""What the clerk does next: every verdict ends in one of three actions, in the same words on
every screen and every command line.

- accept (真正): after comparing the chip's photo with the person and the card;
- refuse (偽造の疑い, 無効なカード);
- not accepted (確認できず): the document is not accepted as identification until its chip
  verifies — never "look at the printed card instead" (rule 9). A forger who cannot pass the
  checks will try to make them not run; this answer gives him nothing.

What to try before giving up (place the card again, another reader, another document) follows
the reason; from the second time in a row that the same card could not be verified, refusing
the document is recommended plainly. A shop may put its own words for "refuse a suspected
counterfeit" and for "not accepted" (`Instructions`); the rest is the counter's.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from verifier.engine.verdict import Detail, Reason, Result, Verdict


class Action(enum.StrEnum):
    ACCEPT = "accept"
    REFUSE = "refuse"
    NOT_ACCEPTED = "not_accepted"


ACTIONS = {Verdict.GENUINE: Action.ACCEPT, Verdict.COUNTERFEIT_SUSPECTED: Action.REFUSE,
           Verdict.INVALID_CARD: Action.REFUSE, Verdict.NOT_VERIFIED: Action.NOT_ACCEPTED}


def action_for(verdict: Verdict) -> Action:
    return ACTIONS[verdict]


ACCEPT = Detail(
    "ICチップの顔写真を、目の前のご本人と券面の写真の両方と見比べてください。一致し、氏名・"
    "住所・生年月日が券面と同じであれば、本人確認書類として受け付けられます。",
    "Compare the chip's photo with the person in front of you and with the printed card. If "
    "they match, and name, address and birth date agree with the card, accept it as ID.")
#: A first-generation residence card: its chip holds the whole printed front as an image, the
#: one comparison that catches a genuine chip under a new printed face.
ACCEPT_FRONT_IMAGE = Detail(
    "ICチップの券面画像を、手元のカードの券面と見比べてください（氏名・生年月日・国籍・在留資格・"
    "有効期限・写真）。ICチップの顔写真をご本人と見比べてください。すべて一致すれば、本人確認書類"
    "として受け付けられます。",
    "Compare the chip's front-of-card image with the card in hand (name, birth date, "
    "nationality, status, expiry, photo), and the chip's photo with the person. If all match, "
    "accept it as ID.")


def _front_image_card(result: Result) -> bool:
    return result.document in FRONT_IMAGE_DOCUMENTS and result.generation == 1


FRONT_IMAGE_DOCUMENTS = frozenset({"residence_card", "special_permanent_resident_certificate"})
REFUSE_COUNTERFEIT = Detail(
    "本人確認書類として受け付けないでください。お店の手順に従ってください。",
    "Do not accept this card as ID. Follow your shop's procedure.")
REFUSE_INVALID = Detail(
    "本人確認書類として受け付けないでください（有効期限切れ、または試験用のカードです）。"
    "有効なカードか、別の本人確認書類を求めてください。",
    "Do not accept this card as ID (expired, or a test card). Ask for a valid card or another "
    "ID document.")
NOT_ACCEPTED = Detail(
    "ICチップで確認できるまで、本人確認書類として受け付けないでください。",
    "Do not accept this document as ID until its chip verifies.")
#: What to try, by reason; anything else: place again, another reader, another document.
TRY_NEXT: dict[Reason | None, Detail] = {
    None: Detail("カードを置き直すか、別の読み取り機で確認してください。確認できない場合は、"
                 "別の本人確認書類を求めてください。",
                 "Place the card again, or try another reader. If it cannot be verified, ask "
                 "for another ID document."),
    Reason.CODE_REJECTED: Detail(
        "入力した数字を券面ともう一度見比べてください。誤りがあれば、カードを置いたままその欄を"
        "直して確認してください。数字が正しい場合は、券面とICチップの内容が一致していない可能性"
        "があります。別の本人確認書類を求めてください。",
        "Re-check the digits against the card; if one was mistyped, correct it and confirm with "
        "the card left in place. If they are right, the printed face may not belong to this "
        "chip: ask for another ID document."),
    Reason.CODE_ALREADY_REJECTED: Detail(
        "券面と見比べて、違う欄を直してください。数字が正しい場合は、別の本人確認書類を求めて"
        "ください。",
        "Correct the field that differs from the card. If the digits are right, ask for "
        "another ID document."),
    Reason.TOO_FEW_TRIES: Detail(
        "残り回数が{tries}回しかないため照合しません（下限{floor}回）。入力を誤るとカードがロック"
        "されます。お客様に市区町村の窓口での確認を案内し、別の本人確認書類を求めてください。",
        "Only {tries} tries left (floor {floor}): the code is not tried, since a mistake would "
        "lock the card. Ask the customer to visit their municipal office, and ask for another "
        "ID document."),
    Reason.BLOCKED: Detail(
        "お客様に市区町村の窓口でロック解除を受けるよう案内し、別の本人確認書類を求めてください。",
        "Ask the customer to have it unlocked at their municipal office, and ask for another "
        "ID document."),
    Reason.CHIP_REFUSED_CHALLENGE: Detail(
        "ICチップがカード本来のものか確かめられません。別の本人確認書類を求めてください。",
        "Whether this chip is the card's own cannot be established: ask for another ID "
        "document."),
    Reason.NO_CHIP_ANSWER: Detail(
        "マイナンバーカード・在留カード・特別永住者証明書には必ずICチップがあります。置き直しても"
        "読めない場合は、別の本人確認書類を求めてください。",
        "Every My Number Card, residence card and special permanent resident certificate has a "
        "chip. If it cannot be read after placing it again, ask for another ID document."),
    Reason.NUMBER_REJECTED: Detail(
        "入力した在留カード等番号を券面ともう一度見比べてください（0とO、1とIなど）。誤りがあれば、"
        "カードを置いたまま番号を直して確認してください。番号が正しい場合は、券面とICチップが"
        "一致していない可能性があります。別の本人確認書類を求めてください。",
        "Re-check the card number against the card (0 and O, 1 and I); if a character was "
        "mistyped, correct it and confirm with the card left in place. If it is right, the "
        "printed face may not belong to this chip: ask for another ID document."),
    Reason.NUMBER_ALREADY_REJECTED: Detail(
        "券面と見比べて、違う文字を直してください。番号が正しい場合は、別の本人確認書類を求めて"
        "ください。",
        "Correct the character that differs from the card. If the number is right, ask for "
        "another ID document."),
    Reason.NO_PRODUCTION_CA: Detail(
        "このパソコンでは在留カード等を確認できません。システム管理者に、出入国在留管理庁の認証局"
        "の証明書の登録（mynacheck trust add）を依頼してください。それまでは別の本人確認書類を"
        "求めてください。",
        "Residence cards cannot be verified on this PC yet: ask your administrator to install "
        "the Immigration Services Agency's CA certificates (mynacheck trust add). Until then, "
        "ask for another ID document."),
    Reason.CA_NOT_INSTALLED: Detail(
        "システム管理者に、出入国在留管理庁の認証局の証明書をすべて登録するよう依頼してください。"
        "それまでは別の本人確認書類を求めてください。",
        "Ask your administrator to install all of the Immigration Services Agency's CA "
        "certificates (mynacheck trust add). Until then, ask for another ID document."),
    Reason.NOT_SUPPORTED: Detail(
        "この種類のカードはこのプログラムでは確認できません。別の本人確認書類を求めてください。",
        "This kind of card cannot be verified here: ask for another ID document."),
    Reason.READER_BUSY: Detail(
        "読み取り機を使っている他のソフトを閉じてから、カードを置き直してください。",
        "Close the other program that uses the reader, then place the card again."),
}


def repeated(attempts: int) -> Detail:
    return Detail(f"このカードは続けて{attempts}回確認できませんでした。"
                  "本人確認書類として受け付けず、別の本人確認書類を求めることをお勧めします。",
                  f"This card could not be verified {attempts} times in a row: we recommend "
                  "refusing it and asking for another ID document.")


@dataclass(frozen=True)
class Instructions:
    """The shop's own words (both languages at once); empty: the counter's."""

    counterfeit: str = ""
    not_accepted: str = ""


#: The counter's own words everywhere.
DEFAULT_INSTRUCTIONS = Instructions()


@dataclass(frozen=True)
class NextStep:
    """The action, and what the clerk is told, in both languages."""

    action: Action
    words: Detail


def _joined(*parts: Detail) -> Detail:
    return Detail("".join(part.ja for part in parts), " ".join(part.en for part in parts))


def _own(text: str, default: Detail) -> Detail:
    return Detail(text, text) if text.strip() else default


def next_step(result: Result, *, attempts_in_a_row: int = 0, keep_tries: int = 0,
              instructions: Instructions = DEFAULT_INSTRUCTIONS) -> NextStep:
    """What the clerk does after `result`, `attempts_in_a_row` being how many times in a row
    this card ended NOT_VERIFIED (this time included), `keep_tries` the floor in force."""
    action = action_for(result.verdict)
    if action is Action.ACCEPT:
        return NextStep(action, ACCEPT_FRONT_IMAGE if _front_image_card(result) else ACCEPT)
    if result.verdict is Verdict.COUNTERFEIT_SUSPECTED:
        return NextStep(action, _own(instructions.counterfeit, REFUSE_COUNTERFEIT))
    if action is Action.REFUSE:
        return NextStep(action, REFUSE_INVALID)
    failing = result.failing_check
    reason = failing.reason if failing is not None else None
    first = _own(instructions.not_accepted, NOT_ACCEPTED)
    if attempts_in_a_row >= 2:
        return NextStep(action, _joined(first, repeated(attempts_in_a_row)))
    advice = TRY_NEXT.get(reason, TRY_NEXT[None])
    tries = result.card.retries_left or 0
    advice = Detail(advice.ja.format(tries=tries, floor=keep_tries),
                    advice.en.format(tries=tries, floor=keep_tries))
    return NextStep(action, _joined(first, advice))

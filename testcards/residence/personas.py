"""The people the simulated residence cards are issued to. All invented; none is a real person,
and the card numbers are made up (any real card's number would be a coincidence).

A persona is the holder; the profile decides which document (在留カード or 特別永住者証明書) and
generation the card is, so any persona can hold any of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from verifier.documents.residence.card_number import CardNumber


@dataclass(frozen=True)
class ResidencePersona:
    key: str
    name: str  # in Roman letters, as printed
    nationality: str  # the chip's 3-character code (C8)
    nationality_printed: str  # as printed on the card
    birth: date
    sex: str  # "1" male, "2" female
    address: str
    status: str  # status of residence as printed
    status_code: str  # its 10-character chip code (C9)
    period: str  # period of stay: YYMM, or 0000 indefinite (CE)
    card_number: str
    expiry: date  # the card's
    work_restriction: str = "2"  # CC: 1 none, 2 within the status, 4 as designated, 9 none allowed

    @property
    def number(self) -> CardNumber:
        return CardNumber(self.card_number)

    def __repr__(self) -> str:  # invented data, but keep the habit of not printing it
        return f"ResidencePersona({self.key!r})"


RESIDENCE_PERSONAS: list[ResidencePersona] = [
    ResidencePersona(
        key="nguyen", name="NGUYEN VAN AN", nationality="VNM", nationality_printed="ベトナム",
        birth=date(1995, 4, 12), sex="1", address="東京都新宿区見本町一丁目2番3号 見本ハイツ101",
        status="技術・人文知識・国際業務", status_code="0000000012", period="0500",
        card_number="SB01234567TN", expiry=date(2029, 4, 12)),
    ResidencePersona(
        key="santos", name="SANTOS MARIA CLARA", nationality="PHL",
        nationality_printed="フィリピン", birth=date(1988, 11, 30), sex="2",
        address="大阪府大阪市北区試験通り四丁目5番6号", status="永住者",
        status_code="0000000031", period="0000", card_number="PH20250101XA",
        expiry=date(2031, 11, 30), work_restriction="1"),
    ResidencePersona(
        key="kim", name="KIM MINJUN", nationality="KOR", nationality_printed="韓国",
        birth=date(1972, 6, 5), sex="1", address="福岡県福岡市博多区模擬町八丁目9番10号",
        status="特別永住者", status_code="0000000099", period="0000",
        card_number="KR00448812SP", expiry=date(2030, 6, 5), work_restriction="1"),
    ResidencePersona(
        key="silva", name="SILVA JOAO PEDRO", nationality="BRA",
        nationality_printed="ブラジル", birth=date(2001, 2, 28), sex="1",
        address="愛知県名古屋市中区見本町三丁目3番3号", status="定住者",
        status_code="0000000033", period="0300", card_number="BR77120034QQ",
        expiry=date(2027, 3, 15), work_restriction="1"),
]

#: What the forger of the `different-face` profile printed over a genuine chip: another
#: person's name, birth date and expiry, with the chip's own number (or the chip would not open).
DIFFERENT_FACE_NAME = "TRAN THI BICH"
DIFFERENT_FACE_BIRTH_SHIFT_YEARS = -7
DIFFERENT_FACE_EXPIRY_SHIFT_YEARS = 2

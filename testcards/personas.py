"""The people the simulated cards are issued to. All invented; none is a real person.

Birth dates cover the three eras the code B must handle (昭和, 平成, 令和), both sides of an era
boundary, and a foreign resident whose birth date is printed in the Gregorian calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from verifier.documents.my_number.code_b import CodeB, code_b_from_parts


@dataclass(frozen=True)
class Persona:
    """One card holder as printed on the card face.

    `foreign` marks a foreign resident: the card prints the birth date in the Gregorian
    calendar, and this project assumes (not confirmed by any source, card-spec.md section 3)
    that such a card's 照合番号B starts with the Gregorian YYMMDD as printed, not an era year.
    """

    key: str
    name: str
    address: str
    birth: date
    sex: str  # JIS X 0303 digit: 1 male, 2 female
    expiry: date
    security_code: str
    foreign: bool = False

    @property
    def code_b(self) -> CodeB:
        """The 照合番号B a clerk types from this card's face."""
        return code_b_from_parts(self.birth, self.expiry.year, self.security_code,
                                 gregorian_birth=self.foreign)

    def __repr__(self) -> str:  # invented data, but keep the habit of not printing it
        return f"Persona({self.key!r})"


PERSONAS: list[Persona] = [
    # The default everywhere: the spec's example, 昭和55年2月17日 → 55021720352285.
    Persona(key="showa", name="見本 太郎", address="東京都千代田区見本町一丁目2番3号",
            birth=date(1980, 2, 17), sex="1", expiry=date(2035, 2, 17), security_code="2285"),
    # First day of 平成 (平成元年1月8日): YYMMDD 010108.
    Persona(key="heisei-first-day", name="番号 花子",
            address="大阪府大阪市北区試験通り四丁目5番6号 見本マンション701号",
            birth=date(1989, 1, 8), sex="2", expiry=date(2031, 1, 8), security_code="7341"),
    # Last day of 昭和 (昭和64年1月7日), one day earlier: YYMMDD 640107.
    Persona(key="showa-last-day", name="試験 次郎", address="北海道札幌市中央区見本二条三丁目",
            birth=date(1989, 1, 7), sex="1", expiry=date(2033, 1, 7), security_code="0458"),
    Persona(key="heisei", name="架空 美咲", address="福岡県福岡市博多区模擬町八丁目9番10号",
            birth=date(1995, 12, 31), sex="2", expiry=date(2034, 12, 31), security_code="9120"),
    # 令和 starts 2019-05-01; a child's card runs five years.
    Persona(key="reiwa", name="見本 小太郎", address="愛知県名古屋市中区見本町三丁目3番3号",
            birth=date(2021, 6, 30), sex="1", expiry=date(2031, 6, 30), security_code="3307"),
    Persona(key="foreign", name="SAMPLE JOHN DOE", address="神奈川県横浜市中区見本町五丁目6番7号",
            birth=date(1975, 8, 9), sex="1", expiry=date(2032, 8, 9), security_code="6614",
            foreign=True),
]

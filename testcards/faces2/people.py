"""Invented card holders for the second generator, drawn from a seed: what each face prints.

Nobody here is a real person; names and addresses are assembled from sample words.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date, timedelta

from verifier.documents.my_number.code_b import to_era

#: The kinds of My Number Card holder the bench reports on (the era rules differ).
MY_NUMBER_CLASSES = ("showa", "heisei-gannen", "showa-64", "heisei", "reiwa", "reiwa-gannen",
                     "taisho", "foreign")
RESIDENCE_CLASSES = ("residence", "residence-permanent", "special-permanent")

_SURNAMES = ("見本", "試験", "架空", "模擬", "番号", "仮名", "例示", "検証")
_GIVEN = ("太郎", "花子", "次郎", "美咲", "一郎", "由美", "健", "翔太", "陽菜")
_PREFECTURES = ("東京都", "大阪府", "北海道", "京都府", "神奈川県", "愛知県", "福岡県", "宮城県")
_CITIES = ("見本市", "試験市", "架空郡模擬町", "千代田区", "中央区", "北区", "港区")
_TOWNS = ("見本町", "試験通り", "模擬台", "架空", "検証ヶ丘", "大字見本")
_BUILDINGS = ("見本マンション", "試験ハイツ", "模擬荘", "架空コーポ")
_LATIN_FAMILY = ("NGUYEN", "SANTOS", "SMITH", "KIM", "TRAN", "SILVA", "GARCIA", "SHARMA",
                 "WANG", "PEREZ", "KHAN", "LEE", "OLIVEIRA", "MULLER", "ROSSI", "TANAKA")
_LATIN_GIVEN = ("VAN AN", "MARIA", "JOHN", "MIN JUN", "THI HOA", "ANA", "LUIS", "PRIYA",
                "WEI", "JOSE", "AISHA", "JI HO", "CARLOS", "EMMA", "MARCO", "KENJI")
#: Printed 国籍・地域 and ISO 3166-1 alpha-3 (what the chip holds, as eringoio reads it).
NATIONALITIES = (("中国", "CHN"), ("韓国", "KOR"), ("ベトナム", "VNM"), ("フィリピン", "PHL"),
                 ("ブラジル", "BRA"), ("ネパール", "NPL"), ("インドネシア", "IDN"), ("米国", "USA"),
                 ("台湾", "TWN"), ("英国", "GBR"), ("タイ", "THA"), ("インド", "IND"),
                 ("ペルー", "PER"), ("ミャンマー", "MMR"))
SPR_NATIONALITIES = (("韓国", "KOR"), ("朝鮮", "PRK"), ("中国", "CHN"), ("台湾", "TWN"))
STATUSES = ("留学", "技術・人文知識・国際業務", "家族滞在", "特定技能", "技能実習", "定住者",
            "日本人の配偶者等", "経営・管理")
PERMISSIONS = ("在留期間更新許可", "在留資格変更許可", "上陸許可", "永住許可")
BUREAUS = ("東京出入国在留管理局長", "大阪出入国在留管理局長", "名古屋出入国在留管理局長",
           "成田空港支局長")


@dataclass(frozen=True)
class MyNumberHolder:
    kind: str  # one of MY_NUMBER_CLASSES
    name: str
    address: str
    birth: date
    sex: str
    expiry: date
    security_code: str

    @property
    def foreign(self) -> bool:
        return self.kind == "foreign"

    def __repr__(self) -> str:
        return f"MyNumberHolder({self.kind!r})"


@dataclass(frozen=True)
class ResidenceHolder:
    kind: str  # one of RESIDENCE_CLASSES
    card_number: str
    name: str
    birth: date
    sex: str  # "M" or "F"
    nationality: str
    nationality_code: str
    address: str
    status: str | None
    stay_years: int | None
    stay_expiry: date | None
    permission: str | None
    permission_date: date | None
    issued: date
    card_expiry: date

    @property
    def special_permanent(self) -> bool:
        return self.kind == "special-permanent"

    def __repr__(self) -> str:
        return f"ResidenceHolder({self.kind!r})"


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _birth(kind: str, rng: random.Random) -> date:
    ranges = {
        "showa": (date(1930, 1, 1), date(1988, 12, 31)),
        "heisei-gannen": (date(1989, 1, 8), date(1989, 12, 31)),
        "showa-64": (date(1989, 1, 1), date(1989, 1, 7)),
        "heisei": (date(1990, 1, 1), date(2019, 4, 30)),
        "reiwa": (date(2020, 1, 1), date(2025, 12, 31)),
        "reiwa-gannen": (date(2019, 5, 1), date(2019, 12, 31)),
        "taisho": (date(1913, 1, 1), date(1926, 12, 24)),
        "foreign": (date(1950, 1, 1), date(2010, 12, 31)),
    }
    start, end = ranges[kind]
    born = _day(rng, start, end)
    if kind == "showa":
        assert to_era(born)[0] == "昭和"
    return born


def _anniversary(born: date, year: int) -> date:
    try:
        return born.replace(year=year)
    except ValueError:  # 29 February
        return date(year, 3, 1)


def _address(rng: random.Random, *, long_number: bool) -> str:
    town = rng.choice(_TOWNS)
    if long_number:
        # A four-digit lot number: a group of digits that is not the security code.
        tail = f"{rng.randint(1000, 9999)}番地{rng.randint(1, 30)}"
    elif rng.random() < 0.5:
        tail = f"{rng.randint(1, 9)}丁目{rng.randint(1, 40)}番{rng.randint(1, 30)}号"
    else:
        tail = f"{rng.randint(1, 9)}-{rng.randint(1, 40)}-{rng.randint(1, 30)}"
    room = ""
    if rng.random() < 0.5:
        floor, door = rng.randint(1, 14), rng.randint(1, 29)
        room = f" {rng.choice(_BUILDINGS)}{floor}{door:02}号"
    return f"{rng.choice(_PREFECTURES)}{rng.choice(_CITIES)}{town}{tail}{room}"


def my_number_holder(kind: str, rng: random.Random) -> MyNumberHolder:
    born = _birth(kind, rng)
    if kind == "foreign":
        name = f"{rng.choice(_LATIN_FAMILY)} {rng.choice(_LATIN_GIVEN)}"
        expiry = _day(rng, date(2026, 6, 1), date(2034, 12, 31))
    else:
        name = f"{rng.choice(_SURNAMES)} {rng.choice(_GIVEN)}"
        adult = born < date(2006, 1, 1)
        # The card runs to the holder's birthday, 10 years after issue (5 for children).
        issued = _day(rng, date(2017, 1, 1), date(2026, 3, 31))
        years = 10 if adult else 5
        expiry = _anniversary(born, issued.year + years)
        if expiry.year < 2026:
            expiry = _anniversary(born, 2026 + rng.randint(0, 4))
    code = "".join(rng.choice(string.digits) for _ in range(4))
    address = _address(rng, long_number=rng.random() < 0.3)
    return MyNumberHolder(kind=kind, name=name, address=address, birth=born,
                          sex=rng.choice("12"), expiry=expiry, security_code=code)


_LETTERS = string.ascii_uppercase


def card_number(rng: random.Random) -> str:
    """Two letters, eight digits, two letters; O and I as often as any other letter, and 0 and
    1 in the digits, so the pattern has to settle the look-alikes."""
    head = "".join(rng.choice(_LETTERS) for _ in range(2))
    tail = "".join(rng.choice(_LETTERS) for _ in range(2))
    if rng.random() < 0.3:
        head = rng.choice("OI") + head[1]
    digits = "".join(rng.choice(string.digits) for _ in range(8))
    return f"{head}{digits}{tail}"


def residence_holder(kind: str, rng: random.Random) -> ResidenceHolder:
    born = _day(rng, date(1945, 1, 1), date(2012, 12, 31))
    family, given = rng.choice(_LATIN_FAMILY), rng.choice(_LATIN_GIVEN)
    name = f"{family} {given}"
    if kind == "special-permanent":
        nationality, code = rng.choice(SPR_NATIONALITIES)
        issued = _day(rng, date(2019, 1, 1), date(2026, 3, 31))
        card_expiry = _anniversary(born, issued.year + 7) if born.year < issued.year - 16 \
            else _anniversary(born, born.year + 16)
        return ResidenceHolder(kind=kind, card_number=card_number(rng), name=name, birth=born,
                               sex=rng.choice("MF"), nationality=nationality,
                               nationality_code=code, address=_address(rng, long_number=False),
                               status=None, stay_years=None, stay_expiry=None, permission=None,
                               permission_date=None, issued=issued, card_expiry=card_expiry)
    nationality, code = rng.choice(NATIONALITIES)
    issued = _day(rng, date(2020, 1, 1), date(2026, 3, 31))
    if kind == "residence-permanent":
        status, years, stay_expiry = "永住者", None, None
        card_expiry = issued.replace(year=issued.year + 7) if (issued.month, issued.day) != (
            2, 29) else date(issued.year + 7, 3, 1)
        permission = "永住許可"
    else:
        status = rng.choice(STATUSES)
        years = rng.choice((1, 3, 5))
        stay_expiry = _day(rng, issued + timedelta(days=300 * years),
                           issued + timedelta(days=365 * years))
        card_expiry = stay_expiry
        permission = rng.choice(PERMISSIONS[:3])
    return ResidenceHolder(kind=kind, card_number=card_number(rng), name=name, birth=born,
                           sex=rng.choice("MF"), nationality=nationality, nationality_code=code,
                           address=_address(rng, long_number=False), status=status,
                           stay_years=years, stay_expiry=stay_expiry, permission=permission,
                           permission_date=issued, issued=issued, card_expiry=card_expiry)

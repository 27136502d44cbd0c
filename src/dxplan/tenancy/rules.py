"""全国地方公共団体コード: the six-digit local government code and its check digit."""

from __future__ import annotations

import re

PREFECTURES: dict[str, str] = {
    "01": "北海道", "02": "青森県", "03": "岩手県", "04": "宮城県", "05": "秋田県",
    "06": "山形県", "07": "福島県", "08": "茨城県", "09": "栃木県", "10": "群馬県",
    "11": "埼玉県", "12": "千葉県", "13": "東京都", "14": "神奈川県", "15": "新潟県",
    "16": "富山県", "17": "石川県", "18": "福井県", "19": "山梨県", "20": "長野県",
    "21": "岐阜県", "22": "静岡県", "23": "愛知県", "24": "三重県", "25": "滋賀県",
    "26": "京都府", "27": "大阪府", "28": "兵庫県", "29": "奈良県", "30": "和歌山県",
    "31": "鳥取県", "32": "島根県", "33": "岡山県", "34": "広島県", "35": "山口県",
    "36": "徳島県", "37": "香川県", "38": "愛媛県", "39": "高知県", "40": "福岡県",
    "41": "佐賀県", "42": "長崎県", "43": "熊本県", "44": "大分県", "45": "宮崎県",
    "46": "鹿児島県", "47": "沖縄県",
}  # fmt: skip

_CODE = re.compile(r"[0-9]{6}")


def check_digit(first_five: str) -> int:
    """The check digit of a five-digit code (weights 6,5,4,3,2; 11 minus the remainder mod 10)."""
    total = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def municipality_code_problem(code: str) -> str | None:
    """Why `code` is not a valid 全国地方公共団体コード, or None when it is."""
    if not _CODE.fullmatch(code):
        return "six digits (全国地方公共団体コード, e.g. 142034)"
    if code[:2] not in PREFECTURES:
        return "a code whose first two digits are a prefecture (01-47)"
    expected = check_digit(code[:5])
    if int(code[5]) != expected:
        return f"check digit {expected} (a valid code would be {code[:5]}{expected})"
    return None


def prefecture_of(code: str) -> str:
    """The prefecture a valid municipality code belongs to."""
    return PREFECTURES[code[:2]]

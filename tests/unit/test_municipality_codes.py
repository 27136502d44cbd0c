import pytest

from dxplan.tenancy.rules import check_digit, municipality_code_problem, prefecture_of


@pytest.mark.parametrize(
    ("code", "prefecture"),
    [
        ("142034", "神奈川県"),  # 平塚市
        ("142115", "神奈川県"),  # 秦野市
        ("142140", "神奈川県"),  # 伊勢原市: remainder 1 gives check digit 0
        ("131016", "東京都"),  # 千代田区
        ("011002", "北海道"),  # 札幌市
        ("472018", "沖縄県"),  # 那覇市
    ],
)
def test_real_municipality_codes_are_valid(code: str, prefecture: str) -> None:
    assert municipality_code_problem(code) is None
    assert prefecture_of(code) == prefecture


def test_a_wrong_check_digit_names_the_right_one() -> None:
    assert municipality_code_problem("142035") == ("check digit 4 (a valid code would be 142034)")


def test_remainder_zero_gives_check_digit_one() -> None:
    # 6*0 + 5*1 + 4*0 + 3*0 + 2*3 = 11, remainder 0: 11 - 0 = 11, last digit 1.
    assert check_digit("01003") == 1


@pytest.mark.parametrize("code", ["14203", "1420340", "14203a", "１４２０３４", ""])
def test_codes_that_are_not_six_ascii_digits_are_refused(code: str) -> None:
    assert municipality_code_problem(code) == "six digits (全国地方公共団体コード, e.g. 142034)"


@pytest.mark.parametrize("code", ["001001", "481001", "991009"])
def test_codes_outside_the_47_prefectures_are_refused(code: str) -> None:
    assert municipality_code_problem(code) == (
        "a code whose first two digits are a prefecture (01-47)"
    )

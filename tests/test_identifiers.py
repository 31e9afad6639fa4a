from datetime import date

import pytest

from models.identifiers import id_number_error, mask_id_number, uscc_check_char, uscc_error


@pytest.mark.parametrize("code", ["91110000600037341L", "52150203MJ00000183", "91150203MA0Q12343A",
                                  "51150200MJ0000018T", "52150203mj00000183"])
def test_valid_credit_codes_pass_including_leading_letters_and_lower_case(code):
    assert uscc_error(code) is None


@pytest.mark.parametrize("code,fragment", [
    ("91110000600037341M", "校验位"),
    ("9111000060003734", "18 位"),
    ("91110000600037341I", "不允许的字符"),
    ("O1110000600037341L", "不允许的字符"),
])
def test_bad_credit_codes_are_refused_with_a_reason(code, fragment):
    assert fragment in uscc_error(code)


def test_credit_code_check_character_by_hand():
    # 9 1 1 1 0 0 0 0 6 0 0 0 3 7 3 4 1 weighted: sum mod 31 = 11, check = 31 - 11 = 20 -> 'L'
    assert uscc_check_char("91110000600037341") == "L"


@pytest.mark.parametrize("number", ["11010519491231002X", "150203199001010010", "15020219850615123X",
                                    "11010519491231002x"])
def test_valid_id_numbers(number):
    assert id_number_error(number, date(2026, 11, 27)) is None


@pytest.mark.parametrize("number,fragment", [
    ("110105194912310021", "校验位"),
    ("11010519491331002X", "出生日期不存在"),
    ("150203203001010010", "晚于今天"),
    ("15020319900101001", "18 位"),
])
def test_bad_id_numbers(number, fragment):
    assert fragment in id_number_error(number, date(2026, 11, 27))


def test_id_numbers_are_masked_for_display():
    assert mask_id_number("150203199001010010") == "150203********0010"

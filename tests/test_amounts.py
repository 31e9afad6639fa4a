"""Amounts in capitals (DOMAIN.md §7), including the issue's required values."""
from decimal import Decimal

import pytest

from docgen.formats import amount_in_words, cn_date, yuan


@pytest.mark.parametrize("amount,words", [
    ("0", "人民币零元整"),
    ("0.05", "人民币伍分"),
    ("10", "人民币壹拾元整"),
    ("15", "人民币壹拾伍元整"),
    ("100000.00", "人民币壹拾万元整"),
    ("1000010.50", "人民币壹佰万零壹拾元零伍角整"),  # units digit zero: 零 after 元, as 107000.53
    ("123456789.12", "人民币壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
    ("1409.50", "人民币壹仟肆佰零玖元伍角整"),
    ("6007.14", "人民币陆仟零柒元壹角肆分"),
    ("16409.02", "人民币壹万陆仟肆佰零玖元零贰分"),
    ("325.04", "人民币叁佰贰拾伍元零肆分"),
    ("107000.53", "人民币壹拾万柒仟元零伍角叁分"),
    ("100000000", "人民币壹亿元整"),
    ("100010000", "人民币壹亿零壹万元整"),
    ("0.50", "人民币伍角整"),
])
def test_amount_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def test_floats_are_refused():
    with pytest.raises(TypeError):
        amount_in_words(0.1)


def test_figures_and_dates():
    assert yuan(Decimal("1234567.5")) == "¥1,234,567.50"
    from datetime import date

    assert cn_date(date(2026, 1, 5)) == "2026年1月5日"

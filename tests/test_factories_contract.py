from tests import factories


def test_make_contract_gives_a_signed_contract_in_performance(app):
    c = factories.make_contract("150203", factories.org("X"))
    assert c.state == "in_performance" and c.number.startswith("包昆司购")
    assert sum(i.amount for i in c.instalments) == c.amount

def test_home_page_for_visitors(client):
    r = client.get("/")
    assert r.status_code == 200
    assert "承接主体注册" in r.get_data(as_text=True)


def test_login_as_district(login):
    c = login("district_a")
    r = c.get("/")
    assert r.status_code == 200
    assert "待审核的注册申请" in r.get_data(as_text=True)

"""The route in a real browser: file, sign off, return, resubmit, sign off again, adopt and forward, adopt."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_journey_county_city_province(page, login, live_server, tree):
    from bulletins.models import Bulletin
    from review.models import ReviewEvent

    staff = tree.user("county_a1", "staff")
    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)

    def as_user(user):
        page.context.clear_cookies()
        login(user)

    # Staff file the draft through the form and submit it from its page.
    as_user(staff)
    page.click("[data-testid=nav-bulletins]")
    page.click("[data-testid=new-bulletin]")
    page.fill("#id_title", "东湖区推行党员积分管理")
    page.select_option("#id_category", label="经验做法")
    page.fill("#id_body", "东湖区在全区推行党员积分管理，参与率达百分之九十五。")
    page.fill("#id_source", "区委组织部组织科提供，经台账核对。")
    page.fill("#id_contact_name", "张明")
    page.fill("#id_contact_phone", "0571-88000000")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=bulletin-title]")
    bulletin = Bulletin.objects.get(title="东湖区推行党员积分管理")
    detail_url = f"{live_server.url}/bulletins/{bulletin.pk}/"
    decide_url = f"{live_server.url}/review/{bulletin.pk}/"

    def decide_from_queue(user, action, **fields):
        as_user(user)
        page.goto(f"{live_server.url}/review/")
        page.get_by_role("link", name=bulletin.title).click()
        page.check(f"input[name=action][value={action}]")
        for name, value in fields.items():
            if name == "comment":
                page.fill("textarea[name=comment]", value)
            else:
                page.select_option(f"select[name={name}]", value)
        page.click("input[type=submit][name=submit]")
        page.wait_for_load_state()
        assert page.locator(".alert-success").count() == 1, page.content()[:3000]

    page.click("[data-testid=submit-bulletin]")
    page.wait_for_selector("[data-testid=withdraw-bulletin]")
    # The county reviewer signs off; the city reviewer returns it with a reason.
    decide_from_queue(tree.user("county_a1", "reviewer"), "sign_off")
    decide_from_queue(
        tree.user("city_a", "reviewer"), "return", return_reason="verify", comment="请核实参与率的统计口径。"
    )
    # Staff read the reason in the inbox, revise through the edit form and resubmit.
    as_user(staff)
    page.goto(f"{live_server.url}/inbox/")
    assert "请核实参与率的统计口径" in page.inner_text("main")
    page.goto(detail_url)
    # The reason and the comment are at the top of the page, where the officer looks first.
    notice = page.inner_text("[data-testid=return-notice]")
    assert "临江市退回修改" in notice and "需核实" in notice and "请核实参与率的统计口径。" in notice
    page.click("[data-testid=edit]")
    page.fill("#id_body", "东湖区在全区推行党员积分管理，参与率达百分之九十三。")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=bulletin-title]")
    page.click("[data-testid=submit-bulletin]")
    page.wait_for_selector("[data-testid=compare-link]")  # version 2 is frozen
    assert dialogs[-1] == ("确定将修改稿提交本单位审核签发吗？正文将固定为新版本；签发后直接报送退回单位临江市。")
    # It waits for the county's own sign-off (审核签发), and the route says where it goes next.
    assert "修改稿须先经东湖区审核签发，签发后直接报送临江市" in page.inner_text("[data-testid=route]")
    stops = page.locator("[data-testid=route-stop]")
    assert stops.nth(0).get_attribute("data-state") == "here"
    decide_from_queue(tree.user("county_a1", "reviewer"), "sign_off")
    # The city sees the change, adopts and forwards; the province adopts.
    as_user(tree.user("city_a", "reviewer"))
    page.goto(decide_url)
    assert page.locator("[data-testid=diff] ins").first.inner_text() == "三"
    decide_from_queue(tree.user("city_a", "reviewer"), "adopt_forward", kind="full")
    decide_from_queue(tree.user("province", "reviewer"), "adopt", kind="abridged")

    # The author sees the route on the bulletin's page, and the inbox.
    as_user(staff)
    assert page.locator("[data-testid=unread-count]").inner_text() == "3"
    page.goto(detail_url)
    stops = page.locator("[data-testid=route-stop]")
    assert [stops.nth(i).get_attribute("data-unit") for i in range(stops.count())] == ["lj-dh", "lj", "jd", "zy"]
    assert [stops.nth(i).get_attribute("data-state") for i in range(4)] == ["done", "done", "final", "ahead"]
    route = page.inner_text("[data-testid=route]")
    assert "退回" in route and "采用" in route and "需核实" in route
    assert page.locator("[data-testid=route-event]").count() == 7
    page.click("[data-testid=inbox-link]")
    notices = page.locator("[data-testid=notification]")
    assert notices.count() == 3
    text = page.inner_text("main")
    assert "江东省" in text and "临江市" in text
    page.click("[data-testid=mark-all-read]")
    assert page.locator("[data-testid=unread-count]").count() == 0
    assert list(ReviewEvent.objects.filter(bulletin=bulletin).values_list("action", flat=True)) == [
        "submit",
        "sign_off",
        "return",
        "resubmit",
        "sign_off",
        "adopt_forward",
        "adopt",
    ]

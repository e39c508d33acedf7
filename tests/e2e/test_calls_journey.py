"""A call in a real browser: the province issues it to a county chosen in the tree picker, the county
answers, its sign-off sends the answer straight to the province's queue, marked, and progress shows 已报."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_issue_answer_route_and_progress(page, login, live_server, tree):
    from bulletins.models import Bulletin
    from calls.models import Call

    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations before submit and sign-off

    def as_user(user):
        page.context.clear_cookies()
        login(user)

    # The province reviewer issues a call to one county, picked in the lazily loaded tree.
    as_user(tree.user("province", "reviewer"))
    page.click("[data-testid=nav-calls]")
    page.click("[data-testid=new-call]")
    page.fill("#id_title", "关于报送基层党建创新做法的约稿通知")
    page.fill("#id_theme", "基层党建创新")
    page.fill("#id_requirements", "每篇800字以内。")
    deadline = timezone.localtime() + timedelta(days=5)
    page.fill("#id_deadline_at", f"{deadline:%Y-%m-%dT%H:%M}")
    page.check("input[name=target_mode][value=chosen]")
    tree_box = page.locator("[data-testid=unit-tree]")
    tree_box.get_by_text(tree.city_a.name).wait_for()
    tree_box.locator(".unit-tree-node", has_text=tree.city_a.name).locator(".unit-tree-toggle").first.click()
    page.check(f"#unit-{tree.county_a1.pk}")
    assert page.input_value("#id_chosen_units") == str(tree.county_a1.pk)
    page.click("[data-testid=call-form] button[type=submit]")
    page.wait_for_selector("[data-testid=call-title]")
    call = Call.objects.get()
    assert list(call.targets.values_list("unit_id", flat=True)) == [tree.county_a1.pk]

    # The county's information officer sees it on the home page and answers it.
    as_user(tree.user("county_a1", "staff"))
    page.goto(f"{live_server.url}/")
    page.locator("[data-testid=home-calls]").get_by_role("link", name=call.title).click()
    page.click("[data-testid=answer-call]")
    page.fill("#id_title", "东湖区推行党员积分制管理")
    page.select_option("#id_category", label="经验做法")
    page.fill("#id_body", "东湖区在全区推行党员积分制管理，参与率达百分之九十五。")
    page.fill("#id_source", "区委组织部组织科提供，经台账核对。")
    page.fill("#id_contact_name", "张明")
    page.fill("#id_contact_phone", "0571-88000000")
    page.click("[data-testid=save-draft]")
    page.wait_for_selector("[data-testid=answered-call]")
    page.click("[data-testid=submit-bulletin]")
    page.wait_for_selector("[data-testid=withdraw-bulletin]")
    bulletin = Bulletin.objects.get(title="东湖区推行党员积分制管理")

    # The county reviewer signs it off: it goes to the province, not to the city in between.
    as_user(tree.user("county_a1", "reviewer"))
    page.goto(f"{live_server.url}/review/{bulletin.pk}/")
    page.check("input[name=action][value=sign_off]")
    page.click("input[type=submit][name=submit]")
    page.wait_for_load_state()
    bulletin.refresh_from_db()
    assert bulletin.current_unit_id == tree.province.pk

    as_user(tree.user("province", "reviewer"))
    page.goto(f"{live_server.url}/review/")
    row = page.locator("[data-testid=queue-row]", has_text=bulletin.title)
    assert row.locator("[data-testid=call-answer-badge]").count() == 1
    page.goto(f"{live_server.url}/calls/{call.pk}/progress/")
    assert page.locator("[data-testid=progress-row]").first.locator("[data-testid=target-state]").inner_text() == "已报"

    # The city in between does not have it in its queue.
    as_user(tree.user("city_a", "reviewer"))
    page.goto(f"{live_server.url}/review/")
    assert page.locator("[data-testid=queue-row]", has_text=bulletin.title).count() == 0

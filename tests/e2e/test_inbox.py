"""The inbox in a real browser: the badge falls when a notice is opened or its item decided."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def make_draft(tree):
    from bulletins.models import Category
    from bulletins.services import bulletin_create

    def make(*, title):
        return bulletin_create(
            actor=tree.user("county_a1", "staff"),
            title=title,
            body=f"{title}的正文。",
            category=Category.objects.get(code="practice"),
            source="区委组织部提供，已电话核实",
            contact_name="张明",
            contact_phone="0571-88000000",
        )

    return make


def _badge(page):
    badge = page.locator("[data-testid=unread-count]")
    return int(badge.inner_text()) if badge.count() else 0


def test_the_unread_badge_falls(page, login, live_server, tree, make_draft):
    from review.services import bulletin_submit, review_sign_off

    staff = tree.user("county_a1", "staff")
    first, second = make_draft(title="第一条信息"), make_draft(title="第二条信息")
    bulletin_submit(actor=staff, bulletin=first)
    bulletin_submit(actor=staff, bulletin=second)

    head = tree.user("county_a1", "head")
    login(head)
    assert _badge(page) == 2
    # Opening a notice from the inbox reads it and lands on its decision page.
    page.goto(f"{live_server.url}/inbox/")
    page.get_by_role("link", name="待审核：《第一条信息》").click()
    page.wait_for_selector("[data-testid=decision-form]")
    assert page.url == f"{live_server.url}/review/{first.pk}/"
    assert _badge(page) == 1

    # A colleague decides the second one: the head's notice about it is resolved.
    review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=second)
    page.goto(f"{live_server.url}/inbox/")
    assert _badge(page) == 0
    resolved = page.locator("[data-testid=notification][data-state=resolved]")
    assert resolved.count() == 1 and "第二条信息" in resolved.inner_text() and "已处理" in resolved.inner_text()


def test_mark_all_read_is_a_button_and_the_phone_menu_shows_the_count(page, login, live_server, tree, make_draft):
    from review.services import bulletin_submit

    staff = tree.user("county_a1", "staff")
    for title in ("第一条信息", "第二条信息", "第三条信息"):
        bulletin_submit(actor=staff, bulletin=make_draft(title=title))
    page.set_viewport_size({"width": 390, "height": 844})
    login(tree.user("county_a1", "reviewer"))
    # The menu is folded away at phone width; the count stays in sight beside its button.
    assert not page.locator("#mainNav").is_visible()
    assert page.locator("[data-testid=unread-count-phone]").inner_text() == "3"
    page.click("[data-testid=inbox-link-phone]")
    page.click("[data-testid=mark-all-read]")
    page.wait_for_selector(".alert-success")
    assert page.locator("[data-testid=unread-count-phone]").count() == 0
    assert page.locator("[data-testid=notification][data-state=read]").count() == 3


def test_print_header_and_required_marks(page, login, live_server, tree):
    login(tree.user("county_a1", "staff"))
    page.goto(f"{live_server.url}/bulletins/new/")
    header = page.locator("[data-testid=print-header]")
    assert not header.is_visible()
    marked = page.locator("label:has(.asteriskField)")
    labels = [marked.nth(i).inner_text().rstrip("*").strip() for i in range(marked.count())]
    assert labels == ["标题", "类别", "正文", "联系人", "联系电话"]
    color = page.eval_on_selector(".asteriskField", "el => getComputedStyle(el).color")
    assert color == "rgb(220, 53, 69)"
    page.emulate_media(media="print")
    assert header.is_visible() and header.inner_text().startswith("东湖区委组织部 · ")
    assert not page.locator(".site-nav").is_visible() and not page.locator("[data-testid=save]").is_visible()

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_staff_logs_in_and_sees_chinese_home(page, login, live_server):
    from django.core.management import call_command

    from accounts.models import User
    from demo.units import DEMO_PASSWORD

    call_command("seed_demo")
    staff = User.objects.get(username="lj-dh.staff")
    login(staff, DEMO_PASSWORD)
    assert page.url.rstrip("/") == live_server.url
    assert page.get_by_role("heading", name="欢迎").is_visible() or "欢迎" in page.content()
    assert "东湖区" in page.inner_text("nav")
    assert page.locator("html").get_attribute("lang") == "zh-hans"

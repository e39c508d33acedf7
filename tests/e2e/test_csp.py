"""Under the Content-Security-Policy every page works in Chromium, and the browser reports no violation."""

import pytest

from bulletins.models import Bulletin
from tests.dashboards.conftest import dataset, rules  # noqa: F401 - fixtures
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page):
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    # The event carries what the console may word differently.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    return refused


def _visit(page, url, refused):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    return refused


def test_no_page_breaks_the_policy(page, login, live_server, tree, dataset):  # noqa: F811
    refused = _watch(page)
    bulletin = Bulletin.objects.filter(filing_unit=tree.county_a1).order_by("pk").first()
    login(tree.user("city_a", "head"))
    for path in (
        "/",
        "/bulletins/",
        f"/bulletins/{bulletin.pk}/",
        "/review/",
        "/review/handled/",
        "/inbox/",
        "/dashboard/?period=year&ref=2025-03",
    ):
        _visit(page, live_server.url + path, refused)
    # The charts draw and their tooltips show (ECharts sets styles from script, which the policy allows).
    page.hover("#chart-trend canvas, #chart-trend svg")
    page.context.clear_cookies()
    login(tree.user("county_a1", "staff"))
    _visit(page, live_server.url + "/bulletins/new/", refused)
    page.fill("#id_body", "字数统计")  # the live character count runs from static/js
    page.context.clear_cookies()
    login(UserFactory(unit=tree.central, username="root", is_staff=True, is_superuser=True))
    for path in ("/admin/", "/admin/bulletins/bulletin/", f"/admin/bulletins/bulletin/{bulletin.pk}/change/"):
        _visit(page, live_server.url + path, refused)
    assert refused == []

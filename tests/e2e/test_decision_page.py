"""The decision page in Chromium: attachments open or download, only the chosen decision's fields
show, and the reviewer who loses a concurrent decision keeps what they typed."""

from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.bulletins.conftest import PNG_BYTES, office_zip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A one-page PDF with a line of text, for Chromium's PDF viewer to draw.
_STREAM = b"BT /F1 24 Tf 30 100 Td (Bulletin attachment) Tj ET"
_OBJECTS = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    b"<< /Length %d >>\nstream\n" % len(_STREAM) + _STREAM + b"\nendstream",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
]


def _pdf() -> bytes:
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(_OBJECTS, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(_OBJECTS) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(_OBJECTS) + 1, xref)


@pytest.fixture
def waiting_at_city(tree):
    """A bulletin with a PDF, a photo and a spreadsheet, signed off by county A1, waiting at city A."""
    from bulletins.models import Category
    from bulletins.services import bulletin_create
    from review.services import bulletin_submit, review_sign_off

    staff = tree.user("county_a1", "staff")
    files = [
        SimpleUploadedFile("会议纪要.pdf", _pdf()),
        SimpleUploadedFile("现场照片.png", PNG_BYTES),
        SimpleUploadedFile("参训人员统计表.xlsx", office_zip("xl/")),
    ]
    bulletin = bulletin_create(
        actor=staff,
        title="东湖区举办村党组织书记培训班",
        body="东湖区委组织部举办村党组织书记培训班，全区86名村党组织书记参加。",
        category=Category.objects.get(code="news"),
        place="东湖区委党校",
        source="区委组织部组织科提供，经签到表核对。",
        contact_name="张明",
        contact_phone="0571-88000000",
        files=files,
    )
    bulletin_submit(actor=staff, bulletin=bulletin)
    review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
    return bulletin


def _outside_requests(page, live_server):
    host = urlparse(live_server.url).netloc
    outside = []
    page.context.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if request.url.startswith("http") and urlparse(request.url).netloc != host
            else None
        ),
    )
    return outside


def test_attachments_open_in_the_browser_or_download_from_the_decision_page(
    page, login, live_server, tree, waiting_at_city
):
    outside = _outside_requests(page, live_server)
    login(tree.user("city_a", "reviewer"))
    page.goto(f"{live_server.url}/review/{waiting_at_city.pk}/")
    links = page.locator("[data-testid=attachments] [data-testid=attachment-link]")
    assert links.all_inner_texts() == ["会议纪要.pdf", "现场照片.png", "参训人员统计表.xlsx"]

    # The PDF opens in a new tab, in Chromium's own PDF viewer, under the sandboxing policy.
    with page.expect_popup() as popup:
        links.nth(0).click()
    pdf = popup.value
    pdf.wait_for_load_state()
    assert pdf.evaluate("document.contentType") == "application/pdf"

    def is_viewer(frame):
        return frame.url.startswith("chrome-extension://")

    viewer = next(filter(is_viewer, pdf.frames), None) or pdf.wait_for_event("framenavigated", predicate=is_viewer)
    # The viewer's toolbar names the document once it has loaded it (the name from filename*).
    viewer.wait_for_function(
        """() => { const toolbar = document.querySelector("pdf-viewer")?.shadowRoot?.querySelector("viewer-toolbar");
                   return toolbar?.shadowRoot?.querySelector("#title")?.textContent.trim() === "会议纪要.pdf"; }"""
    )
    pdf.screenshot(path="/tmp/shots-decide/attachment-pdf.png")
    pdf.close()

    # The photo shows as an image, drawn despite default-src 'none'.
    with page.expect_popup() as popup:
        links.nth(1).click()
    image = popup.value
    image.wait_for_load_state()
    assert image.evaluate("document.contentType") == "image/png"
    assert image.evaluate("document.images.length === 1 && document.images[0].naturalWidth > 0")
    image.close()

    # The spreadsheet downloads, under its Chinese name.
    response = page.request.get(live_server.url + links.nth(2).get_attribute("href"))
    assert response.headers["content-disposition"].startswith("attachment;")
    with page.expect_download() as download:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; document.body.append(a); a.click(); }",
            links.nth(2).get_attribute("href"),
        )
    assert download.value.suggested_filename == "参训人员统计表.xlsx"
    assert outside == []


def test_the_form_shows_only_the_chosen_decisions_fields(page, login, live_server, tree, waiting_at_city):
    login(tree.user("city_a", "reviewer"))
    page.goto(f"{live_server.url}/review/{waiting_at_city.pk}/")
    fields = {
        name: page.locator(f"[data-testid=field-{name}]")
        for name in ("kind", "return_reason", "decline_reason", "comment")
    }

    def shown():
        return {name for name, locator in fields.items() if locator.is_visible()}

    assert shown() == set()  # nothing chosen yet
    page.check("input[name=action][value=adopt]")
    assert shown() == {"kind"}
    page.check("input[name=action][value=forward]")
    assert shown() == set()
    page.check("input[name=action][value=return]")
    assert shown() == {"return_reason", "comment"}
    page.check("input[name=action][value=decline]")
    assert shown() == {"decline_reason", "comment"}
    page.screenshot(path="/tmp/shots-decide/decide-decline-chosen.png", full_page=True)

    # Choose return, forget the reason: the error comes back with the return's fields shown.
    page.check("input[name=action][value=return]")
    page.fill("textarea[name=comment]", "请补充培训内容和成效。")
    page.click("input[type=submit][name=submit]")
    page.wait_for_load_state()
    assert page.locator("#id_return_reason.is-invalid").is_visible()
    assert shown() == {"return_reason", "comment"}
    assert page.input_value("textarea[name=comment]") == "请补充培训内容和成效。"
    page.screenshot(path="/tmp/shots-decide/decide-return-error.png", full_page=True)


def test_the_reviewer_who_loses_keeps_what_they_typed(browser, live_server, tree, waiting_at_city, settings):
    from review.models import ReviewEvent
    from tests.factories import TEST_PASSWORD

    settings.SESSION_COOKIE_SECURE = False
    url = f"{live_server.url}/review/{waiting_at_city.pk}/"
    pages = []
    for user in (tree.user("city_a", "reviewer"), tree.user("city_a", "head")):
        context = browser.new_context(
            locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1366, "height": 768}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", TEST_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.goto(url)
        pages.append(page)
    winner, loser = pages
    # The head starts writing a return while the reviewer adopts and forwards.
    typed = "第二段“86名”与签到表不符，\n请核实后重新报送。"
    loser.check("input[name=action][value=return]")
    loser.select_option("select[name=return_reason]", "verify")
    loser.fill("textarea[name=comment]", typed)
    winner.check("input[name=action][value=adopt_forward]")
    winner.select_option("select[name=kind]", "full")
    winner.click("input[type=submit][name=submit]")
    winner.wait_for_load_state()
    assert winner.locator(".alert-success").count() == 1

    loser.click("input[type=submit][name=submit]")
    loser.wait_for_load_state()
    told = loser.inner_text("[data-testid=decided-first]")
    assert "临江市reviewer" in told and "采用并上报" in told
    entered = loser.locator("[data-testid=entered]")
    assert entered.locator("textarea[name=comment]").input_value() == typed
    assert entered.locator("input[name=action][value=return]").is_checked()
    assert entered.locator("select[name=return_reason]").input_value() == "verify"
    assert entered.locator("[data-testid=field-return_reason]").is_visible()
    assert not entered.locator("[data-testid=field-kind]").count()
    loser.screenshot(path="/tmp/shots-decide/decide-lost-race.png", full_page=True)
    assert [e.action for e in ReviewEvent.objects.filter(bulletin=waiting_at_city, from_unit=tree.city_a)] == [
        "adopt_forward"
    ]
    for page in pages:
        page.context.close()


def test_the_history_keeps_short_words_on_one_line_at_1366(page, login, live_server, tree, waiting_at_city):
    from review.services import review_adopt, review_return

    review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=waiting_at_city, kind="abridged", forward=True)
    review_return(
        actor=tree.user("province", "reviewer"),
        bulletin=waiting_at_city,
        reason="wording",
        comment="第二段文字偏长，请压缩到三百字以内，突出培训成效和下一步打算，并补充参训人员的反馈意见。",
    )
    page.set_viewport_size({"width": 1366, "height": 768})
    login(tree.user("county_a1", "staff"))
    page.goto(f"{live_server.url}/review/{waiting_at_city.pk}/")
    history = page.locator("[data-testid=history]")
    # Every cell but the comment is one line high: no 版/本 or 东湖/区 broken over two lines.
    heights = history.evaluate(
        """table => [...table.querySelectorAll("th, td")].filter(c => !c.classList.contains("history-comment"))
           .map(c => { const text = document.createRange(); text.selectNodeContents(c);
                       const lineHeight = parseFloat(getComputedStyle(c).lineHeight);
                       return [c.innerText, text.getBoundingClientRect().height, lineHeight]; })"""
    )
    for text, height, line_height in heights:
        assert height < 2 * line_height, (text, height, line_height)
    assert "采用方式：摘要采用" in page.inner_text("[data-testid=route]")
    assert "原因/采用方式" in history.inner_text()
    history.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/shots-decide/decide-history-1366.png", full_page=True)

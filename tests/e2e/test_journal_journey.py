"""A journal issue in a real browser, from compiling to reading: the reviewer picks adopted
bulletins, the office head signs off after the confirmation, the filing unit is told and its
bulletin shows "刊于《…》", which opens the issue; a unit outside the readers gets 404.

With JOURNAL_SHOTS=<folder> the test saves a screenshot of every journal page there."""

import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("JOURNAL_SHOTS")


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def adopted(tree):
    from bulletins.models import Category
    from bulletins.services import bulletin_create
    from review.services import bulletin_submit, review_adopt, review_sign_off

    def make(title, county):
        staff = tree.user(county, "staff")
        bulletin = bulletin_create(
            actor=staff,
            title=title,
            body=f"{title}。今年以来，通过建立台账、定期通报，参与率达百分之九十五。\n下一步将总结经验，在全市推广。",
            category=Category.objects.get(code="practice"),
            contact_name="张明",
            contact_phone="0571-88000000",
            source="组织科提供，经台账核对。",
            place="青石镇",
        )
        bulletin_submit(actor=staff, bulletin=bulletin)
        review_sign_off(actor=tree.user(county, "reviewer"), bulletin=bulletin)
        review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, kind="full")
        return bulletin

    return [make("东湖区推行党员积分管理", "county_a1"), make("西岭县推进网格化党建", "county_a2")]


def test_compile_sign_off_notify_and_read(page, login, live_server, tree, adopted, monkeypatch):
    from documents import services as document_services
    from journals.models import Issue, Journal, JournalType
    from journals.types import ensure_default_types

    # The PDF itself is checked in tests/journals/test_render.py; here the journey (the .docx
    # is still made by python-docx, LibreOffice's conversion replaced by a fixed PDF).
    monkeypatch.setattr(document_services, "convert_docx_to_pdf", lambda docx: b"%PDF-1.4 journey\n")
    ensure_default_types(JournalType)
    journal = Journal.objects.create(
        unit=tree.city_a,
        type=JournalType.objects.get(code="regular"),
        name="临江组工信息",
        masthead="临江组工信息",
        compiling_office="中共临江市委组织部办公室编",
        distribution="报：省委组织部\n送：市委组织部部务会成员\n发：各县（区）委组织部",
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))

    def as_user(user):
        page.context.clear_cookies()
        login(user)

    # The city reviewer compiles: a new draft, then the picker.
    as_user(tree.user("city_a", "reviewer"))
    page.click("[data-testid=nav-journals]")
    _shot(page, "01-journal-list")
    page.get_by_role("link", name="《临江组工信息》").click()
    page.click("[data-testid=new-issue]")
    page.wait_for_selector("[data-testid=items-empty]")
    page.click("[data-testid=to-picker]")
    page.wait_for_selector("[data-testid=picker-row]")
    assert page.locator("[data-testid=picker-row]").count() == 2
    _shot(page, "03-picker")
    page.check(f"input[name=adoptions][value='{adopted[0].adoptions.get().pk}']")
    page.check("input[name=kind][value=abridged]")
    page.click("[data-testid=add-picked]")
    # An abridged item opens for editing, starting from the adopted text.
    page.wait_for_selector("[data-testid=item-form]")
    assert "参与率达百分之九十五" in page.input_value("#id_body")
    page.fill("#id_body", "东湖区推行党员积分管理，参与率达百分之九十五。")
    page.fill("#id_editors_note", "积分管理让党员作用看得见、可量化。")
    page.click("[data-testid=item-form] button[type=submit]")
    page.wait_for_selector("[data-testid=issue-item]")
    _shot(page, "02-compile")
    issue = Issue.objects.get(journal=journal)
    assert page.locator("[data-testid=to-sign-off]").count() == 0  # reviewers do not sign off

    # The office head signs off after the confirmation page.
    as_user(tree.user("city_a", "head"))
    page.goto(f"{live_server.url}/journals/issues/{issue.pk}/")
    page.click("[data-testid=to-sign-off]")
    page.wait_for_selector("[data-testid=sign-off-warning]")
    _shot(page, "04-sign-off")
    page.click("[data-testid=confirm-sign-off]")  # the box is not ticked: the browser asks for it
    assert page.locator("#id_confirm").evaluate("box => box.validity.valueMissing")
    issue.refresh_from_db()
    assert issue.number is None
    page.check("#id_confirm")
    page.click("[data-testid=confirm-sign-off]")
    page.wait_for_selector("[data-testid=pdf-link]")
    issue.refresh_from_db()
    assert issue.is_published and issue.number == 1
    assert f"{issue.year}年第1期（总第1期）" in page.inner_text("[data-testid=issue-line]")
    _shot(page, "05-published-issue")

    # The filing unit's author is told, and follows the notice to the issue.
    as_user(tree.user("county_a1", "staff"))
    page.click("[data-testid=inbox-link]")
    notice = page.locator("[data-testid=open-notification]").first
    expected = f"您单位报送的《东湖区推行党员积分管理》被《临江组工信息》{issue.year}年第1期采用（摘要）"
    assert notice.inner_text() == expected
    notice.click()
    page.wait_for_selector("[data-testid=issue-label]")
    assert page.url.endswith(f"/journals/issues/{issue.pk}/")
    # The bulletin shows where it was printed, as a link to the issue.
    page.goto(f"{live_server.url}/bulletins/{adopted[0].pk}/")
    line = page.locator("[data-testid=printed-in-entry]")
    assert line.inner_text() == f"刊于《临江组工信息》{issue.year}年第1期（摘要）"
    _shot(page, "07-printed-in")
    line.get_by_role("link").click()
    page.wait_for_selector("[data-testid=issue-item]")
    assert "积分管理让党员作用看得见" in page.inner_text("[data-testid=issue-item]")
    page.goto(f"{live_server.url}/journals/{journal.pk}/")
    page.wait_for_selector("[data-testid=issue-row]")
    _shot(page, "06-reading-room")
    page.fill("#id_q", "积分")
    page.click("[data-testid=journal-search] button[type=submit]")
    page.wait_for_selector("[data-testid=search-result]")
    page.goto(f"{live_server.url}/journals/issues/{issue.pk}/print/")
    page.wait_for_selector("[data-testid=print-view]")
    _shot(page, "08-print-view")

    # A unit outside the readers: 404 for the page and both files.
    as_user(tree.user("county_b1", "staff"))
    for path in (
        f"/journals/issues/{issue.pk}/",
        f"/documents/{issue.document_id}/file.pdf",
        f"/documents/{issue.document_id}/file.docx",
    ):
        assert page.goto(live_server.url + path).status == 404
    assert dialogs == []


def test_delete_a_draft_after_the_confirmation(page, login, live_server, tree, adopted):
    """The reviewer deletes an unwanted draft: the confirmation names it and asks why; without
    a reason nothing happens; afterwards the journal page says so, the draft is gone and its
    bulletins are back in the picker of a new draft."""
    from journals.models import Issue, IssueState, Journal, JournalType
    from journals.services import issue_add_items, issue_create, issue_update
    from journals.types import ensure_default_types

    ensure_default_types(JournalType)
    journal = Journal.objects.create(
        unit=tree.city_a,
        type=JournalType.objects.get(code="regular"),
        name="临江组工信息",
        masthead="临江组工信息",
        compiling_office="中共临江市委组织部办公室编",
    )
    reviewer = tree.user("city_a", "reviewer")
    issue = issue_create(actor=reviewer, journal=journal)
    issue_update(actor=reviewer, issue=issue, title="基层党建专题", editors_note="", signer=None)
    issue_add_items(actor=reviewer, issue=issue, adoption_ids=[b.adoptions.get().pk for b in adopted], kind="full")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))

    login(reviewer)
    page.goto(f"{live_server.url}/journals/issues/{issue.pk}/")
    page.click("[data-testid=to-discard]")
    page.wait_for_selector("[data-testid=discard-form]")
    assert page.inner_text("[data-testid=discard-title]") == "基层党建专题"
    assert page.inner_text("[data-testid=discard-count]") == "2 条"
    _shot(page, "09-discard")
    page.click("[data-testid=confirm-discard]")  # no reason: the browser asks for one
    assert page.locator("#id_reason").evaluate("box => box.validity.valueMissing")
    assert Issue.objects.get(pk=issue.pk).state == IssueState.DRAFT

    page.fill("#id_reason", "主题调整，本期不再编发")
    page.click("[data-testid=confirm-discard]")
    page.wait_for_selector("[data-testid=drafts]")
    assert page.url.endswith(f"/journals/{journal.pk}/")
    assert "《临江组工信息》的草稿已删除，其中的信息可以重新选用。" in page.inner_text("main")
    assert page.locator("[data-testid=draft-row]").count() == 0
    assert Issue.objects.get(pk=issue.pk).state == IssueState.DISCARDED
    _shot(page, "10-after-discard")

    page.click("[data-testid=new-issue]")
    page.click("[data-testid=to-picker]")
    page.wait_for_selector("[data-testid=picker-row]")
    assert page.locator("[data-testid=picker-row]").count() == 2
    assert dialogs == []

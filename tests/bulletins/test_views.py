"""The bulletin pages through the test client: forms, conflicts, deleting, downloads, lists, compare."""

from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bulletins.models import Attachment, Bulletin, BulletinStatus, Category
from bulletins.services import bulletin_freeze_version, bulletin_lock, bulletin_update
from tests.bulletins.conftest import (
    EXE_BYTES,
    JPG_BYTES,
    OLE2_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    file_bulletin,
    form_data,
    office_zip,
    pdf,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(tree):
    return tree.user("county_a1", "staff")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


# Creating and editing ------------------------------------------------------------------------


def test_create_with_an_attachment(staff_client, staff):
    page = staff_client.get(reverse("bulletins:create"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "js/char_count.js" in content and 'data-max="5000"' in content and 'data-guidance="1500"' in content

    response = staff_client.post(reverse("bulletins:create"), {**form_data(), "files": [pdf("../../材料.pdf")]})
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response.url == reverse("bulletins:detail", args=[bulletin.pk])
    assert bulletin.author == staff and bulletin.attachments.get().original_name == "材料.pdf"


def test_invalid_form_shows_chinese_messages_and_writes_nothing(staff_client):
    response = staff_client.post(
        reverse("bulletins:create"),
        {**form_data(title="", contact_phone="12345"), "files": [upload("病毒.pdf", EXE_BYTES)]},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "请填写标题" in content and "请填写正确的联系电话" in content and "不是真正的 PDF 文件" in content
    assert not Bulletin.objects.exists() and not Attachment.objects.exists()


def test_edit_keeps_the_form_filled_and_saves(staff_client, staff):
    bulletin = file_bulletin(staff)
    page = staff_client.get(reverse("bulletins:edit", args=[bulletin.pk]))
    assert page.context["form"].initial["title"] == bulletin.title
    assert page.context["form"].initial["edit_version"] == 1
    response = staff_client.post(
        reverse("bulletins:edit", args=[bulletin.pk]), form_data(title="改后的标题", edit_version="1")
    )
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.title == "改后的标题" and bulletin.edit_version == 2


def test_edit_conflict_keeps_the_second_text_and_links_the_current_version(client, tree, staff):
    bulletin = file_bulletin(staff)
    colleague = tree.user("county_a1", "staff")
    # Both opened the form at edit_version 1; the first saves.
    bulletin_update(actor=staff, bulletin_id=bulletin.pk, expected_edit_version=1, body="第一位同事保存的正文")
    client.force_login(colleague)
    response = client.post(
        reverse("bulletins:edit", args=[bulletin.pk]), form_data(body="第二位同事写的正文", edit_version="1")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "其他人已保存了这篇信息" in content
    assert "第二位同事写的正文" in content  # nothing typed is lost
    assert reverse("bulletins:detail", args=[bulletin.pk]) in content  # a link to the current version
    assert response.context["conflict"]["current"].body == "第一位同事保存的正文"
    bulletin.refresh_from_db()
    assert bulletin.body == "第一位同事保存的正文"
    # The form now carries the current counter: saving again is a deliberate replacement.
    assert response.context["form"]["edit_version"].value() == "2"
    again = client.post(
        reverse("bulletins:edit", args=[bulletin.pk]), form_data(body="第二位同事写的正文", edit_version="2")
    )
    assert again.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.body == "第二位同事写的正文"


def test_remove_an_attachment(staff_client, staff):
    bulletin = file_bulletin(staff)
    bulletin_update(actor=staff, bulletin_id=bulletin.pk, expected_edit_version=1, files=[pdf()])
    attachment = bulletin.attachments.get()
    edit_page = staff_client.get(reverse("bulletins:edit", args=[bulletin.pk])).content.decode()
    assert reverse("bulletins:attachment_remove", args=[attachment.pk]) in edit_page
    response = staff_client.post(reverse("bulletins:attachment_remove", args=[attachment.pk]))
    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.removed_at is not None
    detail = staff_client.get(reverse("bulletins:detail", args=[bulletin.pk]))
    assert reverse("bulletins:attachment", args=[attachment.pk]) not in detail.content.decode()


# Deleting ------------------------------------------------------------------------------------


def test_delete_needs_a_confirmation_page(staff_client, staff):
    bulletin = file_bulletin(staff)
    page = staff_client.get(reverse("bulletins:delete", args=[bulletin.pk]))
    assert page.status_code == 200 and "确定删除这篇草稿吗" in page.content.decode()
    assert Bulletin.objects.filter(pk=bulletin.pk).exists()
    response = staff_client.post(reverse("bulletins:delete", args=[bulletin.pk]))
    assert response.status_code == 302 and response.url == reverse("bulletins:list")
    assert not Bulletin.objects.filter(pk=bulletin.pk).exists()


def test_a_submitted_bulletin_offers_no_delete(staff_client, staff):
    bulletin = file_bulletin(staff)
    with transaction.atomic():
        bulletin_freeze_version(bulletin=bulletin_lock(bulletin_id=bulletin.pk), actor=staff)
    Bulletin.objects.filter(pk=bulletin.pk).update(status=BulletinStatus.RETURNED)
    detail = staff_client.get(reverse("bulletins:detail", args=[bulletin.pk])).content.decode()
    assert reverse("bulletins:delete", args=[bulletin.pk]) not in detail
    response = staff_client.post(reverse("bulletins:delete", args=[bulletin.pk]))
    assert response.status_code == 302 and Bulletin.objects.filter(pk=bulletin.pk).exists()


# Downloads -----------------------------------------------------------------------------------


SANDBOX_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


@pytest.mark.parametrize(
    ("name", "content", "content_type", "disposition"),
    [
        ("会议纪要.pdf", PDF_BYTES, "application/pdf", "inline"),
        ("现场照片.png", PNG_BYTES, "image/png", "inline"),
        ("现场照片.jpg", JPG_BYTES, "image/jpeg", "inline"),
        ("统计表.xlsx", None, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "attachment"),
        ("情况说明.doc", OLE2_BYTES, "application/msword", "attachment"),
    ],
)
def test_pdf_and_images_open_in_the_browser_other_files_download(
    staff_client, staff, name, content, content_type, disposition
):
    content = content if content is not None else office_zip("xl/")
    bulletin = file_bulletin(staff)
    bulletin_update(actor=staff, bulletin_id=bulletin.pk, expected_edit_version=1, files=[upload(name, content)])
    attachment = bulletin.attachments.get()
    response = staff_client.get(reverse("bulletins:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].split(";")[0] == disposition
    # The Chinese name survives as RFC 5987 filename*.
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX_CSP
    assert b"".join(response.streaming_content) == content


def test_the_detail_page_links_each_attachment_in_a_new_tab(staff_client, staff):
    bulletin = file_bulletin(staff)
    files = [pdf("会议纪要.pdf"), upload("统计表.xlsx", office_zip("xl/"))]
    bulletin_update(actor=staff, bulletin_id=bulletin.pk, expected_edit_version=1, files=files)
    html = staff_client.get(reverse("bulletins:detail", args=[bulletin.pk])).content.decode()
    for attachment in bulletin.attachments.all():
        url = reverse("bulletins:attachment", args=[attachment.pk])
        assert f'<a href="{url}" target="_blank" rel="noopener" data-testid="attachment-link">' in html
    assert html.count("（下载）") == 1  # the spreadsheet downloads; the PDF opens


def test_another_countys_user_gets_404_on_the_download(client, tree, staff):
    bulletin = file_bulletin(staff)
    bulletin_update(actor=staff, bulletin_id=bulletin.pk, expected_edit_version=1, files=[pdf()])
    client.force_login(tree.user("county_a2", "head"))
    assert client.get(reverse("bulletins:attachment", args=[bulletin.attachments.get().pk])).status_code == 404


# Lists ---------------------------------------------------------------------------------------


def _titles(response):
    return [b.title for b in response.context["page_obj"]]


def test_empty_list_invites_writing(staff_client):
    content = staff_client.get(reverse("bulletins:list")).content.decode()
    assert "本单位还没有信息" in content and reverse("bulletins:create") in content


def test_filters_status_category_keyword_and_sort(staff_client, staff):
    news = file_bulletin(staff, title="B 基层党建工作动态", body="网格化治理")
    practice = file_bulletin(
        staff, title="A 年轻干部实践锻炼", body="导师带徒", category=Category.objects.get(code="practice")
    )
    returned = file_bulletin(staff, title="C 后备力量问题", body="村级后备干部不足，党建引领")
    Bulletin.objects.filter(pk=returned.pk).update(status=BulletinStatus.RETURNED)
    url = reverse("bulletins:list")
    assert _titles(staff_client.get(url, {"status": "returned"})) == [returned.title]
    assert _titles(staff_client.get(url, {"category": practice.category_id})) == [practice.title]
    assert set(_titles(staff_client.get(url, {"q": "党建"}))) == {news.title, returned.title}
    assert _titles(staff_client.get(url, {"q": "党建 网格"})) == [news.title]
    assert _titles(staff_client.get(url, {"q": "徒"})) == [practice.title]  # one character: plain contains
    assert _titles(staff_client.get(url, {"sort": "title"})) == [practice.title, news.title, returned.title]
    assert _titles(staff_client.get(url, {"sort": "-title"})) == [returned.title, news.title, practice.title]
    assert _titles(staff_client.get(url)) == [returned.title, practice.title, news.title]  # newest first
    empty = staff_client.get(url, {"q": "不存在的词"})
    assert "没有符合筛选条件的信息" in empty.content.decode()


def test_date_range_filter_uses_the_created_date(staff_client, staff):
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 1, 5, 23, 30)), tick=False):
        early = file_bulletin(staff, title="一月的信息")
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 2, 10, 0, 10)), tick=False):
        late = file_bulletin(staff, title="二月的信息")
    url = reverse("bulletins:list")
    assert _titles(staff_client.get(url, {"created_after": "2026-01-05", "created_before": "2026-01-05"})) == [
        early.title
    ]
    assert _titles(staff_client.get(url, {"created_after": "2026-02-01"})) == [late.title]


def test_overdue_filter_lists_incidents_past_their_deadline_not_signed_off(staff_client, staff):
    incident = Category.objects.get(code="incident")
    now = timezone.now()
    overdue = file_bulletin(staff, title="超时未报", category=incident, occurred_at=now - timedelta(hours=30))
    file_bulletin(staff, title="尚未超时", category=incident, occurred_at=now - timedelta(hours=2))
    sent = file_bulletin(staff, title="超时但已签发", category=incident, occurred_at=now - timedelta(hours=30))
    Bulletin.objects.filter(pk=sent.pk).update(signed_off_at=now - timedelta(hours=1))
    file_bulletin(staff, title="普通信息")
    response = staff_client.get(reverse("bulletins:list"), {"overdue": "on"})
    assert _titles(response) == [overdue.title]


def test_pagination_at_25(staff_client, staff):
    for i in range(26):
        file_bulletin(staff, title=f"第{i:02d}篇")
    first = staff_client.get(reverse("bulletins:list"), {"sort": "title"})
    assert len(first.context["page_obj"]) == 25
    second = staff_client.get(reverse("bulletins:list"), {"sort": "title", "page": 2})
    assert _titles(second) == ["第25篇"]
    assert "?sort=title&page=1" in second.content.decode()  # the filters survive paging


def _list_queries(client):
    client.get(reverse("bulletins:list"))  # the session's first touch writes it once; not the list's cost
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("bulletins:list"), {"q": "党建", "sort": "-date"})
    assert response.status_code == 200
    return len(captured), response


def test_list_runs_the_same_number_of_queries_for_1_and_50(staff_client, staff, tree, django_assert_num_queries):
    incident = Category.objects.get(code="incident")
    file_bulletin(staff, title="党建信息0", category=incident, occurred_at=timezone.now() - timedelta(hours=30))
    small, response = _list_queries(staff_client)
    assert len(response.context["page_obj"]) == 1
    author_b = tree.user("county_a1", "reviewer")
    for i in range(49):
        bulletin = file_bulletin(staff, title=f"党建信息{i + 1}")
        Bulletin.objects.filter(pk=bulletin.pk).update(author=author_b if i % 2 else staff)
    with django_assert_num_queries(small):
        response = staff_client.get(reverse("bulletins:list"), {"q": "党建", "sort": "-date"})
    assert len(response.context["page_obj"]) == 25 and response.context["page_obj"].paginator.count == 50
    # the session, user with unit, unread count, category choices, the planner's estimate of the scope (which
    # way to search, bulletins.selectors.bulletin_keyword_search), count, page: nothing per row
    assert small == 7


# Detail and compare --------------------------------------------------------------------------


def _submit_twice(staff, bulletin, *, new_title, new_body, new_place):
    with transaction.atomic():
        bulletin_freeze_version(bulletin=bulletin_lock(bulletin_id=bulletin.pk), actor=staff)
    Bulletin.objects.filter(pk=bulletin.pk).update(status=BulletinStatus.RETURNED)
    bulletin.refresh_from_db()
    bulletin_update(
        actor=staff,
        bulletin_id=bulletin.pk,
        expected_edit_version=bulletin.edit_version,
        title=new_title,
        body=new_body,
        place=new_place,
    )
    with transaction.atomic():
        bulletin_freeze_version(bulletin=bulletin_lock(bulletin_id=bulletin.pk), actor=staff)


def test_compare_marks_a_changed_chinese_character(staff_client, staff):
    bulletin = file_bulletin(staff, title="东湖区党建工作动态", body="共收集群众诉求1372件，办结率达96.5%。")
    _submit_twice(
        staff,
        bulletin,
        new_title="东湖区党建工作动态",
        new_body="共收集群众诉求1372条，办结率达96.5%。",
        new_place="东湖区柳岸街道",
    )
    detail = staff_client.get(reverse("bulletins:detail", args=[bulletin.pk])).content.decode()
    compare_url = reverse("bulletins:compare", args=[bulletin.pk])
    assert f"{compare_url}?a=1&amp;b=2" in detail
    response = staff_client.get(compare_url, {"a": 1, "b": 2})
    assert response.status_code == 200
    content = response.content.decode()
    assert '<del class="diff-del">件</del>' in content
    assert '<ins class="diff-ins">条</ins>' in content
    facts = response.context["comparison"].changed_facts
    assert [row.label for row in facts] == ["发生地点"]  # the place changed, nothing else
    assert "柳岸街道" in str(facts[0].diff.new_html)


def test_compare_links_each_versions_attachments(staff_client, staff):
    bulletin = file_bulletin(staff)
    bulletin_update(actor=staff, bulletin_id=bulletin.pk, expected_edit_version=1, files=[pdf("初稿附件.pdf")])
    with transaction.atomic():
        bulletin_freeze_version(bulletin=bulletin_lock(bulletin_id=bulletin.pk), actor=staff)
    Bulletin.objects.filter(pk=bulletin.pk).update(status=BulletinStatus.RETURNED)
    bulletin.refresh_from_db()
    bulletin_update(
        actor=staff, bulletin_id=bulletin.pk, expected_edit_version=bulletin.edit_version, files=[pdf("补充材料.pdf")]
    )
    with transaction.atomic():
        bulletin_freeze_version(bulletin=bulletin_lock(bulletin_id=bulletin.pk), actor=staff)
    first, added = bulletin.attachments.order_by("pk")
    response = staff_client.get(reverse("bulletins:compare", args=[bulletin.pk]), {"a": 1, "b": 2})
    html = response.content.decode()
    old = html[html.index('data-testid="old-attachments"') : html.index('data-testid="new-attachments"')]
    new = html[html.index('data-testid="new-attachments"') :]
    first_url, added_url = (reverse("bulletins:attachment", args=[a.pk]) for a in (first, added))
    assert f'href="{first_url}"' in old and f'href="{added_url}"' not in old
    assert f'href="{first_url}"' in new and f'href="{added_url}"' in new


def test_compare_unknown_version_is_404(staff_client, staff):
    bulletin = file_bulletin(staff)
    with transaction.atomic():
        bulletin_freeze_version(bulletin=bulletin_lock(bulletin_id=bulletin.pk), actor=staff)
    assert staff_client.get(reverse("bulletins:compare", args=[bulletin.pk]), {"a": 1, "b": 7}).status_code == 404
    assert staff_client.get(reverse("bulletins:compare", args=[bulletin.pk]), {"a": 1, "b": 1}).status_code == 200


def test_detail_shows_facts_attachments_versions_and_includes(staff_client, staff):
    bulletin = file_bulletin(staff, place="东湖区青石镇", source="经台账核对")
    bulletin_update(actor=staff, bulletin_id=bulletin.pk, expected_edit_version=1, files=[pdf("附件.pdf")])
    response = staff_client.get(reverse("bulletins:detail", args=[bulletin.pk]))
    content = response.content.decode()
    for text in ("东湖区青石镇", "经台账核对", "王晓燕", "13812345678", "附件.pdf", "尚未报送"):
        assert text in content
    templates = {t.name for t in response.templates}
    assert {"review/_route.html", "incidents/_deadline_badge.html"} <= templates

"""The inbox: opening a notice reads it, the read buttons change only what they name."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notification_send

pytestmark = pytest.mark.django_db


def _send(user, title, url=""):
    return notification_send(recipients=[user], kind="test", title=title, url=url)[0]


def _unread(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def test_opening_a_notice_marks_it_read_and_follows_its_link(client, tree):
    staff = tree.user("county_a1", "staff")
    notice = _send(staff, "被退回", url="/bulletins/7/")
    _send(staff, "另一条")
    client.force_login(staff)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    open_url = reverse("notifications:open", args=[notice.pk])
    assert f'href="{open_url}"' in inbox and 'data-testid="unread-count">2<' in inbox
    response = client.get(open_url)
    assert response.status_code == 302 and response["Location"] == "/bulletins/7/"
    assert _unread(staff) == 1
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_opening_someone_elses_notice_is_a_404_and_changes_nothing(client, tree):
    notice = _send(tree.user("county_a1", "head"), "主任的通知", url="/bulletins/7/")
    client.force_login(tree.user("county_a1", "staff"))
    assert client.get(reverse("notifications:open", args=[notice.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[notice.pk + 100])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_a_notice_pointing_elsewhere_lands_in_the_inbox(client, tree):
    staff = tree.user("county_a1", "staff")
    notice = _send(staff, "外链", url="https://evil.example/")
    client.force_login(staff)
    assert client.get(reverse("notifications:open", args=[notice.pk]))["Location"] == reverse("notifications:inbox")


@pytest.mark.parametrize("posted", [{}, {"id": "all"}, {"id": ["1", "x"]}, {"id": "１"}, {"id": "9" * 30}])
def test_a_malformed_id_is_a_400_and_marks_nothing_read(client, tree, posted):
    staff = tree.user("county_a1", "staff")
    _send(staff, "一")
    _send(staff, "二")
    client.force_login(staff)
    assert client.post(reverse("notifications:mark_read"), posted).status_code == 400
    assert _unread(staff) == 2


def test_a_foreign_id_is_a_404_and_marks_nothing_read(client, tree):
    staff, head = tree.user("county_a1", "staff"), tree.user("county_a1", "head")
    mine, theirs = _send(staff, "一"), _send(head, "二")
    client.force_login(staff)
    response = client.post(reverse("notifications:mark_read"), {"id": [str(mine.pk), str(theirs.pk)]})
    assert response.status_code == 404
    assert _unread(staff) == 1 and _unread(head) == 1


def test_mark_one_read_then_all_read(client, tree):
    staff = tree.user("county_a1", "staff")
    first = _send(staff, "一")
    _send(staff, "二")
    _send(staff, "三")
    other = _send(tree.user("county_a1", "head"), "四")
    client.force_login(staff)
    response = client.post(reverse("notifications:mark_read"), {"id": str(first.pk)})
    assert response.status_code == 302 and _unread(staff) == 2
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405  # a button, never a link
    assert _unread(staff) == 2
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert _unread(staff) == 0 and "已将 2 条通知标记为已读" in response.content.decode()
    other.refresh_from_db()
    assert other.read_at is None


def test_inbox_runs_the_same_queries_for_1_and_30_notices(client, tree, django_assert_num_queries):
    staff = tree.user("county_a1", "staff")
    _send(staff, "第1条")
    client.force_login(staff)
    url = reverse("notifications:inbox")
    client.get(url)  # the first request of a session also writes the session's idle timestamp
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(2, 31):
        _send(staff, f"第{n}条")
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["page_obj"].object_list) == 25
    # the session, user with its unit, the count and the page, the unread badge (once, though shown twice).
    assert len(small.captured_queries) == 5

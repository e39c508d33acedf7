"""Inbox rows, e-mail copies, and what happens when the broker or the mail server is down."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from bulletins.models import Category
from bulletins.services import bulletin_create
from notifications.models import Notification
from notifications.selectors import notification_unread_count
from notifications.services import (
    notification_mark_all_read,
    notification_mark_read,
    notification_open,
    notification_resolve,
    notification_send,
)
from notifications.tasks import send_pending_notification_emails

pytestmark = pytest.mark.django_db(transaction=True)


def test_send_creates_one_row_per_recipient_and_one_mail_each(tree, django_capture_on_commit_callbacks):
    staff = tree.user("county_a1", "staff")
    head = tree.user("county_a1", "head")
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[staff, head, staff], kind="test", title="测试通知", url="/x/", dedupe_key="k1")
        notification_send(recipients=[staff], kind="test", title="测试通知", dedupe_key="k1")
    assert Notification.objects.filter(dedupe_key="k1").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([staff.email, head.email])


def test_broker_down_keeps_the_notification_and_catch_up_sends_it(tree, monkeypatch):
    from notifications import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.send_notification_emails, "delay", broker_down)
    staff = tree.user("county_a1", "staff")
    notification_send(recipients=[staff], kind="test", title="经纪人宕机时的通知")  # commits; must not raise
    notification = Notification.objects.get(recipient=staff)
    assert notification.emailed_at is None and mail.outbox == []

    assert send_pending_notification_emails() == 0  # too recent: the regular task may still deliver it
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert send_pending_notification_emails() == 1
        assert send_pending_notification_emails() == 0  # exactly once
    assert [m.subject for m in mail.outbox] == ["经纪人宕机时的通知"]


def test_mark_read(tree):
    staff = tree.user("county_a1", "staff")
    notification_send(recipients=[staff], kind="a", title="一")
    notification_send(recipients=[staff], kind="b", title="二")
    first = Notification.objects.get(title="一")
    assert notification_mark_read(user=staff, notification_ids=[first.pk]) == 1
    assert notification_mark_read(user=staff, notification_ids=[first.pk]) == 0  # already read
    assert notification_mark_all_read(user=tree.user("county_a1", "head")) == 0  # not theirs
    assert notification_mark_all_read(user=staff) == 1
    assert not Notification.objects.filter(recipient=staff, read_at__isnull=True).exists()


@pytest.mark.parametrize("ids", ["none", "foreign", "missing"])
def test_mark_read_with_a_bad_id_changes_nothing(tree, ids):
    staff, head = tree.user("county_a1", "staff"), tree.user("county_a1", "head")
    mine = notification_send(recipients=[staff], kind="a", title="一")[0]
    theirs = notification_send(recipients=[head], kind="a", title="二")[0]
    given = {"none": [], "foreign": [mine.pk, theirs.pk], "missing": [mine.pk, theirs.pk + 1000]}[ids]
    with pytest.raises(Notification.DoesNotExist):
        notification_mark_read(user=staff, notification_ids=given)
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


def test_open_marks_only_ones_own_notice_read(tree):
    staff, head = tree.user("county_a1", "staff"), tree.user("county_a1", "head")
    mine = notification_send(recipients=[staff], kind="a", title="一", url="/bulletins/1/")[0]
    with pytest.raises(Notification.DoesNotExist):
        notification_open(user=head, notification_id=mine.pk)
    mine.refresh_from_db()
    assert mine.read_at is None
    opened = notification_open(user=staff, notification_id=mine.pk)
    assert opened.url == "/bulletins/1/" and opened.read_at is not None
    first_read = opened.read_at
    assert notification_open(user=staff, notification_id=mine.pk).read_at == first_read  # kept, not moved


def _draft(tree, title):
    return bulletin_create(
        actor=tree.user("county_a1", "staff"),
        title=title,
        body="正文",
        category=Category.objects.get(code="practice"),
        contact_name="张明",
        contact_phone="0571-88000000",
    )


def test_resolve_takes_the_notices_of_a_kind_about_a_bulletin_off_the_unread_count(tree):
    reviewer, head = tree.user("county_a1", "reviewer"), tree.user("county_a1", "head")
    bulletin, other = _draft(tree, "一条"), _draft(tree, "另一条")
    notification_send(recipients=[reviewer, head], kind="arrived", title="待审核", bulletin=bulletin)
    notification_send(recipients=[reviewer], kind="arrived", title="待审核另一条", bulletin=other)
    notification_send(recipients=[reviewer], kind="returned", title="被退回", bulletin=bulletin)
    assert notification_unread_count(user=reviewer) == 3
    assert notification_resolve(bulletin_id=bulletin.pk, kind="arrived") == 2
    assert notification_unread_count(user=reviewer) == 2  # the other bulletin's, and another kind
    assert notification_unread_count(user=head) == 0
    assert notification_resolve(bulletin_id=bulletin.pk, kind="arrived") == 0  # once
    resolved = Notification.objects.get(recipient=head)
    assert resolved.resolved_at is not None and resolved.read_at is None  # resolved, not read

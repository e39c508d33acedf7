"""Inbox rows, e-mail copies, and what happens when the broker or the mail server is down."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notification_mark_read, notification_send
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
    assert notification_mark_read(user=tree.user("county_a1", "head")) == 0  # not theirs
    assert notification_mark_read(user=staff) == 1
    assert not Notification.objects.filter(recipient=staff, read_at__isnull=True).exists()

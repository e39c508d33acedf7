"""Who is told what, exactly once; a mail server that is down never undoes a decision."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from notifications.models import Notification
from review.models import ReviewEvent
from review.services import (
    bulletin_resubmit,
    bulletin_submit,
    review_adopt,
    review_decline,
    review_return,
    review_sign_off,
)


def inbox(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True))


@pytest.mark.django_db
def test_who_receives_what_exactly_once(tree, make_draft, django_capture_on_commit_callbacks):
    staff = tree.user("county_a1", "staff")
    bulletin = make_draft()
    with django_capture_on_commit_callbacks(execute=True):
        bulletin_submit(actor=staff, bulletin=bulletin)
    # Arrived at the own unit for sign-off: the county's reviewer and head, nobody else.
    assert inbox(tree.user("county_a1", "reviewer")) == ["arrived"]
    assert inbox(tree.user("county_a1", "head")) == ["arrived"]
    assert inbox(staff) == [] and inbox(tree.user("city_a", "reviewer")) == []

    with django_capture_on_commit_callbacks(execute=True):
        review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
    assert inbox(tree.user("city_a", "reviewer")) == ["arrived"]
    assert inbox(tree.user("city_a", "head")) == ["arrived"]
    assert inbox(tree.user("city_a", "staff")) == [] and inbox(tree.user("city_b", "reviewer")) == []

    with django_capture_on_commit_callbacks(execute=True):
        review_return(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, reason="verify", comment="请核实数字")
    assert inbox(staff) == ["returned"]
    returned = Notification.objects.get(recipient=staff)
    assert "请核实数字" in returned.body and bulletin.title in returned.title

    with django_capture_on_commit_callbacks(execute=True):
        bulletin_resubmit(actor=staff, bulletin=bulletin)
    # The revision waits for the county's own sign-off: its reviewers are told, the city not yet.
    assert inbox(tree.user("county_a1", "reviewer")) == ["arrived", "arrived"]
    assert inbox(tree.user("city_a", "reviewer")) == ["arrived"]
    with django_capture_on_commit_callbacks(execute=True):
        review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
    assert inbox(tree.user("city_a", "reviewer")) == ["arrived", "arrived"]

    with django_capture_on_commit_callbacks(execute=True):
        review_adopt(actor=tree.user("city_a", "head"), bulletin=bulletin, kind="full", forward=True)
    assert inbox(staff) == ["returned", "adopted"]
    assert inbox(tree.user("province", "reviewer")) == ["arrived"]

    with django_capture_on_commit_callbacks(execute=True):
        review_decline(actor=tree.user("province", "reviewer"), bulletin=bulletin, reason="low_value")
    assert inbox(staff) == ["returned", "adopted", "declined"]

    # One e-mail per notification, to the right address.
    assert len(mail.outbox) == Notification.objects.count()
    assert sorted(m.to[0] for m in mail.outbox).count(staff.email) == 3


class DownBackend(BaseEmailBackend):
    calls = 0

    def send_messages(self, messages):
        DownBackend.calls += 1
        raise ConnectionRefusedError("mail server is down")


@pytest.mark.django_db(transaction=True)
def test_mail_server_down_never_breaks_a_decision(tree, at_city, settings):
    settings.EMAIL_BACKEND = "tests.review.test_notifications.DownBackend"
    DownBackend.calls = 0
    staff = tree.user("county_a1", "staff")
    review_return(actor=tree.user("city_a", "reviewer"), bulletin=at_city, reason="wording", comment="文字再精炼")

    # Committed despite the failing mail server (a fresh read from the database).
    assert ReviewEvent.objects.filter(bulletin=at_city, action="return").count() == 1
    notice = Notification.objects.get(recipient=staff, kind="returned")
    assert notice.emailed_at is None
    # Tried once; the notice keeps the reason and when to try again (the catch-up task does).
    assert DownBackend.calls == 1
    assert notice.email_attempts == 1 and notice.email_retry_at > notice.created_at
    assert "mail server is down" in notice.email_error

    # The server is back: the retry delivers it, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    from notifications.tasks import send_notification_emails

    send_notification_emails.delay([notice.pk])
    send_notification_emails.delay([notice.pk])
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    assert [m.to for m in mail.outbox] == [[staff.email]]


@pytest.mark.django_db
def test_the_authors_notice_names_an_adoptions_kind_as_its_kind(tree, at_city, django_capture_on_commit_callbacks):
    staff = tree.user("county_a1", "staff")
    with django_capture_on_commit_callbacks(execute=True):
        review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=at_city, kind="abridged", forward=True)
    with django_capture_on_commit_callbacks(execute=True):
        review_return(actor=tree.user("province", "reviewer"), bulletin=at_city, reason="wording", comment="精简")
    adopted, returned = Notification.objects.filter(recipient=staff).order_by("pk")
    assert "采用方式：摘要采用" in adopted.body and "原因" not in adopted.body
    assert "原因：文字表述" in returned.body

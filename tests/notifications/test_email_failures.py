"""E-mail that no single bad notice can stop: a real SMTP server (aiosmtpd) refuses, defers, accepts."""

import email
import email.policy
import socket
from datetime import timedelta

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.utils import timezone

from notifications import services
from notifications.models import Notification
from notifications.services import notification_pending_email_ids, notification_send
from notifications.tasks import send_notification_emails, send_pending_notification_emails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UNKNOWN = "nobody@example.org"
BUSY = "busy@example.org"


class Office:
    """An office mail server: refuses UNKNOWN for good (550), defers BUSY (451) while it is busy."""

    def __init__(self):
        self.received = []
        self.busy = True

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == UNKNOWN:
            return "550 5.1.1 No such user"
        if address == BUSY and self.busy:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"

    def subjects_to(self, address):
        # str() of a folded encoded-word header starts with the folding space
        return [str(m["Subject"]).strip() for m in self.received if m["To"] == address]


@pytest.fixture
def office(settings):
    handler = Office()
    with socket.socket() as probe:  # a free port (aiosmtpd checks its own start on the port it is given)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    controller.stop()


def _notice(user, title="待审核：《东湖区推行党员积分管理》"):
    [notice] = notification_send(recipients=[user], kind="test", title=title, url="/review/1/")
    return notice


def test_a_refused_recipient_and_a_title_with_a_newline_hold_back_no_other_notice(tree, office):
    refused_user = tree.user("county_a2", "staff")
    refused_user.email = UNKNOWN
    refused_user.save(update_fields=["email"])
    good, refused, odd = tree.user("county_a1", "staff"), refused_user, tree.user("county_a1", "head")
    notices = [_notice(refused), _notice(odd, title="第一行\n第二行\u202e（倒序）\u200b"), _notice(good)]

    assert send_notification_emails([n.pk for n in notices]) == 2

    assert office.subjects_to(good.email) == ["待审核：《东湖区推行党员积分管理》"]
    assert office.subjects_to(odd.email) == ["第一行 第二行 （倒序）"]
    given_up = Notification.objects.get(pk=notices[0].pk)
    assert given_up.email_failed_at is not None and given_up.emailed_at is None
    assert "550" in given_up.email_error
    assert given_up.pk not in notification_pending_email_ids(older_than_minutes=0), "never tried again"


def test_a_deferred_notice_is_tried_again_later_and_then_sent_once(tree, office):
    user = tree.user("county_a1", "staff")
    user.email = BUSY
    user.save(update_fields=["email"])
    notice = _notice(user)

    assert send_notification_emails([notice.pk]) == 0
    notice.refresh_from_db()
    assert (notice.email_attempts, notice.email_failed_at, notice.emailed_at) == (1, None, None)
    assert "451" in notice.email_error
    assert notice.pk not in notification_pending_email_ids(), "not before its time"

    office.busy = False
    with time_machine.travel(notice.email_retry_at + timedelta(seconds=1)):
        assert notice.pk in notification_pending_email_ids()
        assert send_pending_notification_emails() == 1
        assert send_pending_notification_emails() == 0
    assert len(office.subjects_to(BUSY)) == 1


def test_the_catch_up_goes_past_a_notice_that_fails(tree, office):
    refused_user = tree.user("county_a2", "staff")
    refused_user.email = UNKNOWN
    refused_user.save(update_fields=["email"])
    first, second = _notice(refused_user), _notice(tree.user("county_a1", "staff"))
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert notification_pending_email_ids() == [first.pk, second.pk]
        assert send_pending_notification_emails() == 1
    assert Notification.objects.get(pk=second.pk).emailed_at is not None


def test_a_notice_deferred_every_time_is_given_up_after_the_last_attempt(tree, office):
    user = tree.user("county_a1", "staff")
    user.email = BUSY
    user.save(update_fields=["email"])
    notice = _notice(user)
    waits = []
    for _attempt in range(services.EMAIL_MAX_ATTEMPTS):
        with time_machine.travel(notice.email_retry_at or timezone.now()):
            send_notification_emails([notice.pk])
        previous = notice.email_retry_at
        notice.refresh_from_db()
        if notice.email_retry_at and previous:
            waits.append(notice.email_retry_at - previous)
    assert notice.email_failed_at is not None and notice.email_attempts == services.EMAIL_MAX_ATTEMPTS
    assert waits == sorted(waits) and max(waits) <= timedelta(minutes=services.EMAIL_RETRY_MAX_MINUTES)


def test_an_administrator_sees_the_notices_given_up_and_why(client, tree, office):
    refused_user = tree.user("county_a2", "staff")
    refused_user.email = UNKNOWN
    refused_user.save(update_fields=["email"])
    given_up, sent = (
        _notice(refused_user, title="被退信的通知"),
        _notice(tree.user("county_a1", "staff"), title="已发出的通知"),
    )
    send_notification_emails([given_up.pk, sent.pk])
    client.force_login(UserFactory(unit=tree.central, username="root", is_staff=True, is_superuser=True))
    page = client.get("/admin/notifications/notification/", {"email": "failed"}).content.decode()
    assert "被退信的通知" in page and "已发出的通知" not in page
    detail = client.get(f"/admin/notifications/notification/{given_up.pk}/change/").content.decode()
    assert "550" in detail

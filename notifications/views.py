from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from notifications.models import Notification
from notifications.selectors import notification_inbox
from notifications.services import notification_mark_all_read, notification_mark_read, notification_open


@require_GET
def inbox(request):
    page = Paginator(notification_inbox(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page_obj": page})


@require_GET
def open_notice(request, pk: int):
    """Follow a notice's link: mark it read, then go where it points.

    A GET, so that the notice's link is a plain link (opens in a new tab, works without
    JavaScript). It is safe to be one: it only ever marks the requesting user's own notice (anyone
    else's is a 404, like one that does not exist), marking read is idempotent and destroys
    nothing, and the session cookie is SameSite=Lax, so a cross-site page cannot trigger it from an
    image or a script; a cross-site top-level link only does what the user then sees: opens it.
    """
    try:
        notification = notification_open(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("notifications:inbox")


@require_POST
def mark_read(request):
    """Mark the posted notices read. A missing, malformed or foreign id changes nothing."""
    raw = request.POST.getlist("id")
    if not raw or not all(value.isascii() and value.isdigit() and len(value) <= 18 for value in raw):
        return HttpResponseBadRequest(_("Say which notifications to mark as read."))
    try:
        count = notification_mark_read(user=request.user, notification_ids=[int(value) for value in raw])
    except Notification.DoesNotExist:
        raise Http404 from None
    if count:
        messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return _back(request)


@require_POST
def mark_all_read(request):
    count = notification_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return _back(request)


def _back(request):
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("notifications:inbox")

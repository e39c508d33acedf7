from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from notifications.models import Notification
from notifications.services import notification_mark_read


@require_GET
def inbox(request):
    notifications = Notification.objects.filter(recipient=request.user).select_related("bulletin")
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page_obj": page})


@require_POST
def mark_read(request):
    ids = request.POST.getlist("id")
    count = notification_mark_read(user=request.user, notification_ids=[int(i) for i in ids if i.isdigit()] or None)
    if count:
        messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("notifications:inbox")

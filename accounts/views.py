"""The locked-out accounts page: an office head unlocks a colleague, an administrator anyone."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import locked_accounts, recent_unlocks
from accounts.services import NotLocked, user_unlock


def _may_unlock(user) -> bool:
    return user.is_superuser or user.is_office_head


def locked_list(request):
    if not _may_unlock(request.user):
        raise Http404
    return render(
        request,
        "accounts/locked_list.html",
        {"accounts": locked_accounts(actor=request.user), "unlocks": recent_unlocks(actor=request.user)},
    )


@require_POST
def unlock(request, pk: int):
    if not _may_unlock(request.user):
        raise Http404
    try:
        record = user_unlock(actor=request.user, user_id=pk)
    except PermissionDenied:
        raise Http404 from None
    except NotLocked:
        messages.info(request, _("This account was not locked (any more)."))
    else:
        messages.success(
            request,
            _("%(name)s can log in again (%(n)s failed logins cleared).") % {"name": record.user, "n": record.failures},
        )
    return redirect("locked_list")

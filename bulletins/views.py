"""Bulletin pages: fetch through the scope, check the predicate, validate, call one service, redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bulletins.attachments import INLINE_TYPES
from bulletins.diff import char_diff
from bulletins.exceptions import BulletinError, EditConflict
from bulletins.filters import SCOPE_VISIBLE, BulletinFilter
from bulletins.forms import BulletinForm
from bulletins.pagination import CappedPaginator
from bulletins.permissions import can_create, can_delete, can_edit
from bulletins.selectors import attachment_get, bulletin_display, bulletin_get, bulletin_list, version_compare
from bulletins.services import attachment_remove, bulletin_create, bulletin_delete_draft, bulletin_update
from documents.responses import file_response

PAGE_SIZE = 25


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
def bulletin_list_view(request):
    may_search_all = request.user.can_review
    everything = may_search_all and request.GET.get("scope") == SCOPE_VISIBLE
    queryset = bulletin_list(user=request.user, everything=everything)
    filterset = BulletinFilter(request.GET or None, queryset=queryset, request=request)
    # A keyword search over a large scope is not counted but estimated (bulletins.selectors).
    paginator = CappedPaginator(filterset.qs, PAGE_SIZE, estimated_count=filterset.estimated_count)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page_obj": page,
        "querystring": _querystring_without_page(request),
        "filtered": any(v for k, v in request.GET.items() if k not in ("page", "sort")),
        "may_create": can_create(request.user),
        "may_search_all": may_search_all,
        "everything": everything,
        "sort_links": {field: _sort_link(request, field) for field in ("title", "date")},
    }
    return render(request, "bulletins/list.html", context)


def _sort_link(request, field: str) -> dict:
    """A column header's link (ascending first, then descending) and its arrow."""
    current = request.GET.get("sort") or "-date"  # the list's default order: newest first
    params = request.GET.copy()
    params.pop("page", None)
    params["sort"] = f"-{field}" if current == field else field
    arrow = "▲" if current == field else "▼" if current == f"-{field}" else ""
    return {"url": "?" + params.urlencode(), "arrow": arrow}


@require_GET
def bulletin_detail_view(request, pk):
    bulletin = bulletin_get(user=request.user, pk=pk)
    versions = bulletin.version_list  # newest first
    context = {
        "bulletin": bulletin,
        "shown": bulletin_display(user=request.user, bulletin=bulletin),
        "versions": versions,
        "may_edit": can_edit(request.user, bulletin),
        "may_delete": can_delete(request.user, bulletin),
    }
    return render(request, "bulletins/detail.html", context)


@require_http_methods(["GET", "POST"])
def bulletin_create_view(request):
    if not can_create(request.user):
        messages.error(request, _("Only information officers can write bulletins."))
        return redirect("bulletins:list")
    form = BulletinForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            bulletin = bulletin_create(actor=request.user, files=form.cleaned_data["files"], **form.bulletin_fields())
        except ValidationError as error:
            _add_service_errors(form, error)
        except BulletinError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Draft “%(title)s” saved.") % {"title": bulletin.title})
            return redirect("bulletins:detail", pk=bulletin.pk)
    return render(request, "bulletins/form.html", {"form": form, "creating": True})


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error("files", error)


@require_http_methods(["GET", "POST"])
def bulletin_edit_view(request, pk):
    bulletin = bulletin_get(user=request.user, pk=pk)
    if not can_edit(request.user, bulletin):
        messages.error(request, _("This bulletin cannot be edited now."))
        return redirect("bulletins:detail", pk=bulletin.pk)
    existing = len(bulletin.active_attachments)
    conflict = None
    if request.method == "POST":
        form = BulletinForm(request.POST, request.FILES, existing_attachments=existing)
        if form.is_valid():
            try:
                bulletin_update(
                    actor=request.user,
                    bulletin_id=bulletin.pk,
                    expected_edit_version=form.cleaned_data["edit_version"] or 0,
                    files=form.cleaned_data["files"],
                    **form.bulletin_fields(),
                )
            except EditConflict as error:
                conflict = _conflict_context(request, form, error, bulletin_pk=bulletin.pk)
                form = conflict.pop("form")
            except ValidationError as error:
                _add_service_errors(form, error)
            except BulletinError as error:
                messages.error(request, error.message)
                return redirect("bulletins:detail", pk=bulletin.pk)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("bulletins:detail", pk=bulletin.pk)
    else:
        initial = {name: getattr(bulletin, name) for name in BulletinForm.FIELD_NAMES}
        initial.update(title=bulletin.working_title, body=bulletin.working_body)
        initial["edit_version"] = bulletin.edit_version
        form = BulletinForm(initial=initial, existing_attachments=existing)
    context = {"form": form, "bulletin": bulletin, "creating": False, "conflict": conflict}
    return render(request, "bulletins/form.html", context)


def _conflict_context(request, form, error: EditConflict, *, bulletin_pk: int) -> dict:
    """Keep the editor's text, show what is saved now, and arm the form to replace it deliberately."""
    current = bulletin_get(user=request.user, pk=bulletin_pk)
    data = request.POST.copy()
    data["edit_version"] = str(current.edit_version)
    rebound = BulletinForm(data, existing_attachments=len(current.active_attachments))
    rebound.is_valid()
    mine = form.cleaned_data
    return {
        "form": rebound,
        "message": error.message,
        "current": current,
        "title_diff": char_diff(current.working_title, mine.get("title") or ""),
        "body_diff": char_diff(current.working_body, mine.get("body") or ""),
        "had_files": bool(mine.get("files")),
    }


@require_http_methods(["GET", "POST"])
def bulletin_delete_view(request, pk):
    bulletin = bulletin_get(user=request.user, pk=pk)
    if not can_delete(request.user, bulletin):
        messages.error(request, _("Only a draft that was never submitted can be deleted."))
        return redirect("bulletins:detail", pk=bulletin.pk)
    if request.method == "POST":
        try:
            bulletin_delete_draft(actor=request.user, bulletin_id=bulletin.pk)
        except BulletinError as error:
            messages.error(request, error.message)
            return redirect("bulletins:detail", pk=bulletin.pk)
        messages.success(request, _("Draft “%(title)s” deleted.") % {"title": bulletin.title})
        return redirect("bulletins:list")
    return render(request, "bulletins/confirm_delete.html", {"bulletin": bulletin})


@require_GET
def attachment_download_view(request, pk):
    attachment = attachment_get(user=request.user, pk=pk)
    return file_response(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
        inline=attachment.content_type in INLINE_TYPES,
        reader=request.user,
    )


@require_POST
def attachment_remove_view(request, pk):
    attachment = attachment_get(user=request.user, pk=pk)
    try:
        attachment_remove(actor=request.user, attachment_id=attachment.pk)
    except BulletinError as error:
        messages.error(request, error.message)
        return redirect("bulletins:detail", pk=attachment.bulletin_id)
    messages.success(request, _("Attachment “%(name)s” removed.") % {"name": attachment.original_name})
    return redirect("bulletins:edit", pk=attachment.bulletin_id)


@require_GET
def version_compare_view(request, pk):
    bulletin = bulletin_get(user=request.user, pk=pk)
    numbers = [v.number for v in bulletin.version_list]
    if not numbers:
        messages.info(request, _("This bulletin has no submitted versions yet."))
        return redirect("bulletins:detail", pk=bulletin.pk)
    newest = max(numbers)
    old_number = _int_param(request, "a", default=max(newest - 1, 1))
    new_number = _int_param(request, "b", default=newest)
    comparison = version_compare(bulletin=bulletin, old_number=old_number, new_number=new_number)
    context = {
        "bulletin": bulletin,
        "comparison": comparison,
        "numbers": sorted(numbers),
        "detail_url": reverse("bulletins:detail", args=[bulletin.pk]),
    }
    return render(request, "bulletins/compare.html", context)


def _int_param(request, name: str, *, default: int) -> int:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else default

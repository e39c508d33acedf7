"""Pages of calls: thin — fetch through the scope, check the predicate, validate, call one service."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bulletins.forms import BulletinForm
from bulletins.selectors import bulletin_get
from calls.export import progress_workbook
from calls.forms import CallForm, CloseForm, ExtendForm, PointListForm
from calls.models import CallAttachment, TargetState
from calls.permissions import can_answer, can_issue, is_issuer
from calls.selectors import (
    call_get_for,
    call_history,
    call_progress,
    calls_addressed_to,
    calls_issued_by,
    point_coverage,
    point_get_for_tagging,
    point_list_get_for,
    point_lists_for,
    target_of,
    unit_children,
)
from calls.services import (
    CallError,
    call_answer_create,
    call_close,
    call_extend,
    call_issue,
    call_remind,
    point_tag,
    point_untag,
    points_publish,
)
from documents.responses import file_response

PAGE_SIZE = 25
PROGRESS_PAGE_SIZE = 100


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_GET
def call_list(request):
    """约稿: the calls addressed to my unit, and those my unit issued."""
    addressed = Paginator(calls_addressed_to(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    issued = Paginator(calls_issued_by(user=request.user), PAGE_SIZE).get_page(request.GET.get("issued_page"))
    context = {"addressed": addressed, "issued": issued, "may_issue": can_issue(request.user), "now": timezone.now()}
    return render(request, "calls/list.html", context)


@require_http_methods(["GET", "POST"])
def call_new(request):
    if not can_issue(request.user):
        raise Http404
    form = CallForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = call_issue(
                actor=request.user,
                title=data["title"],
                theme=data["theme"],
                requirements=data["requirements"],
                deadline_at=data["deadline_at"],
                target_mode=data["target_mode"],
                chosen_unit_ids=data["chosen_units"],
                items_per_unit=data["items_per_unit"],
                files=data["files"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        except CallError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Call “%(title)s” issued to %(n)d units.") % {"title": call.title, "n": call.target_count}
            )
            return redirect("calls:detail", pk=call.pk)
    return render(request, "calls/form.html", {"form": form})


@require_GET
def call_detail(request, pk):
    call = call_get_for(user=request.user, pk=pk)
    target = target_of(call=call, unit_id=request.user.unit_id)
    issuer = is_issuer(request.user, call)
    context = {
        "call": call,
        "target": target,
        "is_issuer": issuer,
        "may_answer": can_answer(request.user, call, target),
        "my_answers": list(target.answers.select_related("bulletin").order_by("created_at")) if target else [],
        "history": call_history(call=call) if issuer else [],
        "extend_form": ExtendForm(initial={"deadline_at": timezone.localtime(call.deadline_at)}) if issuer else None,
        "close_form": CloseForm() if issuer else None,
    }
    return render(request, "calls/detail.html", context)


@require_http_methods(["GET", "POST"])
def call_answer(request, pk):
    """File a bulletin in answer to the call: the bulletin form, the draft linked to the call."""
    call = call_get_for(user=request.user, pk=pk)
    target = target_of(call=call, unit_id=request.user.unit_id)
    if not can_answer(request.user, call, target):
        raise Http404
    form = BulletinForm(request.POST or None, request.FILES or None, initial={"title": call.theme[:100]})
    if request.method == "POST" and form.is_valid():
        try:
            answer = call_answer_create(
                actor=request.user, call=call, files=form.cleaned_data["files"], **form.bulletin_fields()
            )
        except ValidationError as error:
            _form_errors(form, error)
        except CallError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "Draft saved in answer to “%(title)s”: submit it for your unit's sign-off; it then goes "
                    "straight to %(unit)s."
                )
                % {"title": call.title, "unit": call.issuer_unit.name},
            )
            return redirect("bulletins:detail", pk=answer.bulletin_id)
    return render(request, "calls/answer.html", {"form": form, "call": call})


def _issuer_call(request, pk):
    call = call_get_for(user=request.user, pk=pk)
    if not is_issuer(request.user, call):
        raise Http404
    return call


@require_POST
def call_extend_view(request, pk):
    call = _issuer_call(request, pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            call_extend(actor=request.user, call=call, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        except CallError as error:
            messages.error(request, error.message)
            return redirect("calls:detail", pk=call.pk)
        else:
            messages.success(request, _("Deadline moved; the units not answered yet will be reminded anew."))
            return redirect("calls:detail", pk=call.pk)
    context = {
        "call": call,
        "target": None,
        "is_issuer": True,
        "may_answer": False,
        "my_answers": [],
        "history": call_history(call=call),
        "extend_form": form,
        "close_form": CloseForm(),
    }
    return render(request, "calls/detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
def call_close_view(request, pk):
    """Confirm, then close the call early (the reason is recorded)."""
    call = _issuer_call(request, pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call_close(actor=request.user, call=call, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _form_errors(form, error)
        except CallError as error:
            messages.error(request, error.message)
            return redirect("calls:detail", pk=call.pk)
        else:
            messages.success(request, _("Call closed; its reminders are cancelled."))
            return redirect("calls:detail", pk=call.pk)
    return render(request, "calls/close.html", {"call": call, "form": form})


@require_GET
def call_progress_view(request, pk):
    call = _issuer_call(request, pk)
    state = request.GET.get("state", "")
    targets, progress = call_progress(call=call, state=state)
    page = Paginator(targets, PROGRESS_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    context = {
        "call": call,
        "page_obj": page,
        "progress": progress,
        "state": state,
        "states": TargetState.choices,
        "today": today,
    }
    return render(request, "calls/progress.html", context)


@require_GET
def call_progress_export(request, pk):
    call = _issuer_call(request, pk)
    targets, progress = call_progress(call=call)
    content = progress_workbook(
        call=call, targets=targets.iterator(chunk_size=2000), progress=progress, compiled_by=request.user.unit.name
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = f"约稿进度-{call.pk}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"call-{call.pk}.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


@require_POST
def call_remind_view(request, pk, unit_id):
    call = _issuer_call(request, pk)
    try:
        call_remind(actor=request.user, call=call, unit_id=unit_id)
    except CallError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Reminder sent (催报); logged in the call's history."))
    return redirect("calls:progress", pk=call.pk)


@require_GET
def call_attachment(request, pk, attachment_id):
    call = call_get_for(user=request.user, pk=pk)
    attachment = get_object_or_404(CallAttachment, pk=attachment_id, call=call)
    return file_response(
        attachment.file,
        filename=attachment.original_name,
        content_type="application/octet-stream",
        inline=False,
        reader=request.user,
    )


@require_GET
def unit_children_view(request):
    """The tree picker's lazy children: {"units": [{id, name, level, has_children}]} within my subtree."""
    if not can_issue(request.user):
        raise Http404
    raw = request.GET.get("parent")
    try:
        parent_id = int(raw) if raw else None
    except ValueError:
        raise Http404 from None
    return JsonResponse({"units": unit_children(root=request.user.unit, parent_id=parent_id)})


# --- reporting points ---------------------------------------------------------------------------


@require_GET
def points_list(request):
    lists = Paginator(point_lists_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "calls/points_list.html", {"page_obj": lists, "may_publish": can_issue(request.user)})


@require_http_methods(["GET", "POST"])
def points_new(request):
    if not can_issue(request.user):
        raise Http404
    form = PointListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            points = points_publish(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        except CallError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Reporting points published."))
            return redirect("calls:points_detail", pk=points.pk)
    return render(request, "calls/points_form.html", {"form": form})


@require_GET
def points_detail(request, pk):
    points = point_list_get_for(user=request.user, pk=pk)
    own = points.unit_id == request.user.unit_id and (request.user.is_reviewer or request.user.is_office_head)
    context = {"points": points, "coverage": point_coverage(points=points) if own else None}
    return render(request, "calls/points_detail.html", context)


@require_POST
def point_tag_view(request, bulletin_pk):
    bulletin = bulletin_get(user=request.user, pk=bulletin_pk)
    point_pk = request.POST.get("point", "")
    point = point_get_for_tagging(bulletin=bulletin, pk=int(point_pk) if point_pk.isdigit() else 0)
    try:
        if request.POST.get("remove"):
            point_untag(actor=request.user, bulletin=bulletin, point_id=point.pk)
            messages.success(request, _("Tag removed."))
        else:
            point_tag(actor=request.user, bulletin=bulletin, point=point)
            messages.success(request, _("Tagged with the reporting point “%(theme)s”.") % {"theme": point.theme})
    except CallError as error:
        messages.error(request, error.message)
    return redirect("bulletins:detail", pk=bulletin.pk)

"""Journal pages: the list, the reading room, the compile page, the picker, the sign-off and
delete-draft confirmations, the issue page and its print view. Thin: fetch through the scope, check, validate,
call one service, message, redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bulletins.exceptions import BulletinError
from journals import selectors, services
from journals.forms import (
    CorrectionForm,
    DiscardForm,
    IssueForm,
    ItemForm,
    PickForm,
    ReasonForm,
    SearchForm,
    SignOffForm,
)
from journals.models import IssueItem, IssueState, ItemKind
from journals.visibility import compiles_for

ISSUES_PER_PAGE = 20
PICKER_PER_PAGE = 25
RESULTS_PER_PAGE = 25


def _querystring(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _error_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


@require_GET
def journal_list(request):
    journals = list(selectors.journals_for(user=request.user))
    return render(request, "journals/list.html", {"journals": journals, "year": timezone.localdate().year})


@require_GET
def reading_room(request, pk: int):
    """A journal's issues by year, or the items matching a search across all its issues."""
    journal = selectors.journal_get(user=request.user, pk=pk)
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    years = selectors.published_years(journal=journal)
    context = {
        "journal": journal,
        "search": search,
        "query": query,
        "years": years,
        "querystring": _querystring(request),
    }
    if query:
        context["page_obj"] = Paginator(
            selectors.journal_search(journal=journal, query=query), RESULTS_PER_PAGE
        ).get_page(request.GET.get("page"))
    else:
        year_param = request.GET.get("year", "")
        year = int(year_param) if year_param.isdigit() and int(year_param) in years else (years[0] if years else None)
        context["year"] = year
        issues = selectors.reading_room(journal=journal, year=year) if year else []
        context["page_obj"] = Paginator(issues, ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    context["compiles"] = compiles_for(request.user, journal)
    context["drafts"] = list(selectors.drafts_of(user=request.user, journal=journal)) if context["compiles"] else []
    return render(request, "journals/reading_room.html", context)


@require_POST
def issue_new(request, pk: int):
    journal = selectors.journal_get(user=request.user, pk=pk)
    if not compiles_for(request.user, journal):
        raise PermissionDenied
    try:
        issue = services.issue_create(actor=request.user, journal=journal)
    except (ValidationError, BulletinError) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(_error_messages(exc)))
        return redirect("journals:journal", pk=journal.pk)
    messages.success(
        request, _("A new draft of %(journal)s: pick the adopted bulletins it prints.") % {"journal": journal}
    )
    return redirect("journals:issue", pk=issue.pk)


def _compile_context(request, issue, **extra):
    items = selectors.issue_items(issue=issue)
    return {
        "issue": issue,
        "journal": issue.journal,
        "items": items,
        "history": list(selectors.issue_history(issue=issue)),
        "compiles": compiles_for(request.user, issue.journal),
        "may_sign_off": request.user.is_office_head and request.user.unit_id == issue.journal.unit_id,
        **extra,
    }


@require_http_methods(["GET", "POST"])
def issue_detail(request, pk: int):
    """A draft: the compile page. Signed off or published: the issue as printed."""
    issue = selectors.issue_get(user=request.user, pk=pk)
    if issue.state != IssueState.DRAFT:
        if request.method == "POST":
            raise Http404
        return render(
            request,
            "journals/issue.html",
            {
                "issue": issue,
                "journal": issue.journal,
                "items": selectors.issue_items(issue=issue),
                "corrections": selectors.issue_corrections(issue=issue),
                "history": list(selectors.issue_history(issue=issue))
                if compiles_for(request.user, issue.journal)
                else [],
            },
        )
    form = IssueForm(
        request.POST or None,
        unit_id=issue.journal.unit_id,
        initial={"title": issue.title, "editors_note": issue.editors_note, "signer": issue.signer_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_update(actor=request.user, issue=issue, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        except BulletinError as exc:
            messages.error(request, exc.message)
            return redirect("journals:issue", pk=issue.pk)
        else:
            messages.success(request, _("The issue was saved."))
            return redirect("journals:issue", pk=issue.pk)
    return render(request, "journals/compile.html", _compile_context(request, issue, form=form))


def _draft_for_compiler(request, pk: int):
    issue = selectors.issue_get(user=request.user, pk=pk)
    if not compiles_for(request.user, issue.journal):
        raise PermissionDenied
    if issue.state != IssueState.DRAFT:
        messages.error(
            request, _("%(issue)s has been signed off: it can no longer be changed.") % {"issue": issue.label}
        )
        return issue, redirect("journals:issue", pk=issue.pk)
    return issue, None


@require_http_methods(["GET", "POST"])
def issue_pick(request, pk: int):
    """The picker: adopted bulletins not yet printed in this journal, newest first, searchable."""
    issue, done = _draft_for_compiler(request, pk)
    if done:
        return done
    journal = issue.journal
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    candidates = selectors.picker(journal=journal, query=query)
    form = None
    if request.method == "POST":
        posted = [int(v) for v in request.POST.getlist("adoptions") if v.isdigit()][:100]
        allowed = list(selectors.picker(journal=journal).filter(pk__in=posted).values_list("pk", flat=True))
        form = PickForm(request.POST, adoption_ids=allowed)
        if form.is_valid():
            try:
                items = services.issue_add_items(
                    actor=request.user,
                    issue=issue,
                    adoption_ids=form.cleaned_data["adoptions"],
                    kind=form.cleaned_data["kind"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            except BulletinError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("%(count)d item(s) added to the issue.") % {"count": len(items)})
                if form.cleaned_data["kind"] == ItemKind.COMBINED or form.cleaned_data["kind"] == ItemKind.ABRIDGED:
                    return redirect("journals:item_edit", pk=issue.pk, item=items[0].pk)
                return redirect("journals:issue", pk=issue.pk)
    page = Paginator(candidates, PICKER_PER_PAGE).get_page(request.GET.get("page"))
    chosen = set(form.data.getlist("adoptions")) if form is not None else set()
    return render(
        request,
        "journals/pick.html",
        {
            "issue": issue,
            "journal": journal,
            "search": search,
            "query": query,
            "page_obj": page,
            "form": form,
            "chosen": chosen,
            "kind": (form.data.get("kind") if form is not None else "") or ItemKind.FULL,
            "kinds": PickForm.base_fields["kind"].choices,
            "querystring": _querystring(request),
        },
    )


def _item_of(issue, item_pk: int) -> IssueItem:
    return get_object_or_404(IssueItem.objects.prefetch_related(selectors.SOURCES), pk=item_pk, issue=issue)


@require_http_methods(["GET", "POST"])
def item_edit(request, pk: int, item: int):
    issue, done = _draft_for_compiler(request, pk)
    if done:
        return done
    row = _item_of(issue, item)
    fixed = row.kind not in (ItemKind.FULL, ItemKind.ABRIDGED)
    initial = {
        "kind": row.kind,
        "section": row.section,
        "title": row.title,
        "body": row.body,
        "editors_note": row.editors_note,
    }
    form = ItemForm(request.POST or None, initial=initial, fixed_kind=fixed)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(
                actor=request.user,
                item=row,
                text=form.text(),
                kind=form.cleaned_data.get("kind"),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except BulletinError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The item was saved."))
            return redirect("journals:issue", pk=issue.pk)
    return render(
        request, "journals/item_form.html", {"issue": issue, "journal": issue.journal, "item": row, "form": form}
    )


@require_http_methods(["GET", "POST"])
def item_remove(request, pk: int, item: int):
    """A confirmation, then the item leaves the draft (its bulletins can be picked again)."""
    issue, done = _draft_for_compiler(request, pk)
    if done:
        return done
    row = _item_of(issue, item)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_remove(actor=request.user, item=row, reason=form.cleaned_data["reason"])
        except (ValidationError, BulletinError) as exc:
            form.add_error(None, getattr(exc, "message", None) or exc)
        else:
            messages.success(request, _("“%(title)s” was taken out of the issue.") % {"title": row.title})
            return redirect("journals:issue", pk=issue.pk)
    return render(
        request, "journals/item_remove.html", {"issue": issue, "journal": issue.journal, "item": row, "form": form}
    )


@require_POST
def item_move(request, pk: int, item: int):
    issue, done = _draft_for_compiler(request, pk)
    if done:
        return done
    row = _item_of(issue, item)
    try:
        services.item_move(actor=request.user, item=row, up=request.POST.get("direction") == "up")
    except BulletinError as exc:
        messages.error(request, exc.message)
    return redirect("journals:issue", pk=issue.pk)


@require_http_methods(["GET", "POST"])
def correction_add(request, pk: int):
    issue, done = _draft_for_compiler(request, pk)
    if done:
        return done
    form = CorrectionForm(request.POST or None, issues=selectors.correctable_issues(journal=issue.journal))
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_add_correction(
                actor=request.user, issue=issue, corrects=form.cleaned_data["corrects"], text=form.text()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except BulletinError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The correction was added to the issue."))
            return redirect("journals:issue", pk=issue.pk)
    return render(request, "journals/correction_form.html", {"issue": issue, "journal": issue.journal, "form": form})


@require_http_methods(["GET", "POST"])
def issue_sign_off(request, pk: int):
    """The office head's confirmation: the whole issue as it will print, then 签发."""
    issue, done = _draft_for_compiler(request, pk)
    if done:
        return done
    if not (request.user.is_office_head and request.user.unit_id == issue.journal.unit_id):
        raise PermissionDenied
    form = SignOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signed = services.issue_sign_off(actor=request.user, issue=issue, comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            form.add_error(None, exc)
        except BulletinError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("%(issue)s was signed off (%(line)s); its Word and PDF files are being made.")
                % {"issue": signed.label, "line": signed.issue_line},
            )
            return redirect("journals:issue", pk=signed.pk)
    return render(
        request,
        "journals/sign_off.html",
        {"issue": issue, "journal": issue.journal, "items": selectors.issue_items(issue=issue), "form": form},
    )


@require_http_methods(["GET", "POST"])
def issue_discard(request, pk: int):
    """删除草稿: the draft's title and size, a required reason, then the draft is deleted and the
    bulletins it held go back to the picker."""
    issue, done = _draft_for_compiler(request, pk)
    if done:
        return done
    form = DiscardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_discard(actor=request.user, issue_id=issue.pk, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        except BulletinError as exc:
            messages.error(request, exc.message)
            return redirect("journals:issue", pk=issue.pk)
        else:
            messages.success(
                request,
                _("The draft of %(journal)s was deleted; the bulletins it held can be picked again.")
                % {"journal": issue.journal},
            )
            return redirect("journals:journal", pk=issue.journal_id)
    return render(
        request,
        "journals/discard.html",
        {
            "issue": issue,
            "journal": issue.journal,
            "item_titles": list(issue.items.order_by("position", "pk").values_list("title", flat=True)),
            "form": form,
        },
    )


@require_GET
def issue_print(request, pk: int):
    issue = selectors.issue_get(user=request.user, pk=pk)
    return render(
        request,
        "journals/print.html",
        {"issue": issue, "journal": issue.journal, "items": selectors.issue_items(issue=issue)},
    )

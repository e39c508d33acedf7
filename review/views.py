"""Review pages: the queue, the decision page, the filing unit's submit/withdraw buttons and
leaders' instructions. Thin: fetch through the scope, check, validate, call one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bulletins.diff import char_diff
from bulletins.exceptions import BulletinError, NotPermitted
from bulletins.pagination import CappedPaginator
from bulletins.visibility import visible_through_bulletin
from review import selectors, services
from review.exceptions import InvalidTransition
from review.filters import HandledFilter, QueueFilter
from review.forms import ACTION_VERBS, DecisionForm, InstructionForm
from review.models import Adoption, ReviewAction
from review.permissions import can_add_instruction, decision_actions, filing_actions
from review.rules import missing_for_sign_off

QUEUE_PAGE_SIZE = 25


def _filtered_page(request, *, entries, filter_class, template: str):
    """A reviewer's filtered, paginated list of queue entries."""
    if not request.user.can_review:
        raise PermissionDenied
    filterset = filter_class(request.GET or None, queryset=entries, request=request)
    page = CappedPaginator(filterset.qs, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {"filter": filterset, "page_obj": page, "querystring": query.urlencode()})


@require_http_methods(["GET"])
def queue(request):
    """What waits at my unit."""
    entries = selectors.queue_entries_for(user=request.user)
    return _filtered_page(request, entries=entries, filter_class=QueueFilter, template="review/queue.html")


@require_http_methods(["GET"])
def handled(request):
    """What my unit has decided on, with where each bulletin is now."""
    entries = selectors.handled_entries_for(user=request.user)
    return _filtered_page(request, entries=entries, filter_class=HandledFilter, template="review/handled.html")


@require_http_methods(["GET", "POST"])
def decide(request, pk: int):
    """The bulletin as this unit sees it, with the one decision form."""
    bulletin = selectors.bulletin_get_for(user=request.user, pk=pk)
    actions = decision_actions(request.user, bulletin)
    open_entry = selectors.open_entry_for(bulletin=bulletin)
    form = None
    if request.method == "POST":
        seen_entry = request.POST.get("entry", "")
        if seen_entry.isdigit() and (open_entry is None or open_entry.pk != int(seen_entry)):
            refusal = _already_decided(bulletin=bulletin, entry_id=int(seen_entry))
            return _not_recorded(request, bulletin=bulletin, actions=actions, open_entry=open_entry, refusal=refusal)
        if not actions:
            raise PermissionDenied
        form = DecisionForm(request.POST, actions=actions)
        if form.is_valid():
            try:
                event = services.review_decide(actor=request.user, bulletin=bulletin, **form.service_arguments())
            except ValidationError as exc:
                form.add_error(None, exc)
            except BulletinError as exc:
                # Someone decided first (InvalidTransition names that decision) or the decision is
                # no longer allowed: the page as it is now, with what the reviewer entered.
                bulletin = selectors.bulletin_get_for(user=request.user, pk=pk)
                return _not_recorded(
                    request,
                    bulletin=bulletin,
                    actions=decision_actions(request.user, bulletin),
                    open_entry=selectors.open_entry_for(bulletin=bulletin),
                    refusal=str(exc),
                )
            else:
                messages.success(
                    request,
                    _("Decision recorded: %(action)s — “%(title)s”.")
                    % {"action": event.get_action_display(), "title": bulletin.title},
                )
                return redirect("review:queue")
    elif actions:
        form = DecisionForm(actions=actions, initial={"entry": open_entry.pk if open_entry else None})
    return _decide_page(request, bulletin=bulletin, form=form, actions=actions, open_entry=open_entry)


def _not_recorded(request, *, bulletin, actions, open_entry, refusal: str):
    """The decision was not recorded: say why, show back what the reviewer entered (read-only),
    and, if the bulletin now waits for this unit again, a fresh form holding the same input."""
    entered = DecisionForm.read_only_copy(request.POST)
    form = None
    if actions:
        initial = {**DecisionForm.initial_from(request.POST), "entry": open_entry.pk if open_entry else None}
        form = DecisionForm(actions=actions, initial=initial)
    return _decide_page(
        request,
        bulletin=bulletin,
        form=form,
        actions=actions,
        open_entry=open_entry,
        refusal=refusal,
        entered=entered,
        status=409,
    )


def _decide_page(request, *, bulletin, form, actions, open_entry, refusal: str = "", entered=None, status: int = 200):
    unit_id = request.user.unit_id
    versions = selectors.versions_for_unit(bulletin=bulletin, unit_id=unit_id)
    diff = None
    if versions.current and versions.seen_before:
        diff = {
            "title": char_diff(versions.seen_before.title, versions.current.title),
            "body": char_diff(versions.seen_before.body, versions.current.body),
            "source": char_diff(versions.seen_before.source, versions.current.source),
        }
    adoptions = list(selectors.bulletin_adoptions(bulletin=bulletin))
    for adoption in adoptions:
        adoption.can_instruct = can_add_instruction(request.user, adoption)
    context = {
        "bulletin": bulletin,
        "form": form,
        "versions": versions,
        "version": versions.current,
        "diff": diff,
        "diff_coarse": bool(diff) and any(d.coarse for d in diff.values()),
        "history": selectors.bulletin_history(bulletin=bulletin),
        "adoptions": adoptions,
        "open_entry": open_entry,
        "filing_actions": filing_actions(request.user, bulletin),
        "action_verbs": ACTION_VERBS,
        "refusal": refusal,
        "entered": entered,
        # What the sign-off would refuse for (真实性), said before the button is pressed.
        "missing_for_sign_off": missing_for_sign_off(bulletin) if ReviewAction.SIGN_OFF in actions else [],
    }
    return render(request, "review/decide.html", context, status=status)


def _already_decided(*, bulletin, entry_id: int) -> str:
    """The entry the reviewer looked at was decided meanwhile: who decided what, and when."""
    return str(InvalidTransition(decision=selectors.decision_closing(bulletin=bulletin, entry_id=entry_id)))


@require_POST
def submit(request, pk: int):
    """Submit a draft or resubmit a returned bulletin (the filing unit's button)."""
    bulletin = selectors.bulletin_get_for(user=request.user, pk=pk)
    allowed = filing_actions(request.user, bulletin)
    if ReviewAction.RESUBMIT in allowed:
        service, done = services.bulletin_resubmit, _("Resubmitted as version %(version)s: “%(title)s”.")
    elif ReviewAction.SUBMIT in allowed:
        service, done = services.bulletin_submit, _("Submitted as version %(version)s: “%(title)s”.")
    else:
        service, done = services.bulletin_submit, ""  # the service explains the refusal
    try:
        service(actor=request.user, bulletin=bulletin)
    except BulletinError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done % {"version": bulletin.version_count, "title": bulletin.title})
    return _back(request, bulletin)


@require_POST
def withdraw(request, pk: int):
    """Take a bulletin awaiting its own unit's sign-off back to draft."""
    bulletin = selectors.bulletin_get_for(user=request.user, pk=pk)
    try:
        services.bulletin_withdraw(actor=request.user, bulletin=bulletin)
    except BulletinError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Withdrawn to draft: “%(title)s”.") % {"title": bulletin.title})
    return _back(request, bulletin)


@require_http_methods(["GET", "POST"])
def instruction_add(request, pk: int):
    """Add a leader's instruction (领导批示) to an adoption by the user's unit."""
    adoptions = visible_through_bulletin(request.user, Adoption.objects.select_related("bulletin", "unit"))
    adoption = get_object_or_404(adoptions, pk=pk)
    if not can_add_instruction(request.user, adoption):
        raise PermissionDenied
    form = InstructionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.adoption_add_instruction(actor=request.user, adoption=adoption, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        except NotPermitted as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The leader's instruction was saved."))
            return redirect("review:decide", pk=adoption.bulletin_id)
    return render(request, "review/instruction_form.html", {"form": form, "adoption": adoption})


def _back(request, bulletin) -> HttpResponseRedirect:
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(next_url)
    return HttpResponseRedirect(reverse("review:decide", kwargs={"pk": bulletin.pk}))

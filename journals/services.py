"""Compiling, signing off and publishing journal issues: one function per state change.

Each runs in one transaction, locks the issue's row (sign-off: the journal's row, which
serializes the numbering), re-checks the state and the actor's role under the lock, and writes
an IssueEvent (who, when, what, why). A signed-off issue is frozen by PostgreSQL (migration
0002): only its publication, once both files exist, may still touch its row.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from bulletins.validation import too_long_message
from documents.models import DocumentState
from documents.services import document_create, document_sign_off
from journals.description import DOCUMENT_KIND, issue_description
from journals.exceptions import IssueError, NotPermitted
from journals.models import (
    ISSUE_TITLE_MAX_LENGTH,
    ITEM_BODY_MAX_LENGTH,
    ITEM_TITLE_MAX_LENGTH,
    MAX_ITEMS,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SECTION_MAX_LENGTH,
    UNNUMBERED_STATES,
    Issue,
    IssueAction,
    IssueEvent,
    IssueItem,
    IssueState,
    ItemKind,
    ItemSource,
    Journal,
    Printing,
)
from journals.visibility import compiles_for
from notifications.services import Notice, notification_send_many
from review.models import Adoption

# Kinds a compiler picks for new items from adopted bulletins (a correction is added on its own).
PICK_KINDS = (ItemKind.FULL, ItemKind.ABRIDGED, ItemKind.COMBINED)
MAX_COMBINED_SOURCES = 10


@dataclass(frozen=True)
class ItemText:
    """What a compiler types for an item."""

    title: str
    body: str
    editors_note: str = ""
    section: str = ""


def _bounded(value: str, limit: int, label, *, required: bool = False) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if required and not value:
        raise ValidationError(_("%(field)s is required.") % {"field": label})
    if len(value) > limit:
        raise ValidationError(too_long_message(label, limit=limit, count=len(value)))
    return value


def _clean_item_text(text: ItemText) -> ItemText:
    return ItemText(
        title=_bounded(text.title, ITEM_TITLE_MAX_LENGTH, _("The item's title"), required=True),
        body=_bounded(text.body, ITEM_BODY_MAX_LENGTH, _("The item's text"), required=True),
        editors_note=_bounded(text.editors_note, NOTE_MAX_LENGTH, _("The editor's note")),
        section=_bounded(text.section, SECTION_MAX_LENGTH, _("The section heading")),
    )


def _check_compiler(actor: User, journal: Journal) -> None:
    if not compiles_for(actor, journal):
        raise NotPermitted(
            _("Only the reviewers and office heads of %(unit)s compile its journals.")
            % {"unit": journal.unit.short_name}
        )


def _not_a_draft(issue: Issue) -> IssueError:
    if issue.state == IssueState.DISCARDED:
        return IssueError(_("This draft of %(journal)s has been deleted.") % {"journal": issue.journal})
    return IssueError(_("%(issue)s has been signed off: it can no longer be changed.") % {"issue": issue.label})


def _lock_draft(*, actor: User, issue_id: int) -> Issue:
    issue = Issue.objects.select_for_update(of=("self",)).select_related("journal__unit").get(pk=issue_id)
    _check_compiler(actor, issue.journal)
    if issue.state != IssueState.DRAFT:
        raise _not_a_draft(issue)
    return issue


def _record(*, issue: Issue, action: str, actor: User | None, at: datetime, comment: str = "") -> IssueEvent:
    return IssueEvent.objects.create(issue=issue, action=action, actor=actor, at=at, comment=comment[:650])


def _next_position(issue: Issue) -> int:
    last = issue.items.aggregate(last=Max("position"))["last"] or 0
    if last >= MAX_ITEMS:
        raise ValidationError(_("An issue holds at most %(max)d items.") % {"max": MAX_ITEMS})
    return last + 1


# --- drafts -------------------------------------------------------------------------------------


def issue_create(*, actor: User, journal: Journal, title: str = "", editors_note: str = "") -> Issue:
    """A new draft issue of `journal`, compiled by the journal's unit."""
    title = _bounded(title, ISSUE_TITLE_MAX_LENGTH, _("The theme"))
    editors_note = _bounded(editors_note, NOTE_MAX_LENGTH, _("The editor's note"))
    with transaction.atomic():
        _check_compiler(actor, journal)
        if not journal.active:
            raise IssueError(_("%(journal)s is no longer published.") % {"journal": journal})
        now = timezone.now()
        issue = Issue.objects.create(
            journal=journal, title=title, editors_note=editors_note, created_by=actor, created_at=now
        )
        _record(issue=issue, action=IssueAction.CREATED, actor=actor, at=now)
    return issue


def issue_update(
    *, actor: User, issue: Issue, title: str, editors_note: str, signer: User | None, reason: str = ""
) -> Issue:
    """Change a draft's theme, its 编者按 and its signer (an office head of the unit)."""
    title = _bounded(title, ISSUE_TITLE_MAX_LENGTH, _("The theme"))
    editors_note = _bounded(editors_note, NOTE_MAX_LENGTH, _("The editor's note"))
    reason = _bounded(reason, REASON_MAX_LENGTH, _("The reason"))
    with transaction.atomic():
        fresh = _lock_draft(actor=actor, issue_id=issue.pk)
        if signer is not None and not (
            signer.is_office_head and signer.unit_id == fresh.journal.unit_id and signer.is_active
        ):
            raise ValidationError(
                _("The signer must be an office head of %(unit)s.") % {"unit": fresh.journal.unit.short_name}
            )
        fresh.title, fresh.editors_note, fresh.signer = title, editors_note, signer
        fresh.save(update_fields=["title", "editors_note", "signer"])
        _record(issue=fresh, action=IssueAction.EDITED, actor=actor, at=timezone.now(), comment=reason)
    return fresh


def issue_discard(*, actor: User, issue_id: int, reason: str) -> Issue:
    """删除草稿: a draft nobody will sign off. Its items and their sources are deleted, so the
    bulletins they printed are offered by the picker again; the row stays, marked deleted, with
    its history and the reason (only a draft: a signed-off issue is frozen and is corrected in a
    later issue instead)."""
    reason = _bounded(reason, REASON_MAX_LENGTH, _("The reason"), required=True)
    with transaction.atomic():
        issue = _lock_draft(actor=actor, issue_id=issue_id)
        item_count = issue.items.count()
        # Before the state changes: the triggers of migration 0002 refuse to touch the items
        # of an issue that is no longer a draft.
        ItemSource.objects.filter(item__issue=issue).delete()
        issue.items.all().delete()
        issue.state = IssueState.DISCARDED
        issue.save(update_fields=["state"])
        comment = _("%(reason)s (%(count)d item(s) deleted with it)") % {"reason": reason, "count": item_count}
        _record(issue=issue, action=IssueAction.DISCARDED, actor=actor, at=timezone.now(), comment=comment)
    return issue


def _source_line(units: list[str], kind: str) -> str:
    if kind == ItemKind.COMBINED:
        return _("(compiled from reports by %(units)s)") % {"units": "、".join(units)}
    return _("(contributed by %(units)s)") % {"units": "、".join(units)}


def issue_add_items(*, actor: User, issue: Issue, adoption_ids: list[int], kind: str) -> list[IssueItem]:
    """Items from adopted bulletins, starting from the adopted text: one per bulletin (全文 or
    摘要), or one 综合 item built from all of them, each source credited."""
    if kind not in PICK_KINDS:
        raise ValidationError(_("Choose how the bulletins are printed: full text, abridged or combined."))
    adoption_ids = list(dict.fromkeys(int(pk) for pk in adoption_ids))
    if not adoption_ids:
        raise ValidationError(_("Choose at least one adopted bulletin."))
    if kind == ItemKind.COMBINED and not 2 <= len(adoption_ids) <= MAX_COMBINED_SOURCES:
        raise ValidationError(
            _("A combined item is built from 2 to %(max)d bulletins.") % {"max": MAX_COMBINED_SOURCES}
        )
    with transaction.atomic():
        fresh = _lock_draft(actor=actor, issue_id=issue.pk)
        journal = fresh.journal
        adoptions = {
            a.pk: a
            for a in Adoption.objects.filter(pk__in=adoption_ids, unit_id=journal.unit_id).select_related(
                "bulletin__filing_unit"
            )
        }
        if len(adoptions) != len(adoption_ids):
            raise NotPermitted(_("Only bulletins your unit adopted can be printed in its journals."))
        printed = set(
            ItemSource.objects.filter(journal=journal, adoption_id__in=adoption_ids).values_list(
                "adoption_id", flat=True
            )
        )
        if printed:
            titles = "、".join(f"《{adoptions[pk].bulletin.title}》" for pk in printed)
            raise IssueError(_("Already in this journal: %(titles)s.") % {"titles": titles})
        ordered = [adoptions[pk] for pk in adoption_ids]
        position = _next_position(fresh)
        groups = [ordered] if kind == ItemKind.COMBINED else [[a] for a in ordered]
        if position - 1 + len(groups) > MAX_ITEMS:
            raise ValidationError(_("An issue holds at most %(max)d items.") % {"max": MAX_ITEMS})
        items = []
        for offset, group in enumerate(groups):
            if kind == ItemKind.COMBINED:
                title = _("Combined: %(title)s") % {"title": group[0].bulletin.title}
                body = "\n".join(a.bulletin.body.strip() for a in group)
            else:
                title, body = group[0].bulletin.title, group[0].bulletin.body.strip()
            item = IssueItem.objects.create(
                issue=fresh,
                position=position + offset,
                kind=kind,
                title=title[:ITEM_TITLE_MAX_LENGTH],
                body=body[:ITEM_BODY_MAX_LENGTH],
            )
            ItemSource.objects.bulk_create(
                [ItemSource(item=item, adoption=a, journal=journal, position=n) for n, a in enumerate(group, 1)]
            )
            items.append(item)
            _record(
                issue=fresh,
                action=IssueAction.ITEM_ADDED,
                actor=actor,
                at=timezone.now(),
                comment=f"{item.get_kind_display()}：{item.title}",
            )
    return items


def issue_add_correction(*, actor: User, issue: Issue, corrects: Issue, text: ItemText) -> IssueItem:
    """A correction (更正) of an earlier, frozen issue of the same journal, as an item of this one."""
    text = _clean_item_text(text)
    with transaction.atomic():
        fresh = _lock_draft(actor=actor, issue_id=issue.pk)
        if corrects.journal_id != fresh.journal_id or corrects.state != IssueState.PUBLISHED:
            raise ValidationError(_("A correction names a published issue of the same journal."))
        item = IssueItem.objects.create(
            issue=fresh,
            position=_next_position(fresh),
            kind=ItemKind.CORRECTION,
            corrects=corrects,
            title=text.title,
            body=text.body,
            editors_note=text.editors_note,
            section=text.section,
        )
        _record(
            issue=fresh,
            action=IssueAction.ITEM_ADDED,
            actor=actor,
            at=timezone.now(),
            comment=f"{item.get_kind_display()}（{corrects.number_label}）：{item.title}",
        )
    return item


def item_update(
    *, actor: User, item: IssueItem, text: ItemText, kind: str | None = None, reason: str = ""
) -> IssueItem:
    """Edit an item's text for the issue; a one-source item may switch between 全文 and 摘要."""
    text = _clean_item_text(text)
    reason = _bounded(reason, REASON_MAX_LENGTH, _("The reason"))
    with transaction.atomic():
        _lock_draft(actor=actor, issue_id=item.issue_id)
        fresh = IssueItem.objects.select_for_update().get(pk=item.pk)
        fields = ["title", "body", "editors_note", "section"]
        if kind and kind != fresh.kind:
            if {kind, fresh.kind} - {ItemKind.FULL, ItemKind.ABRIDGED}:
                raise ValidationError(_("Only a full-text item can become abridged, and back."))
            fresh.kind = kind
            fields.append("kind")
        fresh.title, fresh.body, fresh.editors_note, fresh.section = (
            text.title,
            text.body,
            text.editors_note,
            text.section,
        )
        fresh.save(update_fields=fields)
        comment = f"{fresh.get_kind_display()}：{fresh.title}" + (f"（{reason}）" if reason else "")
        _record(issue=fresh.issue, action=IssueAction.ITEM_EDITED, actor=actor, at=timezone.now(), comment=comment)
    return fresh


def item_remove(*, actor: User, item: IssueItem, reason: str = "") -> None:
    """Take an item out of a draft: its bulletins may be picked again; the rest close up."""
    reason = _bounded(reason, REASON_MAX_LENGTH, _("The reason"))
    with transaction.atomic():
        issue = _lock_draft(actor=actor, issue_id=item.issue_id)
        fresh = IssueItem.objects.select_for_update().get(pk=item.pk)
        title, kind = fresh.title, fresh.get_kind_display()
        fresh.sources.all().delete()
        fresh.delete()
        _renumber(issue)
        comment = f"{kind}：{title}" + (f"（{reason}）" if reason else "")
        _record(issue=issue, action=IssueAction.ITEM_REMOVED, actor=actor, at=timezone.now(), comment=comment)


def item_move(*, actor: User, item: IssueItem, up: bool) -> None:
    """Move an item one place up or down (the order of the printed issue)."""
    with transaction.atomic():
        issue = _lock_draft(actor=actor, issue_id=item.issue_id)
        items = list(issue.items.select_for_update().order_by("position", "pk"))
        index = next((i for i, row in enumerate(items) if row.pk == item.pk), None)
        if index is None:
            raise IssueError(_("This item is no longer in the issue."))
        other = index - 1 if up else index + 1
        if not 0 <= other < len(items):
            return
        items[index], items[other] = items[other], items[index]
        _renumber(issue, items=items)
        _record(
            issue=issue,
            action=IssueAction.REORDERED,
            actor=actor,
            at=timezone.now(),
            comment=_("“%(title)s” to place %(place)d") % {"title": item.title, "place": other + 1},
        )


def _renumber(issue: Issue, *, items: list[IssueItem] | None = None) -> None:
    # item_position_once is deferred: positions may collide until the commit.
    items = items if items is not None else list(issue.items.order_by("position", "pk"))
    changed = []
    for position, row in enumerate(items, 1):
        if row.position != position:
            row.position = position
            changed.append(row)
    IssueItem.objects.bulk_update(changed, ["position"])


# --- sign-off, numbering, publication ---------------------------------------------------------------


def issue_sign_off(*, actor: User, issue: Issue, comment: str = "") -> Issue:
    """签发: the office head signs the draft off; it gets its number (gapless per journal and
    year) and its running total, is frozen, and its files are rendered once (documents).

    The journal's row is locked first: two sign-offs of the same journal take their numbers one
    after the other, and the unique constraints would refuse a duplicate whatever wrote it.
    """
    comment = _bounded(comment, REASON_MAX_LENGTH, _("The comment"))
    with transaction.atomic():
        journal = (
            Journal.objects.select_for_update(of=("self",)).select_related("unit", "type").get(pk=issue.journal_id)
        )
        fresh = Issue.objects.select_for_update(of=("self",)).get(pk=issue.pk)
        fresh.journal = journal
        if fresh.state == IssueState.DISCARDED:
            raise _not_a_draft(fresh)
        if fresh.state != IssueState.DRAFT:
            raise IssueError(_("%(issue)s has already been signed off.") % {"issue": fresh.label})
        if not (actor.is_office_head and actor.unit_id == journal.unit_id and actor.is_active):
            raise NotPermitted(
                _("Only an office head of %(unit)s signs its journals off.") % {"unit": journal.unit.short_name}
            )
        if fresh.signer_id is not None and fresh.signer_id != actor.pk:
            raise NotPermitted(
                _("This issue is to be signed off by %(signer)s.") % {"signer": fresh.signer.get_full_name()}
            )
        items = list(fresh.items.prefetch_related("sources__adoption__bulletin__filing_unit").order_by("position"))
        if not items:
            raise ValidationError(_("An issue needs at least one item before it is signed off."))
        now = timezone.now()
        year = timezone.localtime(now).year
        numbers = Issue.objects.filter(journal=journal).exclude(state__in=UNNUMBERED_STATES)
        last_number = numbers.filter(year=year).aggregate(last=Max("number"))["last"] or 0
        last_total = numbers.aggregate(last=Max("total_number"))["last"] or journal.running_total_start
        fresh.year, fresh.number, fresh.total_number = year, last_number + 1, last_total + 1
        fresh.signer = actor
        fresh.signed_off_at, fresh.signed_off_by = now, actor
        description = issue_description(issue=fresh, items=items)
        document = document_create(
            actor=actor,
            kind=DOCUMENT_KIND,
            title=fresh.label,
            file_stem=fresh.label,
            description=description,
            owner_unit_id=journal.unit_id,
        )
        document_sign_off(actor=actor, document_id=document.pk)
        fresh.document = document
        fresh.state = IssueState.SIGNED_OFF
        fresh.save(
            update_fields=[
                "year",
                "number",
                "total_number",
                "signer",
                "signed_off_at",
                "signed_off_by",
                "document",
                "state",
            ]
        )
        _record(issue=fresh, action=IssueAction.SIGNED_OFF, actor=actor, at=now, comment=comment or fresh.issue_line)
    return fresh


def issue_publish(*, document_id: int) -> Issue | None:
    """Both files exist: the issue is published, each printed adoption recorded as a fact, and
    the filing units told (the handler of documents' "ready" announcement)."""
    with transaction.atomic():
        issue = (
            Issue.objects.select_for_update(of=("self",))
            .select_related("journal__type", "journal__unit", "document")
            .filter(document_id=document_id)
            .first()
        )
        if issue is None or issue.state != IssueState.SIGNED_OFF:
            return issue  # not a journal's, or published already (delivered once more)
        if issue.document.state != DocumentState.READY:
            return issue
        now = timezone.now()
        issue.state, issue.published_at = IssueState.PUBLISHED, now
        issue.save(update_fields=["state", "published_at"])
        sources = list(
            ItemSource.objects.filter(item__issue=issue)
            .select_related("item", "adoption__bulletin__author", "adoption__bulletin__filing_unit")
            .order_by("item__position", "position")
        )
        Printing.objects.bulk_create(
            [
                Printing(
                    adoption=s.adoption,
                    bulletin=s.adoption.bulletin,
                    filing_unit=s.adoption.bulletin.filing_unit,
                    issue=issue,
                    item=s.item,
                    journal=issue.journal,
                    tier=issue.journal.type.tier,
                    treatment=s.item.kind,
                    printed_at=now,
                )
                for s in sources
            ]
        )
        _record(issue=issue, action=IssueAction.PUBLISHED, actor=None, at=now, comment=issue.issue_line)
        _notify_filing_units(issue=issue, sources=sources)
    return issue


def _notify_filing_units(*, issue: Issue, sources: list[ItemSource]) -> None:
    """ "您单位报送的《…》被《江东组工信息》2026年第15期采用（摘要）" to each bulletin's author and the
    filing unit's office heads: one query for the heads, one INSERT for every notice."""
    unit_ids = {s.adoption.bulletin.filing_unit_id for s in sources}
    heads: dict[int, list[int]] = {}
    for user_id, unit_id in User.objects.filter(unit_id__in=unit_ids, is_active=True, is_office_head=True).values_list(
        "pk", "unit_id"
    ):
        heads.setdefault(unit_id, []).append(user_id)
    url = reverse("journals:issue", kwargs={"pk": issue.pk})
    notices = []
    with translation.override(settings.LANGUAGE_CODE):
        for source in sources:
            bulletin = source.adoption.bulletin
            recipients = [*heads.get(bulletin.filing_unit_id, [])]
            if bulletin.author.is_active:
                recipients.append(bulletin.author_id)
            notices.append(
                Notice(
                    recipient_ids=tuple(recipients),
                    kind="printed",
                    title=_("Your unit's “%(title)s” was printed in %(issue)s (%(kind)s)")
                    % {"title": bulletin.title, "issue": issue.label, "kind": source.item.get_kind_display()},
                    body=source.item.title,
                    url=url,
                    bulletin_id=bulletin.pk,
                    dedupe_key=f"journals:{issue.pk}:{bulletin.pk}:printed",
                )
            )
    notification_send_many(notices=notices)


def issue_on_document_ready(document_id: int) -> None:
    """Subscribed to documents.events.documents_ready for the journal issues' kind."""
    issue_publish(document_id=document_id)


__all__ = [
    "ItemText",
    "issue_add_correction",
    "issue_add_items",
    "issue_create",
    "issue_discard",
    "issue_publish",
    "issue_sign_off",
    "issue_update",
    "item_move",
    "item_remove",
    "item_update",
]

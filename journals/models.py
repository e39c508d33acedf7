"""Journals (刊物): each unit's internal journals, their numbered issues, the items printed in
them, what each item credits (the Adoption rows it prints), the history of every issue, and the
printed treatment recorded as a fact once an issue is published.

A signed-off issue, its items and their sources are frozen by PostgreSQL triggers (migration
0002); the history and the printing facts are append-only there too. A deleted draft (删除草稿)
keeps its row and its history, loses its items, and is frozen the same way.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bulletins.models import at_most
from bulletins.validation import EARLIEST_MOMENT, END_MOMENT

NAME_MAX_LENGTH = 50
OFFICE_MAX_LENGTH = 100
DISTRIBUTION_MAX_LENGTH = 1000  # 报/送/发 lines, one a line (documents.description: 20 lines of 200)
SECURITY_NOTE_MAX_LENGTH = 30
ISSUE_TITLE_MAX_LENGTH = 100
ITEM_TITLE_MAX_LENGTH = 100
ITEM_BODY_MAX_LENGTH = 10_000  # a 综合 item gathers several bulletins of up to 5,000 each
NOTE_MAX_LENGTH = 1000  # 编者按, per item or per issue
SECTION_MAX_LENGTH = 20
REASON_MAX_LENGTH = 500
MAX_ITEMS = 40  # an issue of 10–20 items is usual; the renderer takes 200
RUNNING_TOTAL_MAX = 1_000_000
# Issue numbers: a journal appears at most a few times a week.
NUMBER_MAX = 999
YEAR_RANGE = (2000, 2099)
MOMENTS = (EARLIEST_MOMENT, END_MOMENT)


def _moment_in_range(field: str, *, nullable: bool) -> Q:
    bounded = Q(**{f"{field}__gte": EARLIEST_MOMENT, f"{field}__lt": END_MOMENT})
    return Q(**{f"{field}__isnull": True}) | bounded if nullable else bounded


class JournalTier(models.TextChoices):
    """What the scoring rules read (their points per tier live in the rules, not here)."""

    REGULAR = "regular", _("Regular edition (信息版)")
    SPECIAL_REPORT = "special_report", _("Special report (专报)")
    SUPPLEMENT = "supplement", _("Supplement (增刊)")
    EXPRESS = "express", _("Express bulletin (快报)")


class JournalType(models.Model):
    """A kind of journal (普刊, 信息专报, 增刊, 紧急信息快报 …), as data."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=30, unique=True)
    tier = models.CharField(_("tier"), max_length=20, choices=JournalTier.choices)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("journal type")
        verbose_name_plural = _("journal types")
        ordering = ["sort_order", "pk"]
        constraints = [models.CheckConstraint(condition=Q(tier__in=JournalTier.values), name="journal_type_tier_valid")]

    def __str__(self):
        return self.name


class Journal(models.Model):
    """One internal journal of a unit (e.g. 《江东组工信息》), with its masthead and its readers."""

    unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("compiling unit"), on_delete=models.PROTECT, related_name="journals"
    )
    type = models.ForeignKey(JournalType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="journals")
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH, help_text=_("e.g. 江东组工信息"))
    masthead = models.CharField(
        _("masthead"), max_length=NAME_MAX_LENGTH, help_text=_("The red title printed at the top, e.g. 江东组工信息")
    )
    compiling_office = models.CharField(
        _("compiling office"), max_length=OFFICE_MAX_LENGTH, help_text=_("e.g. 中共江东省委组织部办公室编")
    )
    distribution = models.TextField(
        _("printed distribution"),
        blank=True,
        help_text=_("The 报/送/发 lines printed at the end, one a line (bodies and leaders, free text)."),
    )
    security_note = models.CharField(
        _("security note"), max_length=SECURITY_NOTE_MAX_LENGTH, default="内部资料 注意保存"
    )
    # The readers in the app: the journal's own unit always; by default also every unit below it
    # and the units above it that it reports to; plus any other unit named.
    read_below = models.BooleanField(_("units below read it"), default=True)
    read_above = models.BooleanField(_("units above read it"), default=True)
    extra_readers = models.ManyToManyField(
        "accounts.OrgUnit", verbose_name=_("other reader units"), blank=True, related_name="+"
    )
    # 总第N期: the issues printed before the journal was kept here.
    running_total_start = models.PositiveIntegerField(
        _("issues printed before"), default=0, help_text=_("The running total (总第N期) continues from this number.")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("journal")
        verbose_name_plural = _("journals")
        ordering = ["unit__path", "type__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="journal_name_once_per_unit"),
            at_most("name", NAME_MAX_LENGTH, name="journal_name_length"),
            at_most("masthead", NAME_MAX_LENGTH, name="journal_masthead_length"),
            at_most("compiling_office", OFFICE_MAX_LENGTH, name="journal_office_length"),
            at_most("distribution", DISTRIBUTION_MAX_LENGTH, name="journal_distribution_length"),
            at_most("security_note", SECURITY_NOTE_MAX_LENGTH, name="journal_security_note_length"),
            models.CheckConstraint(condition=Q(running_total_start__lte=RUNNING_TOTAL_MAX), name="journal_total_range"),
            models.CheckConstraint(
                condition=_moment_in_range("created_at", nullable=False), name="journal_created_range"
            ),
        ]

    def __str__(self):
        return f"《{self.name}》"

    @property
    def distribution_lines(self) -> list[str]:
        return [line.strip() for line in self.distribution.splitlines() if line.strip()]


class IssueState(models.TextChoices):
    DRAFT = "draft", _("Being compiled")
    SIGNED_OFF = "signed_off", _("Signed off, rendering")
    PUBLISHED = "published", _("Published")
    # A draft nobody will sign off: the row and its history stay, its items and their sources
    # are deleted (drafts are not frozen), which gives their bulletins back to the picker.
    DISCARDED = "discarded", _("Deleted draft")


# No number, no files, no signature: a draft, or a draft deleted before it was signed off.
UNNUMBERED_STATES = (IssueState.DRAFT, IssueState.DISCARDED)


class Issue(models.Model):
    """One issue of a journal: compiled as a draft, numbered and frozen at sign-off, published
    once both files exist."""

    journal = models.ForeignKey(Journal, verbose_name=_("journal"), on_delete=models.PROTECT, related_name="issues")
    state = models.CharField(_("state"), max_length=12, choices=IssueState.choices, default=IssueState.DRAFT)
    title = models.CharField(_("theme"), max_length=ISSUE_TITLE_MAX_LENGTH, blank=True)
    editors_note = models.TextField(_("editor's note (编者按) for the issue"), blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer (签发人)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    # Given at sign-off, never before: gapless per journal and year, and a running total.
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    total_number = models.PositiveIntegerField(_("running number"), null=True, blank=True)
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.OneToOneField(
        "documents.OfficialDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-year", "-number", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["journal", "year", "number"], name="issue_number_once_per_year"),
            models.UniqueConstraint(fields=["journal", "total_number"], name="issue_total_once_per_journal"),
            models.CheckConstraint(condition=Q(state__in=IssueState.values), name="issue_state_valid"),
            models.CheckConstraint(
                condition=Q(
                    state__in=UNNUMBERED_STATES,
                    year__isnull=True,
                    number__isnull=True,
                    total_number__isnull=True,
                    signed_off_at__isnull=True,
                    signed_off_by__isnull=True,
                    published_at__isnull=True,
                )
                | (
                    ~Q(state__in=UNNUMBERED_STATES)
                    & Q(
                        year__isnull=False,
                        number__isnull=False,
                        total_number__isnull=False,
                        signed_off_at__isnull=False,
                        signed_off_by__isnull=False,
                        signer__isnull=False,
                        document__isnull=False,
                    )
                ),
                name="issue_numbered_when_signed_off",
            ),
            models.CheckConstraint(
                condition=Q(state=IssueState.PUBLISHED, published_at__isnull=False)
                | (~Q(state=IssueState.PUBLISHED) & Q(published_at__isnull=True)),
                name="issue_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=YEAR_RANGE[0], year__lte=YEAR_RANGE[1]),
                name="issue_year_range",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=1, number__lte=NUMBER_MAX), name="issue_number_range"
            ),
            models.CheckConstraint(
                condition=Q(total_number__isnull=True) | Q(total_number__gte=1, total_number__lte=RUNNING_TOTAL_MAX),
                name="issue_total_range",
            ),
            models.CheckConstraint(
                condition=_moment_in_range("created_at", nullable=False)
                & _moment_in_range("signed_off_at", nullable=True)
                & _moment_in_range("published_at", nullable=True),
                name="issue_dates_in_range",
            ),
            at_most("title", ISSUE_TITLE_MAX_LENGTH, name="issue_title_length"),
            at_most("editors_note", NOTE_MAX_LENGTH, name="issue_note_length"),
        ]
        indexes = [
            # The reading room: a journal's published issues by year, newest first.
            models.Index(
                fields=["journal", "-year", "-number"], name="issue_reading_room", condition=Q(state="published")
            ),
            models.Index(fields=["journal", "state"], name="issue_journal_state"),
        ]

    def __str__(self):
        return self.label

    @property
    def is_draft(self) -> bool:
        return self.state == IssueState.DRAFT

    @property
    def is_discarded(self) -> bool:
        return self.state == IssueState.DISCARDED

    @property
    def is_published(self) -> bool:
        return self.state == IssueState.PUBLISHED

    @property
    def number_label(self) -> str:
        """2026年第15期 (or 草稿 before sign-off)."""
        if self.number is None:
            return str(_("draft"))
        return f"{self.year}年第{self.number}期"

    @property
    def label(self) -> str:
        """《江东组工信息》2026年第15期."""
        return f"《{self.journal.name}》{self.number_label}"

    @property
    def issue_line(self) -> str:
        return f"{self.year}年第{self.number}期（总第{self.total_number}期）"


class ItemKind(models.TextChoices):
    """How an item prints its sources: the printed treatment that statistics read."""

    # A context of their own: review's adoption kinds read 全文采用 …, a printed item 全文 ….
    FULL = "full", pgettext_lazy("printed treatment", "Full text")
    ABRIDGED = "abridged", pgettext_lazy("printed treatment", "Abridged")
    COMBINED = "combined", pgettext_lazy("printed treatment", "Combined")
    CORRECTION = "correction", pgettext_lazy("printed treatment", "Correction")


class IssueItem(models.Model):
    """One item of an issue, with its own title and text for the issue."""

    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("treatment"), max_length=12, choices=ItemKind.choices)
    section = models.CharField(_("section heading"), max_length=SECTION_MAX_LENGTH, blank=True)
    title = models.CharField(_("title"), max_length=ITEM_TITLE_MAX_LENGTH)
    body = models.TextField(_("text"))
    editors_note = models.TextField(_("editor's note (编者按)"), blank=True)
    # A correction (更正) names the frozen issue it corrects; that issue's page shows it.
    corrects = models.ForeignKey(
        Issue,
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["issue", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "position"], name="item_position_once", deferrable=models.Deferrable.DEFERRED
            ),
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values), name="item_kind_valid"),
            models.CheckConstraint(
                condition=(Q(kind=ItemKind.CORRECTION) & Q(corrects__isnull=False))
                | (~Q(kind=ItemKind.CORRECTION) & Q(corrects__isnull=True)),
                name="item_correction_names_issue",
            ),
            models.CheckConstraint(condition=Q(position__gte=1, position__lte=MAX_ITEMS), name="item_position_range"),
            at_most("title", ITEM_TITLE_MAX_LENGTH, name="item_title_length"),
            at_most("body", ITEM_BODY_MAX_LENGTH, name="item_body_length"),
            at_most("editors_note", NOTE_MAX_LENGTH, name="item_note_length"),
            at_most("section", SECTION_MAX_LENGTH, name="item_section_length"),
        ]

    def __str__(self):
        return self.title


class ItemSource(models.Model):
    """An Adoption row an item prints (a 综合 item has several): the filing unit's credit.

    `journal` is the item's issue's journal, copied so that the database itself holds "a bulletin
    adopted once is printed at most once in a journal" (the picker offers only the others)."""

    item = models.ForeignKey(IssueItem, on_delete=models.CASCADE, related_name="sources")
    adoption = models.ForeignKey("review.Adoption", on_delete=models.PROTECT, related_name="+")
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="+", db_index=False)
    position = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("item source")
        verbose_name_plural = _("item sources")
        ordering = ["item", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["journal", "adoption"], name="source_printed_once_per_journal"),
        ]

    def __str__(self):
        return f"{self.item_id} ← {self.adoption_id}"


class Printing(models.Model):
    """The fact that a bulletin was printed, written once when its issue is published: what
    statistics and scores read from then on (the Adoption row itself is never changed)."""

    adoption = models.ForeignKey("review.Adoption", on_delete=models.PROTECT, related_name="+")
    bulletin = models.ForeignKey("bulletins.Bulletin", on_delete=models.PROTECT, related_name="printings")
    filing_unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+")
    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="printings")
    item = models.ForeignKey(IssueItem, on_delete=models.PROTECT, related_name="+")
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="+", db_index=False)
    tier = models.CharField(_("tier"), max_length=20, choices=JournalTier.choices)
    treatment = models.CharField(_("treatment"), max_length=12, choices=ItemKind.choices)
    printed_at = models.DateTimeField(_("printed at"))

    class Meta:
        verbose_name = _("printing")
        verbose_name_plural = _("printings")
        ordering = ["printed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["journal", "adoption"], name="printing_once_per_journal"),
            models.CheckConstraint(
                condition=_moment_in_range("printed_at", nullable=False), name="printing_date_range"
            ),
        ]
        indexes = [models.Index(fields=["filing_unit", "printed_at"], name="printing_unit_at")]

    def __str__(self):
        return f"{self.bulletin_id} in {self.issue_id}"


class IssueAction(models.TextChoices):
    CREATED = "created", _("Draft created")
    EDITED = "edited", _("Issue edited")
    ITEM_ADDED = "item_added", _("Item added")
    ITEM_EDITED = "item_edited", _("Item edited")
    ITEM_REMOVED = "item_removed", _("Item removed")
    REORDERED = "reordered", _("Items reordered")
    SIGNED_OFF = "signed_off", _("Signed off and numbered")
    PUBLISHED = "published", _("Published")
    DISCARDED = "discarded", _("Draft deleted")


class IssueEvent(models.Model):
    """One line of an issue's history (who, when, what, why): append-only (a trigger)."""

    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=IssueAction.choices)
    # Empty for what the system did (publishing once the files exist).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("issue history entry")
        verbose_name_plural = _("issue history")
        ordering = ["at", "pk"]
        constraints = [
            at_most("comment", REASON_MAX_LENGTH + ITEM_TITLE_MAX_LENGTH + 50, name="issue_event_comment_length"),
            models.CheckConstraint(condition=_moment_in_range("at", nullable=False), name="issue_event_date_range"),
        ]

    def __str__(self):
        return f"{self.issue_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("History entries cannot be changed."))
        super().save(*args, **kwargs)

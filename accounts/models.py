"""The organization tree and the people who work in it."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrgLevel(models.IntegerChoices):
    CENTRAL = 0, _("Central")
    PROVINCE = 1, _("Province")
    CITY = 2, _("City")
    COUNTY = 3, _("County")


class OrgUnit(models.Model):
    """A Party organization department; the tree is four levels deep (central → county)."""

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=OrgLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialized path of ancestor ids ("/1/4/17/"): a subtree is one indexed prefix match.
    path = models.CharField(_("path"), max_length=120, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["level"], condition=Q(level=0), name="accounts_orgunit_single_central"),
            models.CheckConstraint(
                condition=(Q(level=0) & Q(parent__isnull=True)) | (Q(level__gt=0) & Q(parent__isnull=False)),
                name="accounts_orgunit_root_is_central",
            ),
            models.CheckConstraint(condition=Q(level__lte=3), name="accounts_orgunit_level_range"),
        ]
        # The "level = parent's level + 1" rule spans two rows; a trigger enforces it
        # (migration 0002), clean() explains it to people.

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The path needs the primary key, so a new unit is written first and its path after.
        super().save(*args, **kwargs)
        expected = unit_path(parent_path=self.parent.path if self.parent_id else None, pk=self.pk)
        if self.path != expected:
            self.path = expected
            OrgUnit.objects.filter(pk=self.pk).update(path=expected)

    def clean(self):
        super().clean()
        if self.parent_id is None:
            if self.level != OrgLevel.CENTRAL:
                raise ValidationError({"parent": _("Only the central unit has no parent unit.")})
            central = OrgUnit.objects.filter(level=OrgLevel.CENTRAL).exclude(pk=self.pk)
            if central.exists():
                raise ValidationError({"level": _("There is already a central unit.")})
        elif self.level != self.parent.level + 1:
            raise ValidationError(
                {
                    "level": _("A unit's level must be one below its parent's (%(level)s).")
                    % {"level": OrgLevel(min(self.parent.level + 1, 3)).label}
                }
            )

    @property
    def path_ids(self) -> list[int]:
        """The ids on the unit's path, from the top (central) down to the unit itself."""
        return unit_path_ids(self.path)

    @property
    def ancestor_ids(self) -> list[int]:
        return self.path_ids[:-1]

    def is_ancestor_of(self, other: "OrgUnit") -> bool:
        return other.path.startswith(self.path) and other.pk != self.pk


def unit_path(*, parent_path: str | None, pk: int) -> str:
    """A unit's materialized path: its parent's path (or "/" at the top) and its own id ("/1/4/17/")."""
    return ("/" if parent_path is None else parent_path) + f"{pk}/"


def unit_path_ids(path: str) -> list[int]:
    """The unit ids in a materialized path ("/1/4/17/" → [1, 4, 17]), top first."""
    return [int(part) for part in path.strip("/").split("/") if part]


class User(AbstractUser):
    """A person in one unit, with one or more roles there; superusers administer the site."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_officer = models.BooleanField(
        _("information officer"), default=False, help_text=_("Writes and revises bulletins.")
    )
    is_reviewer = models.BooleanField(
        _("reviewer"), default=False, help_text=_("Decides on bulletins that reach the unit.")
    )
    is_office_head = models.BooleanField(
        _("office head"), default=False, help_text=_("Everything a reviewer can, plus the unit's dashboards.")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_superuser=True) | Q(unit__isnull=False), name="accounts_user_has_unit"
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    @property
    def can_review(self) -> bool:
        """Reviewers and office heads both decide on bulletins at their unit."""
        return self.is_reviewer or self.is_office_head

    @property
    def role_labels(self) -> list[str]:
        labels = []
        if self.is_officer:
            labels.append(str(_("information officer")))
        if self.is_reviewer:
            labels.append(str(_("reviewer")))
        if self.is_office_head:
            labels.append(str(_("office head")))
        if self.is_superuser:
            labels.append(str(_("administrator")))
        return labels


class AccountUnlock(models.Model):
    """An office head or an administrator let a person locked out by failed logins log in again."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="unlocks")
    unlocked_by = models.ForeignKey(User, verbose_name=_("unlocked by"), on_delete=models.PROTECT, related_name="+")
    unlocked_at = models.DateTimeField(_("unlocked at"), default=timezone.now)
    failures = models.PositiveIntegerField(_("failed logins cleared"))
    addresses = models.CharField(_("from addresses"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("account unlock")
        verbose_name_plural = _("account unlocks")
        ordering = ["-unlocked_at", "-pk"]

    def __str__(self):
        return f"{self.user} ← {self.unlocked_by} ({self.unlocked_at:%Y-%m-%d %H:%M})"

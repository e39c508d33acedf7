"""Scoring rules (data, valid from a month) and the per-unit, per-month summary the dashboards read."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgLevel

# Adopting levels that can score (a county adopts nothing: nothing reaches it from below).
ADOPTING_LEVELS = {OrgLevel.CENTRAL: "central", OrgLevel.PROVINCE: "province", OrgLevel.CITY: "city"}
ADOPTION_KINDS = ("full", "abridged", "combined")
RETURN_REASONS = ("verify", "pertinence", "late", "wording", "other")

ADOPT_COLUMNS = [f"adopt_{lvl}_{kind}" for lvl in ADOPTING_LEVELS.values() for kind in ADOPTION_KINDS]
FORWARD_COLUMNS = [f"fwd_{lvl}_{kind}" for lvl in ADOPTING_LEVELS.values() for kind in ADOPTION_KINDS]
RETURN_COLUMNS = [f"return_{reason}" for reason in RETURN_REASONS]
PLAIN_COLUMNS = [
    "filed",
    "signed_off",
    "signed_off_adopted",
    "adopted_bulletins",
    "instructions",
    "declined",
    "incidents",
    "incidents_late",
]
# Every counter of UnitMonthStats, in one order shared by the hook, the rebuild and the reconcile.
COUNTER_COLUMNS = PLAIN_COLUMNS + ADOPT_COLUMNS + FORWARD_COLUMNS + RETURN_COLUMNS


class ScoringRuleSet(models.Model):
    """Points for adoptions, bonus and deductions; in force from `valid_from` until the next set."""

    name = models.CharField(_("name"), max_length=60)
    valid_from = models.DateField(
        _("valid from"),
        unique=True,
        help_text=_("First day of the month from which these rules score; months before use the previous set."),
    )
    points_central = models.DecimalField(
        _("points for adoption by the central department"), max_digits=6, decimal_places=2, default=Decimal("10")
    )
    points_province = models.DecimalField(
        _("points for adoption by a province"), max_digits=6, decimal_places=2, default=Decimal("5")
    )
    points_city = models.DecimalField(
        _("points for adoption by a city"), max_digits=6, decimal_places=2, default=Decimal("2")
    )
    factor_full = models.DecimalField(_("factor for full text"), max_digits=4, decimal_places=2, default=Decimal("1"))
    factor_abridged = models.DecimalField(
        _("factor for abridged"), max_digits=4, decimal_places=2, default=Decimal("0.6")
    )
    factor_combined = models.DecimalField(
        _("factor for combined into a digest"), max_digits=4, decimal_places=2, default=Decimal("0.3")
    )
    instruction_bonus = models.DecimalField(
        _("bonus per leader's instruction"), max_digits=6, decimal_places=2, default=Decimal("5")
    )
    late_incident_penalty = models.DecimalField(
        _("deduction per late incident"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("2"),
        help_text=_(
            "Points taken off once for each incident report not sent up by its deadline, whether it is sent up "
            "late or not at all; counted in the month the deadline passed."
        ),
    )
    forward_credit_multiplier = models.DecimalField(
        _("forwarding credit multiplier"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_(
            "A unit that forwarded a bulletin later adopted higher up gets the adoption's points times this "
            "multiplier; 0 turns forwarding credit off."
        ),
    )

    class Meta:
        verbose_name = _("scoring rule set")
        verbose_name_plural = _("scoring rule sets")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_from__day=1), name="dashboards_ruleset_starts_on_first"),
        ]

    def __str__(self):
        return f"{self.name} ({self.valid_from:%Y-%m})"

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_from.day != 1:
            raise ValidationError({"valid_from": _("Scores are computed per month: choose the first day of a month.")})

    def level_points(self, level_name: str) -> Decimal:
        return getattr(self, f"points_{level_name}")

    def kind_factor(self, kind: str) -> Decimal:
        return getattr(self, f"factor_{kind}")


def _counter(verbose):
    return models.PositiveIntegerField(verbose, default=0)


class UnitMonthStats(models.Model):
    """Counters for one filing unit and one calendar month (Asia/Shanghai).

    Kept current by `services.stats_record_event` in the review transactions and recomputable from
    the raw rows (`services.stats_rebuild`). Adoptions are split by adopting level AND kind so the
    score can be computed at read time with the rule set in force for each month.
    The ancestor columns let a province or central page aggregate its subtree with one GROUP BY.
    """

    unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    # The unit's ancestor-or-self at each level below central (NULL above the unit's own level).
    province = models.ForeignKey(
        "accounts.OrgUnit", null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    city = models.ForeignKey("accounts.OrgUnit", null=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    county = models.ForeignKey(
        "accounts.OrgUnit", null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    filed = _counter(_("filed"))
    signed_off = _counter(_("signed off"))
    signed_off_adopted = _counter(_("signed off and adopted"))
    adopted_bulletins = _counter(_("bulletins adopted"))
    instructions = _counter(_("leaders' instructions"))
    declined = _counter(_("declined"))
    # Incidents are counted in the month their deadline passed: on time when signed off before it,
    # late (once) when flagged overdue or signed off at or after it (services.py).
    incidents = _counter(_("incidents due"))
    incidents_late = _counter(_("late incidents"))

    adopt_central_full = _counter("adopt_central_full")
    adopt_central_abridged = _counter("adopt_central_abridged")
    adopt_central_combined = _counter("adopt_central_combined")
    adopt_province_full = _counter("adopt_province_full")
    adopt_province_abridged = _counter("adopt_province_abridged")
    adopt_province_combined = _counter("adopt_province_combined")
    adopt_city_full = _counter("adopt_city_full")
    adopt_city_abridged = _counter("adopt_city_abridged")
    adopt_city_combined = _counter("adopt_city_combined")

    fwd_central_full = _counter("fwd_central_full")
    fwd_central_abridged = _counter("fwd_central_abridged")
    fwd_central_combined = _counter("fwd_central_combined")
    fwd_province_full = _counter("fwd_province_full")
    fwd_province_abridged = _counter("fwd_province_abridged")
    fwd_province_combined = _counter("fwd_province_combined")
    fwd_city_full = _counter("fwd_city_full")
    fwd_city_abridged = _counter("fwd_city_abridged")
    fwd_city_combined = _counter("fwd_city_combined")

    return_verify = _counter("return_verify")
    return_pertinence = _counter("return_pertinence")
    return_late = _counter("return_late")
    return_wording = _counter("return_wording")
    return_other = _counter("return_other")

    class Meta:
        verbose_name = _("monthly unit statistics")
        verbose_name_plural = _("monthly unit statistics")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="dashboards_stats_unit_month"),
        ]
        indexes = [
            models.Index(fields=["month"], name="stats_month"),
            models.Index(fields=["province", "month"], name="stats_province_month"),
            models.Index(fields=["city", "month"], name="stats_city_month"),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.month:%Y-%m}"


class LateIncidentCount(models.Model):
    """An incident whose lateness is in the summary, in the month of the deadline that passed.

    Both the overdue flag and a late sign-off count a late incident, whichever the statistics
    hear of first; the row (inserted ON CONFLICT DO NOTHING) makes the other one count nothing.
    Written only by dashboards.services (the hook and the rebuild).
    """

    bulletin = models.OneToOneField("bulletins.Bulletin", primary_key=True, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))

    class Meta:
        verbose_name = _("late incident counted")
        verbose_name_plural = _("late incidents counted")
        indexes = [models.Index(fields=["month"], name="late_incident_month")]

    def __str__(self):
        return f"{self.bulletin_id} {self.month:%Y-%m}"


class ProvinceMonthStats(models.Model):
    """The same counters summed per province subtree and month: the central page reads 31 × 12
    rows instead of aggregating every unit's rows. Kept by the same UPSERTs as UnitMonthStats."""

    province = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))

    class Meta:
        verbose_name = _("monthly province statistics")
        verbose_name_plural = _("monthly province statistics")
        constraints = [
            models.UniqueConstraint(fields=["province", "month"], name="dashboards_rollup_province_month"),
        ]

    def __str__(self):
        return f"{self.province_id} {self.month:%Y-%m}"


for _column in COUNTER_COLUMNS:
    ProvinceMonthStats.add_to_class(_column, models.PositiveIntegerField(default=0))

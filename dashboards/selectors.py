"""Reads of the dashboards: which unit a user may open, and the page's figures from the summary."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from itertools import groupby
from operator import itemgetter

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import (
    CharField,
    Count,
    DateField,
    DecimalField,
    F,
    Func,
    IntegerField,
    Prefetch,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import OrgLevel, OrgUnit
from accounts.permissions import visible_units
from bulletins.models import Bulletin
from bulletins.visibility import visible_bulletins, visible_through_bulletin
from dashboards.models import (
    ADOPT_COLUMNS,
    ADOPTING_LEVELS,
    ADOPTION_KINDS,
    COUNTER_COLUMNS,
    RETURN_COLUMNS,
    RETURN_REASONS,
    ProvinceMonthStats,
    ScoringRuleSet,
    UnitMonthStats,
)
from dashboards.periods import Period, add_months, months_between
from incidents.models import ClockState, IncidentClock
from review.models import Adoption, AdoptionKind, ReturnReason

# The summary's ancestor column that groups a unit's subtree by its children, per unit level.
_CHILD_KEY = {OrgLevel.CENTRAL: "province_id", OrgLevel.PROVINCE: "city_id", OrgLevel.CITY: "county_id"}
_SUBTREE_FILTER = {OrgLevel.PROVINCE: "province_id", OrgLevel.CITY: "city_id", OrgLevel.COUNTY: "unit_id"}
TREND_MONTHS = 12
LEVEL_ORDER = ["central", "province", "city"]
_ADOPT_COLUMNS_BY_LEVEL = [[f"adopt_{level}_{kind}" for kind in ADOPTION_KINDS] for level in LEVEL_ORDER]


def bulletin_url(pk: int) -> str:
    """The bulletin's detail page (owned by the bulletins app)."""
    return reverse("bulletins:detail", args=[pk])


def can_open_dashboard(user) -> bool:
    return user.is_authenticated and (user.is_office_head or user.is_reviewer or user.is_superuser)


def dashboard_unit_get(*, user, unit_id: int | None = None) -> OrgUnit:
    """Fetch and authorize the unit whose dashboard `user` opens: heads their subtree (through
    visible_units()), reviewers their own unit only; anything else is a 404 like a unit that does not exist."""
    if not can_open_dashboard(user):
        raise PermissionDenied
    if unit_id is None:
        if user.unit_id is not None:
            return user.unit
        unit = OrgUnit.objects.filter(level=OrgLevel.CENTRAL).first()
        if unit is None:
            raise Http404
        return unit
    units = visible_units(user, OrgUnit.objects.all())
    if not (user.is_office_head or user.is_superuser):
        units = units.filter(pk=user.unit_id)
    try:
        return units.get(pk=unit_id)
    except OrgUnit.DoesNotExist:
        raise Http404 from None


def can_drill_down(user) -> bool:
    return user.is_office_head or user.is_superuser


def rules_by_month(months: list[date]) -> dict[date, ScoringRuleSet]:
    """The rule set in force for each month (the latest valid_from on or before it; defaults before any)."""
    rule_sets = sorted(ScoringRuleSet.objects.all(), key=lambda r: r.valid_from)
    default = ScoringRuleSet(name=_("Default rules"), valid_from=date(1970, 1, 1))
    result = {}
    for month in months:
        in_force = default
        for rules in rule_sets:
            if rules.valid_from <= month:
                in_force = rules
        result[month] = in_force
    return result


def month_score(counts, rules: ScoringRuleSet) -> Decimal:
    """Points for one month's counters under the rules in force that month.

    The weights are score_coefficients' (the page sums the same in SQL, _score_expression);
    `counts` maps a counter column to its value, missing counters being 0 (a Counter).
    """
    return sum((counts[column] * points for column, points in score_coefficients(rules).items()), Decimal(0))


@dataclass
class StatsRow:
    """One line of the dashboard: a child unit's subtree, the unit itself, or the total.

    The figures that take a loop over `counts` (adoptions by level, top return reasons) are
    computed on first use and kept, as the page, the ranking and the export each read them:
    fill `counts` before reading them (dashboard_get does).
    """

    label: str
    kind: str  # child, own, total
    unit: OrgUnit | None = None
    counts: Counter = field(default_factory=Counter)
    score: Decimal = Decimal(0)
    rank: int | None = None
    url: str | None = None

    def adopted_at(self, level_name: str) -> int:
        return sum(self.counts[f"adopt_{level_name}_{kind}"] for kind in ADOPTION_KINDS)

    @cached_property
    def adoptions_by_level(self) -> list[int]:
        counts = self.counts
        return [sum(counts[column] for column in columns) for columns in _ADOPT_COLUMNS_BY_LEVEL]

    @cached_property
    def adoptions(self) -> int:
        return sum(self.adoptions_by_level)

    @property
    def adopted(self) -> int:
        """采用数: bulletins signed off in the period and adopted at least once (at any level)."""
        return self.counts["signed_off_adopted"]

    @property
    def adoption_rate(self) -> float | None:
        """采用率: adopted ÷ signed off, both counted on the bulletins signed off in the period."""
        signed_off = self.counts["signed_off"]
        return self.adopted / signed_off if signed_off else None

    @property
    def timeliness_rate(self) -> float | None:
        """Share of the incidents due in the period (by deadline) that were sent up on time.

        A late incident — sent up late or flagged overdue and never sent up — is counted as late
        once, in its deadline month (dashboards.services); `incidents_overdue_open` is the part
        of those still not sent up today.
        """
        incidents = self.counts["incidents"]
        return (incidents - self.counts["incidents_late"]) / incidents if incidents else None

    @property
    def returned(self) -> int:
        return sum(self.counts[f"return_{reason}"] for reason in RETURN_REASONS)

    @cached_property
    def top_return_reasons(self) -> list[tuple[str, int]]:
        """The three most common return reasons (ties in RETURN_REASONS order: the sort is stable)."""
        counts = self.counts
        ranked = sorted(zip(RETURN_REASONS, RETURN_COLUMNS, strict=True), key=lambda item: -counts[item[1]])
        return [(str(ReturnReason(reason).label), counts[column]) for reason, column in ranked[:3] if counts[column]]

    @property
    def score_display(self) -> str:
        return f"{self.score.quantize(Decimal('0.1'))}"


@dataclass
class Dashboard:
    unit: OrgUnit
    period: Period
    breadcrumbs: list[OrgUnit]
    children: list[StatsRow]
    own: StatsRow
    total: StatsRow
    trend_months: list[date]
    trend: dict[date, Counter]
    rules: ScoringRuleSet
    several_rule_sets: bool
    bulletins: object = None  # a Page of the county's own bulletins

    @property
    def level_labels(self) -> list[str]:
        return [_("Central department"), _("Province level"), _("City level")]

    @property
    def total_adoptions_by_level(self) -> list[tuple[str, int]]:
        """(level, adoptions by that level) for the total: shown beside 采用数 and 采用率."""
        return list(zip(self.level_labels, self.total.adoptions_by_level, strict=True))

    @property
    def rows(self) -> list[StatsRow]:
        return [*self.children, self.own, self.total]

    def chart_data(self) -> dict:
        return {
            "trend": {
                "months": [f"{m:%Y-%m}" for m in self.trend_months],
                "filed": [self.trend[m]["filed"] for m in self.trend_months],
                "adopted": [self.trend[m]["adopted_bulletins"] for m in self.trend_months],
                "adoptions": [self.trend[m]["adoptions"] for m in self.trend_months],
            },
            "levels": [
                {"name": label, "value": value}
                for label, value in zip(self.level_labels, self.total.adoptions_by_level, strict=True)
            ],
            "ranking": {
                "names": [row.label for row in self.children],
                "scores": [float(row.score.quantize(Decimal("0.1"))) for row in self.children],
                "urls": [row.url or "" for row in self.children],
            },
            "labels": {
                "filed": _("Filed"),
                "adopted": _("Bulletins adopted"),
                "adoptions": _("Adoptions"),
                "score": _("Score"),
                "levels": _("Adoptions by level"),
            },
        }


def rule_summary(rules: ScoringRuleSet) -> str:
    """The one line that explains how the score is computed."""

    def n(value: Decimal) -> str:
        return f"{value.normalize():f}"

    text = _(
        "Score = each adoption × level points (central %(central)s, province %(province)s, city %(city)s) "
        "× kind factor (full %(full)s, abridged %(abridged)s, combined %(combined)s) "
        "+ %(bonus)s per leader's instruction − %(penalty)s per late incident (sent up late or not at all, "
        "once, in the month of its deadline)"
    ) % {
        "central": n(rules.points_central),
        "province": n(rules.points_province),
        "city": n(rules.points_city),
        "full": n(rules.factor_full),
        "abridged": n(rules.factor_abridged),
        "combined": n(rules.factor_combined),
        "bonus": n(rules.instruction_bonus),
        "penalty": n(rules.late_incident_penalty),
    }
    if rules.forward_credit_multiplier:
        text += _("; units that forwarded an adopted bulletin get its points × %(multiplier)s") % {
            "multiplier": n(rules.forward_credit_multiplier)
        }
    return text + _("; adoptions at every level count for the filing unit.")


def dashboard_get(*, user, unit: OrgUnit, period: Period, page: str | int | None = None, query: str = "") -> Dashboard:
    """All figures of one dashboard page in a fixed number of queries (summary table only).

    One statement over the summary table (_summary) returns a line per child unit and one for the
    unit's own bulletins, with the period's counters and score summed in SQL, and a line per month
    of the trend; the total is the sum of those lines.
    """
    trend_first = min(period.first, add_months(period.last, -(TREND_MONTHS - 1)))
    trend_months = months_between(trend_first, period.last)
    rules = rules_by_month(trend_months)

    children = list(OrgUnit.objects.filter(parent=unit).order_by("pk")) if unit.level < OrgLevel.COUNTY else []
    unit_url = _unit_url_maker(query) if can_drill_down(user) else None
    rows = {}
    for child in children:
        url = unit_url(child.pk) if unit_url else None
        rows[child.pk] = StatsRow(label=child.short_name, kind="child", unit=child, url=url)
    own = StatsRow(label=_("%(unit)s (own bulletins)") % {"unit": unit.short_name}, kind="own", unit=unit)
    total = StatsRow(label=_("Total"), kind="total", unit=unit)
    trend = {month: Counter(filed=0, adopted_bulletins=0, adoptions=0) for month in trend_months}

    score = _score_expression(period, _rule_segments(period, rules))
    for record in _summary(unit=unit, period=period, trend_first=trend_first, score=score):
        month = record["row_month"]
        if month is not None:  # a month of the trend
            figures = trend[month]
            for figure in _TREND_FIGURES:
                figures[figure] += record[figure]
            continue
        group_key = record["row_key"]
        row = own if group_key is None or group_key == unit.pk else rows.get(group_key)
        if row is None:  # a unit moved since; the reconcile reports it
            continue
        row.counts = Counter({col: record[col] or 0 for col in COUNTER_COLUMNS})
        row.score = record["score"] or Decimal(0)
    for row in (*rows.values(), own):
        total.counts.update(row.counts)
        total.score += row.score

    _add_overdue_open(unit=unit, period=period, rows=rows, own=own, total=total)

    ranked = sorted(rows.values(), key=lambda r: (-r.score, -r.adoptions, r.unit.pk))
    previous, rank = None, 0
    for position, row in enumerate(ranked, start=1):
        if row.score != previous:
            rank, previous = position, row.score
        row.rank = rank

    in_period = {rules[m].pk or 0 for m in period.months}
    dashboard = Dashboard(
        unit=unit,
        period=period,
        breadcrumbs=_breadcrumbs(user, unit),
        children=ranked,
        own=own,
        total=total,
        trend_months=trend_months,
        trend=trend,
        rules=rules[period.last],
        several_rule_sets=len(in_period) > 1,
    )
    if unit.level == OrgLevel.COUNTY:
        dashboard.bulletins = county_bulletins_page(user=user, unit=unit, period=period, page=page)
    return dashboard


# Wide enough for any score: coefficients have two decimals, products of three of them six.
_SCORE_FIELD = DecimalField(max_digits=30, decimal_places=6)
_TREND_FIGURES = ("filed", "adopted_bulletins", "adoptions")  # the columns of the trend half


def _rule_segments(period: Period, rules: dict[date, ScoringRuleSet]) -> list[tuple[date, date, ScoringRuleSet]]:
    """The period's months as runs of consecutive months under one rule set: (first, last, rules)."""
    segments = []
    for month in period.months:
        in_force = rules[month]
        if segments and segments[-1][2] is in_force:
            segments[-1] = (segments[-1][0], month, in_force)
        else:
            segments.append((month, month, in_force))
    return segments


def score_coefficients(rules: ScoringRuleSet) -> dict[str, Decimal]:
    """The points one unit of each counter is worth under `rules` (month_score as a linear form)."""
    coefficients = {}
    multiplier = rules.forward_credit_multiplier
    for level_name in ADOPTING_LEVELS.values():
        points = rules.level_points(level_name)
        for kind in ADOPTION_KINDS:
            value = points * rules.kind_factor(kind)
            coefficients[f"adopt_{level_name}_{kind}"] = value
            if multiplier:
                coefficients[f"fwd_{level_name}_{kind}"] = value * multiplier
    coefficients["instructions"] = rules.instruction_bonus
    coefficients["incidents_late"] = -rules.late_incident_penalty
    return {column: value for column, value in coefficients.items() if value}


def _score_expression(period: Period, segments) -> Func:
    """The period's score in SQL, the same sum as month_score over its months:

        Σ over the rule sets in force in the period, each for a run of months first … last,
          Σ over the counters  COALESCE(SUM(counter) FILTER (WHERE month BETWEEN first AND last), 0) × points

    Django writes the FILTER as SUM(CASE WHEN … THEN counter END) where a database lacks it; a run
    of months without rows sums to NULL, which would void the whole score, hence the COALESCE.
    Summing the integer counters first and weighting each sum once per line costs PostgreSQL a
    third of weighting every month's row in numeric arithmetic (1M bulletins, a province's year:
    0.7 ms instead of 2-3 ms). When one rule set covers the whole period there is no FILTER, and
    PostgreSQL computes each SUM once for the score and the counter's own column.
    """
    terms = []
    for first, last, rules in segments:
        whole = (first, last) == (period.first, period.last)
        in_segment = None if whole else Q(month__gte=first, month__lte=last)
        for column, points in score_coefficients(rules).items():
            # A line has rows in the period, so a whole-period sum is never NULL; a run may have none.
            total = Sum(column) if whole else Sum(column, filter=in_segment, default=0)
            terms.append(total * Value(points, output_field=_SCORE_FIELD))
    if not terms:
        return Value(Decimal(0), output_field=_SCORE_FIELD)
    return _sum_of(terms, output_field=_SCORE_FIELD)


def _sum_of(terms: list, output_field) -> Func:
    """(a + b + c …) as one flat expression: a tree of `+` costs the ORM far more to resolve and
    compile."""
    return Func(*terms, template="(%(expressions)s)", arg_joiner=" + ", output_field=output_field)


def _summary(*, unit: OrgUnit, period: Period, trend_first: date, score: Func):
    """The period's counters and score per child key (row_month NULL), then the trend's three
    figures per month (row_key NULL), as one UNION ALL of GROUP BY queries over the summary table.

    The trend half fills only the columns it needs; the others are NULL. (Three sums per month
    as conditional aggregates of the first half instead cost the ORM twice as long to compile.)
    In both halves the sums take the counters' names, so they are annotated last: "filed" in the
    score and F("adopt_…") in `adoptions` must still mean the column, not the sum.
    """
    sums = {column: Sum(column) for column in COUNTER_COLUMNS}
    null = Value(None, output_field=IntegerField())
    trend = {column: Sum(column) if column in _TREND_FIGURES else null for column in COUNTER_COLUMNS}
    adoptions = Sum(_sum_of([F(column) for column in ADOPT_COLUMNS], output_field=IntegerField()))
    # PostgreSQL types a UNION's columns from the first branch: a bare NULL there would be text.
    no_month, no_number = Cast(Value(None), DateField()), Cast(Value(None), IntegerField())

    def by_row(stats, key):
        return (
            stats.filter(month__gte=period.first, month__lte=period.last)
            .order_by()
            .values(row_key=F(key), row_month=no_month)
            .annotate(score=score, adoptions=no_number, **sums)
        )

    def by_month(stats):
        return (
            stats.filter(month__gte=trend_first, month__lte=period.last)
            .order_by()
            .values(row_key=null, row_month=F("month"))
            .annotate(score=Value(None, output_field=_SCORE_FIELD), adoptions=adoptions, **trend)
        )

    if unit.level == OrgLevel.CENTRAL:
        # The province rollup (31 rows a month) plus the central unit's own rows (province NULL).
        provinces, central = ProvinceMonthStats.objects.all(), UnitMonthStats.objects.filter(unit_id=unit.pk)
        return by_row(provinces, "province_id").union(
            by_row(central, "province_id"), by_month(provinces), by_month(central), all=True
        )
    stats = UnitMonthStats.objects.filter(**{_SUBTREE_FILTER[unit.level]: unit.pk})
    return by_row(stats, _CHILD_KEY.get(unit.level, "unit_id")).union(by_month(stats), all=True)


def _add_overdue_open(*, unit: OrgUnit, period: Period, rows: dict, own: "StatsRow", total: "StatsRow") -> None:
    """Incidents whose deadline fell in the period and that are flagged but still not sent up.

    They are no event in the summary table (nothing was sent), so they are counted here, from the
    incident clocks, in one query over a small partial index.
    """
    # The path is "/central/province/city/county/": part unit.level + 3 is the child's id ("" for
    # the unit's own incidents), so the counts come back one row per child.
    child_part = Func(
        F("filing_unit__path"), Value("/"), Value(unit.level + 3), function="split_part", output_field=CharField()
    )
    overdue = (
        IncidentClock.objects.filter(
            state=ClockState.FLAGGED,
            deadline_at__gte=period.start,
            deadline_at__lt=period.end,
            filing_unit__path__startswith=unit.path,
        )
        .values(child=child_part)
        .annotate(n=Count("pk"))
        .order_by()
    )
    for record in overdue:
        child = record["child"]
        row = rows.get(int(child)) if child else own
        for target in (row, total):
            if target is not None:
                target.counts["incidents_overdue_open"] += record["n"]


# For the benchmark row "central dashboard 2026: p50 ≤ 50 ms" (bench/results/2026-11-27.md,
# Targets; the current year): one reverse() per page, each child's pk put in place of the marker.
def _unit_url_maker(query: str):
    """A function giving a unit's dashboard URL (with the period's query string): one reverse()
    for all the children of a page rather than one each."""
    marker = "2147483647"
    head, marker, tail = reverse("dashboards:unit", args=[marker]).rpartition(marker)
    suffix = f"{tail}?{query}" if query else tail
    return lambda pk: f"{head}{pk}{suffix}"


def _breadcrumbs(user, unit: OrgUnit) -> list[OrgUnit]:
    """The unit's ancestors the user may open, top down, then the unit itself."""
    ancestors = unit.ancestor_ids
    if not ancestors or not can_drill_down(user):
        return [unit]
    visible = visible_units(user, OrgUnit.objects.filter(pk__in=ancestors)).order_by("level")
    return [*visible, unit]


def county_bulletins_page(*, user, unit: OrgUnit, period: Period, page=None):
    """A county's own bulletins first submitted in the period (through visible_bulletins(); 25 a page)."""
    bulletins = (
        visible_bulletins(user, Bulletin.objects.filter(filing_unit=unit))
        .filter(submitted_at__gte=period.start, submitted_at__lt=period.end)
        .select_related("category")
        .prefetch_related(
            Prefetch("adoptions", queryset=Adoption.objects.select_related("unit").order_by("level", "pk"))
        )
        .order_by("-submitted_at", "-pk")
    )
    page_obj = Paginator(bulletins, 25).get_page(page)
    for bulletin in page_obj:
        bulletin.detail_url = bulletin_url(bulletin.pk)
    return page_obj


@dataclass(frozen=True)
class AdoptedBulletin:
    """One bulletin adopted in a period, with the adoptions of the period ("市级·临江市：全文采用")."""

    title: str
    filing_unit: str
    adoptions: list[str]
    first_adopted_at: datetime


def _adoption_text(level: str, unit: str, kind: str) -> str:
    """省级·江东省：摘要采用; 中组部：全文采用 (the central department is its level's only unit)."""
    return f"{unit}：{kind}" if unit == level else f"{level}·{unit}：{kind}"


def adopted_bulletins_iter(*, user, unit: OrgUnit, period: Period) -> Iterator[AdoptedBulletin]:
    """The bulletins behind the adoption figures: filed in `unit`'s subtree and adopted in the
    period (by the adopting levels that score), each with its adoptions of the period; only what
    `user` may see (visible_through_bulletin). One query, read in chunks, whatever the number
    (a year at central level runs past 100,000 rows): the Excel export streams it.
    """
    level_labels = {
        OrgLevel.CENTRAL: _("Central department"),
        OrgLevel.PROVINCE: _("Province level"),
        OrgLevel.CITY: _("City level"),
    }
    kind_labels = {kind.value: str(kind.label) for kind in AdoptionKind}
    adoptions = (
        visible_through_bulletin(
            user,
            Adoption.objects.filter(
                adopted_at__gte=period.start,
                adopted_at__lt=period.end,
                level__in=list(ADOPTING_LEVELS),
                bulletin__filing_unit__path__startswith=unit.path,
            ),
        )
        .order_by("bulletin__filing_unit__path", "bulletin_id", "level", "adopted_at", "pk")
        .values_list(
            "bulletin_id",
            "bulletin__title",
            "bulletin__filing_unit__short_name",
            "level",
            "unit__short_name",
            "kind",
            "adopted_at",
        )
    )
    for _bulletin_id, rows in groupby(adoptions.iterator(chunk_size=2000), key=itemgetter(0)):
        rows = list(rows)
        yield AdoptedBulletin(
            title=rows[0][1],
            filing_unit=rows[0][2],
            adoptions=[
                _adoption_text(level_labels.get(row[3], ""), row[4], kind_labels.get(row[5], row[5])) for row in rows
            ],
            first_adopted_at=min(row[6] for row in rows),
        )

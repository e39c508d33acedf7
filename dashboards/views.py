from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dashboards.cache import cached_part, dashboard_figures_key
from dashboards.export import ranking_headers, ranking_values, ranking_workbook
from dashboards.forms import PeriodForm
from dashboards.periods import month_of
from dashboards.selectors import adopted_bulletins_iter, dashboard_get, dashboard_unit_get, rule_summary


def _period_query(request) -> str:
    keep = request.GET.copy()
    keep.pop("page", None)
    return keep.urlencode()


@require_GET
def dashboard(request, unit_id=None):
    unit = dashboard_unit_get(user=request.user, unit_id=unit_id)
    form = PeriodForm(request.GET or None)
    period = form.get_period()
    if not form.errors:
        form = PeriodForm.showing(period)  # every control shows the period chosen
    query = _period_query(request)
    user = request.user
    # Outside the cached figures (they hold no time): the trend chart marks this month.
    context = {"unit": unit, "query": query, "this_month": f"{month_of(timezone.now()):%Y-%m}"}

    def figures() -> str:
        data = dashboard_get(user=user, unit=unit, period=period, page=request.GET.get("page"), query=query)
        context["dash"] = data
        # Rendered without the request: the cached part must not depend on who asked, beyond the key.
        return render_to_string(
            "dashboards/_figures.html",
            {
                "form": form,
                "dash": data,
                "headers": ranking_headers(data),
                "rows": [(row, ranking_values(row)) for row in data.rows],
                "rule_text": rule_summary(data.rules),
                "chart_data": data.chart_data(),
                "query": query,
            },
        )

    key = dashboard_figures_key(user=user, unit=unit, period=period, query=query)
    context["figures"] = mark_safe(cached_part(key, figures))
    return render(request, "dashboards/dashboard.html", context)


@require_GET
def export(request, unit_id):
    unit = dashboard_unit_get(user=request.user, unit_id=unit_id)
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # Not another period than the one asked for, under the name of this one: say why instead.
        return render(request, "dashboards/export_refused.html", {"unit": unit, "form": form}, status=400)
    period = form.get_period()
    user = request.user
    data = dashboard_get(user=user, unit=unit, period=period)
    workbook = ranking_workbook(
        data,
        compiled_by=user.unit.name if user.unit_id else unit.name,
        adopted=adopted_bulletins_iter(user=user, unit=unit, period=period),
    )
    response = HttpResponse(workbook, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = _("%(unit)s_%(period)s_ranking.xlsx") % {"unit": unit.short_name, "period": period.slug}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dashboards.export import ranking_headers, ranking_values, ranking_workbook
from dashboards.forms import PeriodForm
from dashboards.selectors import can_drill_down, dashboard_get, dashboard_unit_get, rule_summary


def _period_query(request) -> str:
    keep = request.GET.copy()
    keep.pop("page", None)
    return keep.urlencode()


@require_GET
def dashboard(request, unit_id=None):
    unit = dashboard_unit_get(user=request.user, unit_id=unit_id)
    form = PeriodForm(request.GET or None)
    period = form.get_period()
    query = _period_query(request)
    data = dashboard_get(user=request.user, unit=unit, period=period, page=request.GET.get("page"), query=query)
    context = {
        "form": form,
        "dash": data,
        "headers": ranking_headers(data),
        "rows": [(row, ranking_values(row)) for row in data.rows],
        "rule_text": rule_summary(data.rules),
        "chart_data": data.chart_data(),
        "query": query,
        "can_drill_down": can_drill_down(request.user),
    }
    return render(request, "dashboards/dashboard.html", context)


@require_GET
def export(request, unit_id):
    unit = dashboard_unit_get(user=request.user, unit_id=unit_id)
    period = PeriodForm(request.GET or None).get_period()
    data = dashboard_get(user=request.user, unit=unit, period=period)
    response = HttpResponse(
        ranking_workbook(data), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = _("%(unit)s_%(period)s_ranking.xlsx") % {"unit": unit.short_name, "period": period.slug}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response

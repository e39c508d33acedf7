"""The ranking as an Excel workbook: Chinese headers, the page's numbers, user text kept as text."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dashboards.selectors import Dashboard, StatsRow, rule_summary


def _put(sheet, row: int, column: int, value):
    """Write a cell; strings are forced to text so "=cmd" is never stored as a formula."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _rate(value: float | None):
    return None if value is None else round(value, 4)


def ranking_headers(dashboard: Dashboard) -> list[str]:
    return [
        _("Rank"),
        _("Unit"),
        _("Filed"),
        _("Signed off and sent up"),
        *[_("Adopted by %(level)s") % {"level": label} for label in dashboard.level_labels],
        _("Adoption rate"),
        _("Leaders' instructions"),
        _("Score"),
        _("Incidents sent up"),
        _("Sent up late"),
        _("Overdue, not sent up"),
        _("Timeliness rate"),
        _("Most common return reasons"),
    ]


def ranking_values(row: StatsRow) -> list:
    return [
        row.rank,
        row.label,
        row.counts["filed"],
        row.counts["signed_off"],
        *row.adoptions_by_level,
        _rate(row.adoption_rate),
        row.counts["instructions"],
        float(row.score.quantize(row.score.__class__("0.1"))),
        row.counts["incidents"],
        row.counts["incidents_late"],
        row.counts["incidents_overdue_open"],
        _rate(row.timeliness_rate),
        "、".join(f"{label}({n})" for label, n in row.top_return_reasons) or None,
    ]


def ranking_workbook(dashboard: Dashboard) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Ranking")
    _put(sheet, 1, 1, f"{dashboard.unit.name} · {dashboard.period.label}").font = Font(bold=True, size=13)
    _put(sheet, 2, 1, rule_summary(dashboard.rules))
    headers = ranking_headers(dashboard)
    for column, header in enumerate(headers, start=1):
        _put(sheet, 4, column, header).font = Font(bold=True)
    percent_columns = {headers.index(_("Adoption rate")) + 1, headers.index(_("Timeliness rate")) + 1}
    for offset, row in enumerate(dashboard.rows):
        for column, value in enumerate(ranking_values(row), start=1):
            cell = _put(sheet, 5 + offset, column, value)
            if column in percent_columns:
                cell.number_format = "0.0%"
            if row.kind == "total":
                cell.font = Font(bold=True)
    for column in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14 if column != 2 else 22
    sheet.freeze_panes = "C5"

    if dashboard.bulletins is not None:
        detail = workbook.create_sheet(_("Bulletins"))
        columns = [_("Title"), _("Category"), _("Status"), _("First submitted"), _("Adopted by")]
        for column, header in enumerate(columns, start=1):
            _put(detail, 1, column, header).font = Font(bold=True)
        for offset, bulletin in enumerate(dashboard.bulletins.paginator.object_list, start=2):
            values = [
                bulletin.title,
                bulletin.category.name,
                str(bulletin.get_status_display()),
                bulletin.submitted_at.astimezone(dashboard.period.start.tzinfo).strftime("%Y-%m-%d %H:%M"),
                "、".join(f"{a.unit.short_name}({a.get_kind_display()})" for a in bulletin.adoptions.all()),
            ]
            for column, value in enumerate(values, start=1):
                _put(detail, offset, column, value).alignment = Alignment(wrap_text=column == 1)
        detail.column_dimensions["A"].width = 50
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

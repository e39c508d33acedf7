"""The dashboard as an Excel workbook that prints as it is: A4 landscape, one page wide, the header
row repeated on every page, a merged title, thin borders, named CJK fonts with sizes on every
cell, a width on every column, and the compiling unit and date under the title.

The workbook is written in openpyxl's write-only mode: the sheet of adopted bulletins behind the
figures runs past 100,000 rows for a year at central level, and write-only rows go to a temporary
file as they come (its query is streamed too, dashboards.selectors.adopted_bulletins_iter).
User text is always stored as text, so "=cmd" is never a formula.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dashboards.selectors import AdoptedBulletin, Dashboard, StatsRow, rule_summary

# Fonts every Chinese office has (宋体 for text, 黑体 for headings), each with its size: a cell
# without a named font prints in whatever the spreadsheet program falls back to.
BODY_FONT = "宋体"
HEADING_FONT = "黑体"
TITLE = Font(name=HEADING_FONT, size=16, bold=True)
HEADER = Font(name=HEADING_FONT, size=11, bold=True)
BODY = Font(name=BODY_FONT, size=11)
BODY_BOLD = Font(name=HEADING_FONT, size=11, bold=True)
NOTE = Font(name=BODY_FONT, size=10)
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
# Excel's last row, less the title lines above the header.
MAX_DETAIL_ROWS = 1_048_576 - 10


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    format: str | None = None  # number format
    text: bool = False  # left-aligned, wrapped


def _rate(value: float | None):
    return None if value is None else round(value, 4)


def ranking_headers(dashboard: Dashboard) -> list[str]:
    return [column.header for column in _ranking_columns(dashboard)]


def _ranking_columns(dashboard: Dashboard) -> list[Column]:
    return [
        Column(_("Rank"), 6),
        Column(_("Unit"), 18, text=True),
        Column(_("Filed"), 8),
        Column(_("Signed off and sent up"), 10),
        *[Column(_("Adopted by %(level)s") % {"level": label}, 9) for label in dashboard.level_labels],
        Column(_("Bulletins adopted at least once"), 9),
        Column(_("Adoption rate"), 9, format="0.0%"),
        Column(_("Leaders' instructions"), 9),
        Column(_("Score"), 9, format="0.0"),
        Column(_("Incidents"), 9),
        Column(_("Late incidents"), 8),
        Column(_("Overdue, not sent up"), 9),
        Column(_("Timeliness rate"), 9, format="0.0%"),
        Column(_("Most common return reasons"), 26, text=True),
    ]


def ranking_values(row: StatsRow) -> list:
    return [
        row.rank,
        row.label,
        row.counts["filed"],
        row.counts["signed_off"],
        *row.adoptions_by_level,
        row.adopted,
        _rate(row.adoption_rate),
        row.counts["instructions"],
        float(row.score.quantize(row.score.__class__("0.1"))),
        row.counts["incidents"],
        row.counts["incidents_late"],
        row.counts["incidents_overdue_open"],
        _rate(row.timeliness_rate),
        "、".join(f"{label}({n})" for label, n in row.top_return_reasons) or None,
    ]


def compiled_line(*, compiled_by: str, on: date) -> str:
    """制表单位：… 制表日期：2026年12月2日"""
    return _("Compiled by: %(unit)s    Date: %(date)s") % {
        "unit": compiled_by,
        "date": _("%(year)d-%(month)d-%(day)d") % {"year": on.year, "month": on.month, "day": on.day},
    }


class _Sheet:
    """One print-ready write-only sheet: title lines, then a header row repeated on every page."""

    def __init__(self, workbook: Workbook, *, name: str, title: str, lines: list[str], columns: list[Column]):
        self.sheet = sheet = workbook.create_sheet(name[:31])
        self.columns = columns
        width = len(columns)
        last = get_column_letter(width)
        # Everything about the sheet is set before its first row: write-only rows are final.
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        setup = sheet.page_setup
        setup.orientation = "landscape"
        setup.paperSize = Worksheet.PAPERSIZE_A4
        setup.fitToWidth = 1
        setup.fitToHeight = 0  # as many pages down as it takes
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_options.horizontalCentered = True
        sheet.page_margins.left = sheet.page_margins.right = 0.5
        sheet.page_margins.top = sheet.page_margins.bottom = 0.6
        footer = sheet.oddFooter.center
        footer.text, footer.font, footer.size = _("Page &P of &N"), BODY_FONT, 9
        header_row = len(lines) + 2
        sheet.print_title_rows = f"{header_row}:{header_row}"
        sheet.freeze_panes = f"A{header_row + 1}"
        sheet.row_dimensions[1].height = 32
        for line in range(2, header_row):
            sheet.merged_cells.add(f"A{line}:{last}{line}")
        sheet.merged_cells.add(f"A1:{last}1")
        sheet.row_dimensions[header_row].height = 30

        self.append_plain([self._cell(title, TITLE, CENTRE)])
        for line in lines:
            self.append_plain([self._cell(line, NOTE, LEFT)])
        self.append_plain([self._cell(column.header, HEADER, CENTRE, border=True) for column in columns])

    def _cell(self, value, font: Font, alignment: Alignment, *, border=False, number_format=None) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula
        cell.font = font
        cell.alignment = alignment
        if border:
            cell.border = BORDER
        if number_format:
            cell.number_format = number_format
        return cell

    def append_plain(self, cells: list) -> None:
        self.sheet.append(cells)

    def append(self, values: Iterable, *, bold: bool = False) -> None:
        font = BODY_BOLD if bold else BODY
        self.sheet.append(
            [
                self._cell(value, font, LEFT if column.text else CENTRE, border=True, number_format=column.format)
                for column, value in zip(self.columns, values, strict=True)
            ]
        )


def ranking_workbook(dashboard: Dashboard, *, compiled_by: str, adopted: Iterable[AdoptedBulletin]) -> bytes:
    """The ranking, the adopted bulletins behind its figures, and (for a county) its own bulletins."""
    workbook = Workbook(write_only=True)
    today = timezone.localdate()
    compiled = compiled_line(compiled_by=compiled_by, on=today)
    period = dashboard.period.label
    unit = dashboard.unit.name

    ranking = _Sheet(
        workbook,
        name=_("Ranking"),
        title=_("%(unit)s: bulletin adoption ranking, %(period)s") % {"unit": unit, "period": period},
        lines=[rule_summary(dashboard.rules), compiled],
        columns=_ranking_columns(dashboard),
    )
    ranking.sheet.row_dimensions[2].height = 30  # the rule text takes two lines
    for row in dashboard.rows:
        ranking.append(ranking_values(row), bold=row.kind == "total")

    detail = _Sheet(
        workbook,
        name=_("Adopted bulletins"),
        title=_("%(unit)s: bulletins adopted, %(period)s") % {"unit": unit, "period": period},
        lines=[compiled],
        columns=[
            Column(_("No."), 7),
            Column(_("Title"), 48, text=True),
            Column(_("Filing unit"), 16, text=True),
            Column(_("Adopting levels and kinds"), 40, text=True),
            Column(_("First adopted on"), 13),
        ],
    )
    number = 0
    for number, item in enumerate(adopted, start=1):
        if number > MAX_DETAIL_ROWS:
            detail.append_plain([detail._cell(_("More rows than a sheet holds: the list stops here."), NOTE, LEFT)])
            break
        detail.append(
            [
                number,
                item.title,
                item.filing_unit,
                "；".join(item.adoptions),
                f"{timezone.localtime(item.first_adopted_at):%Y-%m-%d}",
            ]
        )
    if not number:
        detail.append_plain([detail._cell(_("No bulletin was adopted in this period."), NOTE, LEFT)])

    if dashboard.bulletins is not None:
        own = _Sheet(
            workbook,
            name=_("Bulletins"),
            title=_("%(unit)s: bulletins submitted, %(period)s") % {"unit": unit, "period": period},
            lines=[compiled],
            columns=[
                Column(_("Title"), 48, text=True),
                Column(_("Category"), 12),
                Column(_("Status"), 12),
                Column(_("First submitted"), 18),
                Column(_("Adopted by"), 36, text=True),
            ],
        )
        for bulletin in dashboard.bulletins.paginator.object_list:
            own.append(
                [
                    bulletin.title,
                    bulletin.category.name,
                    str(bulletin.get_status_display()),
                    f"{timezone.localtime(bulletin.submitted_at):%Y-%m-%d %H:%M}",
                    "、".join(f"{a.unit.short_name}（{a.get_kind_display()}）" for a in bulletin.adoptions.all()),
                ]
            )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

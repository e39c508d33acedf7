"""A call's progress as an Excel workbook that prints as it is (as dashboards/export.py does: A4
landscape, one page wide, the header row repeated, named CJK fonts, borders, user text as text).

Its own few lines rather than an import: dashboards sits above calls in the layers.
"""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

TITLE = Font(name="黑体", size=16, bold=True)
HEADER = Font(name="黑体", size=11, bold=True)
BODY = Font(name="宋体", size=11)
NOTE = Font(name="宋体", size=10)
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def progress_workbook(*, call, targets, progress, compiled_by: str) -> bytes:
    """One sheet: every unit addressed, its state, answers arrived and adopted, when, on time or late."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Progress")[:31])
    columns = [
        (_("No."), 7, False),
        (_("Unit"), 30, True),
        (_("State"), 10, False),
        (_("Answers arrived"), 10, False),
        (_("Answers adopted"), 10, False),
        (_("First answer arrived"), 18, False),
        (_("On time"), 10, False),
        (_("Last reminded"), 18, False),
    ]
    last = get_column_letter(len(columns))
    for index, (_header, width, _text) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = Worksheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    footer = sheet.oddFooter.center
    footer.text, footer.font, footer.size = _("Page &P of &N"), "宋体", 9
    sheet.print_title_rows = "4:4"
    sheet.freeze_panes = "A5"
    for line in (1, 2, 3):
        sheet.merged_cells.add(f"A{line}:{last}{line}")
    sheet.row_dimensions[1].height = 32
    sheet.row_dimensions[4].height = 30

    def cell(value, font, alignment, border=False):
        c = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # never a formula
        c.font, c.alignment = font, alignment
        if border:
            c.border = BORDER
        return c

    today = timezone.localdate()
    sheet.append([cell(_("Progress of the call “%(title)s”") % {"title": call.title}, TITLE, CENTRE)])
    summary = _(
        "Deadline %(deadline)s · %(total)d units addressed · %(answered)d answered (%(on_time)d on time) · "
        "%(adopted)d adopted · %(waiting)d not answered"
    ) % {
        "deadline": _local(call.deadline_at),
        "total": progress.total,
        "answered": progress.answered,
        "on_time": progress.on_time,
        "adopted": progress.adopted,
        "waiting": progress.not_answered,
    }
    sheet.append([cell(summary, NOTE, LEFT)])
    compiled = _("Compiled by: %(unit)s    Date: %(date)s") % {
        "unit": compiled_by,
        "date": _("%(year)d-%(month)d-%(day)d") % {"year": today.year, "month": today.month, "day": today.day},
    }
    sheet.append([cell(compiled, NOTE, LEFT)])
    sheet.append([cell(header, HEADER, CENTRE, border=True) for header, _w, _t in columns])
    for number, target in enumerate(targets, start=1):
        on_time = "" if target.on_time is None else (_("on time") if target.on_time else _("late"))
        values = [
            number,
            target.unit.name,
            target.get_state_display(),
            target.answers_arrived,
            target.answers_adopted,
            _local(target.answered_at),
            on_time,
            _local(target.last_reminded_at),
        ]
        sheet.append(
            [
                cell(v, BODY, LEFT if text else CENTRE, border=True)
                for v, (_h, _w, text) in zip(values, columns, strict=True)
            ]
        )
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()

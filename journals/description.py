"""An issue as the documents app describes it (documents/description.py): masthead, issue line,
the signer, the items with their 编者按 and source lines, the 报/送/发 block."""

from django.utils import timezone

from documents.description import Description, Distribution, Item
from journals.models import Issue, IssueItem, ItemKind

DOCUMENT_KIND = "journal_issue"


def chinese_date(moment) -> str:
    day = timezone.localtime(moment).date()
    return f"{day.year}年{day.month}月{day.day}日"


def item_source_line(item: IssueItem) -> str:
    """（临江市委组织部供稿）, or for a 综合 item every unit it credits."""
    names = list(dict.fromkeys(s.adoption.bulletin.filing_unit.name for s in item.sources.all()))
    if not names:
        return ""
    if item.kind == ItemKind.COMBINED:
        return f"（根据{'、'.join(names)}报送信息综合）"
    return f"（{'、'.join(names)}供稿）"


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def issue_description(*, issue: Issue, items: list[IssueItem]) -> Description:
    journal = issue.journal
    date = chinese_date(issue.signed_off_at)
    signer = issue.signer.get_full_name() if issue.signer_id else ""
    document_items = []
    for item in items:
        paragraphs = _paragraphs(item.body)
        if item.editors_note:
            paragraphs = (f"编者按：{item.editors_note.strip()}", *paragraphs)
        title = item.title
        if item.kind == ItemKind.CORRECTION and item.corrects_id:
            title = f"更正：{item.title}"
        document_items.append(
            Item(title=title, paragraphs=paragraphs, source=item_source_line(item), section=item.section)
        )
    office = journal.compiling_office
    return Description(
        security_note=journal.security_note,
        masthead=journal.masthead,
        issue_line=issue.issue_line,
        signer=f"签发人：{signer}" if signer else "",
        issuer=office,
        date=date,
        title=issue.title,
        preface=(f"编者按：{issue.editors_note.strip()}",) if issue.editors_note.strip() else (),
        items=tuple(document_items),
        distribution=Distribution(
            lines=tuple(journal.distribution_lines[:20]),
            issuer=office.removesuffix("编"),
            printed=f"{date}印发",
        ),
    )

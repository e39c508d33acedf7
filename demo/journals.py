"""Demo journals: 《江东组工信息》 of the province with one issue published (when LibreOffice is
installed to render it) and 《临江组工信息》 of a city with a draft being compiled."""

from django.db import transaction

from accounts.models import OrgUnit
from demo.units import demo_user
from documents.pdf import soffice_path
from documents.services import document_render
from journals.models import Issue, Journal, JournalType
from journals.services import (
    ItemText,
    issue_add_items,
    issue_create,
    issue_publish,
    issue_sign_off,
    issue_update,
    item_update,
)
from journals.types import ensure_default_types
from review.models import Adoption

JOURNALS = (
    # unit, name, type, compiling office, distribution
    (
        "jd",
        "江东组工信息",
        "regular",
        "中共江东省委组织部办公室编",
        "报：中组部办公厅，省委办公厅\n送：省委组织部部务会成员\n发：各市、县（区）委组织部",
    ),
    ("lj", "临江组工信息", "regular", "中共临江市委组织部办公室编", "报：省委组织部，市委常委\n发：各县（区）委组织部"),
    ("jd", "江东组织工作专报", "special_report", "中共江东省委组织部办公室编", "报：省委主要领导"),
)


def seed() -> dict:
    ensure_default_types(JournalType)
    made = {"journals": 0, "issues": 0}
    for code, name, type_code, office, distribution in JOURNALS:
        _, created = Journal.objects.get_or_create(
            unit=OrgUnit.objects.get(code=code),
            name=name,
            defaults={
                "type": JournalType.objects.get(code=type_code),
                "masthead": name,
                "compiling_office": office,
                "distribution": distribution,
                "running_total_start": 310 if code == "jd" else 120,
            },
        )
        made["journals"] += created
    province = Journal.objects.get(unit__code="jd", name="江东组工信息")
    if not Issue.objects.filter(journal=province).exists():
        made["issues"] += _province_issue(province)
    city = Journal.objects.get(unit__code="lj", name="临江组工信息")
    if not Issue.objects.filter(journal=city).exists():
        adoptions = list(Adoption.objects.filter(unit__code="lj").values_list("pk", flat=True)[:2])
        if adoptions:
            reviewer = demo_user("lj", "reviewer")
            draft = issue_create(actor=reviewer, journal=city, title="基层党建")
            issue_add_items(actor=reviewer, issue=draft, adoption_ids=adoptions, kind="full")
            made["issues"] += 1
    return made


def _province_issue(journal: Journal) -> int:
    adoptions = list(Adoption.objects.filter(unit__code="jd").order_by("adopted_at").values_list("pk", flat=True))
    if not adoptions:
        return 0
    reviewer, head = demo_user("jd", "reviewer"), demo_user("jd", "head")
    issue = issue_create(
        actor=reviewer, journal=journal, editors_note="本期刊发各地抓基层打基础的经验做法，供各级组织部门学习借鉴。"
    )
    items = issue_add_items(actor=reviewer, issue=issue, adoption_ids=adoptions[:1], kind="abridged")
    if len(adoptions) > 1:
        issue_add_items(actor=reviewer, issue=issue, adoption_ids=adoptions[1:2], kind="full")
    first = items[0]
    item_update(
        actor=reviewer,
        item=first,
        text=ItemText(title=first.title, body=first.body.split("\n")[0], editors_note="", section="【经验交流】"),
    )
    issue_update(actor=reviewer, issue=issue, title="", editors_note=issue.editors_note, signer=head)
    if soffice_path() is None:
        return 1  # left for the office head to sign off: its files need LibreOffice
    with transaction.atomic():
        signed = issue_sign_off(actor=head, issue=issue, comment="同意印发")
    # Rendered and published here rather than by a worker the demo may not run (both are
    # idempotent: a worker that got there first leaves nothing to do).
    document_render(document_id=signed.document_id)
    issue_publish(document_id=signed.document_id)
    return 1

import pytest
from django.core.management import call_command

from documents.pdf import soffice_path
from journals.models import Issue, IssueState, Journal, Printing


@pytest.mark.django_db
def test_seed_demo_makes_journals_a_draft_and_a_published_issue_once():
    call_command("seed_demo")
    assert Journal.objects.filter(unit__code="jd").count() == 2
    assert Issue.objects.filter(journal__unit__code="lj", state=IssueState.DRAFT).count() == 1
    province = Issue.objects.get(journal__name="江东组工信息")
    # Published where LibreOffice renders it; otherwise left for the office head to sign off.
    expected = IssueState.PUBLISHED if soffice_path() else IssueState.DRAFT
    assert province.state == expected and province.items.count() == 2
    counts = (Journal.objects.count(), Issue.objects.count(), Printing.objects.count())
    call_command("seed_demo")
    assert (Journal.objects.count(), Issue.objects.count(), Printing.objects.count()) == counts

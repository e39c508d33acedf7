"""Journal fixtures: bulletins adopted through the real route, a journal of city A, issues
compiled, signed off and published through the services."""

import pytest

from bulletins.models import Category
from bulletins.services import bulletin_create
from documents import services as document_services
from journals.models import Journal, JournalType
from journals.services import issue_add_items, issue_create, issue_sign_off
from journals.types import ensure_default_types
from review.models import Adoption
from review.services import bulletin_submit, review_adopt, review_sign_off

FAKE_PDF = b"%PDF-1.4 fake\n"


@pytest.fixture
def fake_pdf(monkeypatch):
    """LibreOffice replaced by a converter returning FAKE_PDF (the .docx is rendered for real)."""
    monkeypatch.setattr(document_services, "convert_docx_to_pdf", lambda docx: FAKE_PDF)


@pytest.fixture
def journal(tree) -> Journal:
    ensure_default_types(JournalType)  # transactional tests flush the data migration's rows
    return Journal.objects.create(
        unit=tree.city_a,
        type=JournalType.objects.get(code="regular"),
        name="临江组工信息",
        masthead="临江组工信息",
        compiling_office="中共临江市委组织部办公室编",
        distribution="报：省委组织部，市委常委\n送：市委组织部部务会成员\n发：各县（区）委组织部",
        running_total_start=300,
    )


@pytest.fixture
def adopt(tree):
    """adopt(title, county="county_a1") → the Adoption by city A of a bulletin filed by the county."""
    counter = {"n": 0}

    def make(title=None, *, county="county_a1", kind="full", unit="city_a") -> Adoption:
        counter["n"] += 1
        staff = tree.user(county, "staff")
        name = getattr(tree, county).short_name
        bulletin = bulletin_create(
            actor=staff,
            title=title or f"{name}党建工作第{counter['n']}项",
            body=f"{name}推进基层党建，第{counter['n']}项做法取得成效。\n第二段：群众满意度提升。",
            category=Category.objects.get(code="practice"),
            contact_name="张明",
            contact_phone="0571-88000000",
            source="组织科提供，经台账核对。",
            place="青石镇",
        )
        bulletin_submit(actor=staff, bulletin=bulletin)
        review_sign_off(actor=tree.user(county, "reviewer"), bulletin=bulletin)
        review_adopt(actor=tree.user(unit, "reviewer"), bulletin=bulletin, kind=kind)
        return Adoption.objects.get(bulletin=bulletin, unit=getattr(tree, unit))

    return make


@pytest.fixture
def compile_issue(tree, journal, adopt):
    """A draft issue of `journal` with `n` full-text items, compiled by city A's reviewer."""

    def make(n=2, *, journal=journal, kind="full"):
        reviewer = tree.user("city_a", "reviewer")
        issue = issue_create(actor=reviewer, journal=journal)
        if n:
            issue_add_items(actor=reviewer, issue=issue, adoption_ids=[adopt().pk for _ in range(n)], kind=kind)
        return issue

    return make


@pytest.fixture
def publish(tree, fake_pdf, django_capture_on_commit_callbacks):
    """Sign an issue off as city A's head and let the render and the publication run."""

    def run(issue):
        with django_capture_on_commit_callbacks(execute=True):
            issue_sign_off(actor=tree.user("city_a", "head"), issue=issue)
        issue.refresh_from_db()
        return issue

    return run

"""An issue rendered for real (python-docx, then LibreOffice): the PDF carries the masthead, the
number, the security note, the 编者按, each item's credit and the 报/送/发 block."""

import io
import os
import shutil
from pathlib import Path

import pypdf
import pytest
from docx import Document

from journals.models import IssueState
from journals.services import issue_add_items, issue_create, issue_sign_off, issue_update
from tests.documents.conftest import missing_tools

pytestmark = pytest.mark.django_db


@pytest.fixture
def soffice():
    missing = missing_tools()
    if missing:
        pytest.skip(f"needs LibreOffice and the CJK fonts: install them with `apt-get install {' '.join(missing)}`")


def test_a_signed_off_issue_renders_to_word_and_pdf_as_printed(
    soffice, tree, journal, adopt, django_capture_on_commit_callbacks
):
    reviewer, head = tree.user("city_a", "reviewer"), tree.user("city_a", "head")
    issue = issue_create(
        actor=reviewer, journal=journal, title="基层党建专题", editors_note="以下做法值得各地学习借鉴。"
    )
    issue_add_items(actor=reviewer, issue=issue, adoption_ids=[adopt("东湖区党员积分管理").pk], kind="full")
    issue_add_items(
        actor=reviewer,
        issue=issue,
        adoption_ids=[adopt("东湖区网格党建").pk, adopt("西岭县第一书记", county="county_a2").pk],
        kind="combined",
    )
    issue_update(
        actor=reviewer, issue=issue, title="基层党建专题", editors_note="以下做法值得各地学习借鉴。", signer=head
    )
    with django_capture_on_commit_callbacks(execute=True):
        issue_sign_off(actor=head, issue=issue)
    issue.refresh_from_db()
    assert issue.state == IssueState.PUBLISHED
    with issue.document.pdf.open("rb") as handle:
        data = handle.read()
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages).replace(" ", "")
    for expected in (
        "内部资料注意保存",
        "临江组工信息",
        f"{issue.year}年第1期（总第301期）",
        "中共临江市委组织部办公室编",
        f"签发人：{head.get_full_name()}",
        "基层党建专题",
        "编者按：以下做法值得各地学习借鉴。",
        "东湖区党员积分管理",
        "（东湖区委组织部供稿）",
        "（根据东湖区委组织部、西岭县委组织部报送信息综合）",
        "报：省委组织部，市委常委",
        "中共临江市委组织部办公室",
        "印发",
    ):
        assert expected in text, expected
    with issue.document.docx.open("rb") as handle:
        paragraphs = [p.text for p in Document(handle).paragraphs]
    assert paragraphs[0] == "内部资料 注意保存" and paragraphs[1] == "临江组工信息"
    shots = os.environ.get("JOURNAL_SHOTS")
    if shots:  # a look at the layout (pdftoppm -png), outside the repository
        Path(shots).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(issue.document.pdf.path, Path(shots) / "issue.pdf")

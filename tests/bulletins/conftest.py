"""Helpers for the bulletin tests: valid fields, sample files, bulletins placed in a unit's queue."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from bulletins.models import Bulletin, Category
from bulletins.services import bulletin_create

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
OLE2_BYTES = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 64


def office_zip(prefix: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{prefix}document.xml", "<doc/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf(name="材料.pdf") -> SimpleUploadedFile:
    return upload(name, PDF_BYTES, "application/pdf")


def valid_fields(**overrides) -> dict:
    fields = {
        "title": "东湖区推行“党建+网格”治理模式",
        "body": "今年以来，东湖区委组织部以党建引领基层治理，划分网格186个。",
        "category": Category.objects.get(code="news"),
        "occurred_at": None,
        "place": "东湖区青石镇",
        "source": "区委组织部组织科提供，经台账核对。",
        "contact_name": "王晓燕",
        "contact_phone": "13812345678",
    }
    fields.update(overrides)
    return fields


def form_data(**overrides) -> dict:
    """POST data for the create/edit form (category as its id, occurred_at as datetime-local)."""
    fields = valid_fields()
    data = {
        "title": fields["title"],
        "body": fields["body"],
        "category": str(fields["category"].pk),
        "occurred_at": "",
        "place": fields["place"],
        "source": fields["source"],
        "contact_name": fields["contact_name"],
        "contact_phone": fields["contact_phone"],
    }
    data.update(overrides)
    return data


def file_bulletin(user, **overrides) -> Bulletin:
    return bulletin_create(actor=user, **valid_fields(**overrides))


def reviewer_of(unit) -> User:
    return User.objects.get(unit=unit, is_reviewer=True)


def send_up(bulletin, *units):
    """Submit a draft, sign it off and forward it through `units` (the filing unit's ancestors,
    lowest first) until it waits at the last one, through review's services as the pages do."""
    from review.services import bulletin_submit, review_forward, review_sign_off

    bulletin_submit(actor=bulletin.author, bulletin=bulletin)
    review_sign_off(actor=reviewer_of(bulletin.filing_unit), bulletin=bulletin)
    for unit in units[:-1]:
        review_forward(actor=reviewer_of(unit), bulletin=bulletin)
    assert bulletin.current_unit_id == units[-1].pk, "send_up() follows the tree: name the units in order"


@pytest.fixture
def placed(tree):
    """Drafts in four units and three bulletins sent up to various levels (tests/bulletins/test_visibility.py)."""
    staff = tree.user
    bulletins = {
        "a1_draft": file_bulletin(staff("county_a1", "staff"), title="东湖区-草稿"),
        "a2_draft": file_bulletin(staff("county_a2", "staff"), title="西岭县-草稿"),
        "b1_draft": file_bulletin(staff("county_b1", "staff"), title="松源县-草稿"),
        "city_a_draft": file_bulletin(staff("city_a", "staff"), title="临江市-草稿"),
        "a1_at_city": file_bulletin(staff("county_a1", "staff"), title="东湖区-已报市"),
        "a1_at_central": file_bulletin(staff("county_a1", "staff"), title="东湖区-已报中央"),
        "b1_at_city": file_bulletin(staff("county_b1", "staff"), title="松源县-已报市"),
    }
    send_up(bulletins["a1_at_city"], tree.city_a)
    send_up(bulletins["a1_at_central"], tree.city_a, tree.province, tree.central)
    send_up(bulletins["b1_at_city"], tree.city_b)
    return bulletins

"""Sign-off, the render task (retried, reported, once), the frozen row and the download."""

import hashlib
from urllib.parse import quote

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from documents import access, services
from documents.models import DocumentState, OfficialDocument
from documents.pdf import ConversionError
from documents.samples import sample_issue
from notifications.models import Notification

pytestmark = pytest.mark.django_db

STEM = "《江东组工信息》2026年第15期"
FAKE_PDF = b"%PDF-1.4 fake\n"


@pytest.fixture
def fake_pdf(monkeypatch):
    """LibreOffice replaced by a converter that fails `fail` times, then returns FAKE_PDF."""
    calls = {"n": 0, "fail": 0}

    def convert(docx):
        calls["n"] += 1
        if calls["n"] <= calls["fail"]:
            raise ConversionError("LibreOffice failed (exit 81): simulated")
        return FAKE_PDF

    monkeypatch.setattr(services, "convert_docx_to_pdf", convert)
    return calls


def _create(owner, **kwargs):
    return services.document_create(
        actor=owner,
        kind="journal_issue",
        title="江东组工信息 2026年第15期",
        file_stem=STEM,
        description=sample_issue(3),
        owner_unit_id=owner.unit_id,
        **kwargs,
    )


def _sign_off(document, actor, capture):
    with capture(execute=True):
        services.document_sign_off(actor=actor, document_id=document.pk)
    document.refresh_from_db()
    return document


def test_sign_off_renders_once_stores_digests_and_tells_the_owner(
    province_reviewer, fake_pdf, django_capture_on_commit_callbacks
):
    document = _create(province_reviewer)
    assert document.state == DocumentState.DRAFT
    document = _sign_off(document, province_reviewer, django_capture_on_commit_callbacks)
    assert document.state == DocumentState.READY and document.attempts == 1
    assert document.signed_off_by == province_reviewer and document.signed_off_at is not None
    with document.pdf.open("rb") as handle:
        assert handle.read() == FAKE_PDF
    with document.docx.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == document.docx_sha256
    assert document.pdf_sha256 == hashlib.sha256(FAKE_PDF).hexdigest()
    notice = Notification.objects.get(recipient=province_reviewer, kind="document_ready")
    assert notice.url == reverse("documents:file", kwargs={"pk": document.pk, "fmt": "pdf"})

    # Generated once: rendering again changes nothing, and the row is frozen in PostgreSQL.
    before = (document.docx.name, document.pdf.name, document.docx_sha256, document.rendered_at)
    again = services.document_render(document_id=document.pk)
    assert (again.docx.name, again.pdf.name, again.docx_sha256, again.rendered_at) == before
    assert fake_pdf["n"] == 1
    with pytest.raises(services.DocumentError):
        services.document_sign_off(actor=province_reviewer, document_id=document.pk)
    with pytest.raises(DatabaseError, match="ready document cannot be changed"), transaction.atomic():
        OfficialDocument.objects.filter(pk=document.pk).update(title="改")
    with pytest.raises(DatabaseError, match="ready document cannot be changed"), transaction.atomic():
        OfficialDocument.objects.filter(pk=document.pk).delete()


def test_a_failed_render_is_retried(province_reviewer, fake_pdf, django_capture_on_commit_callbacks):
    fake_pdf["fail"] = 2
    document = _sign_off(_create(province_reviewer), province_reviewer, django_capture_on_commit_callbacks)
    assert document.state == DocumentState.READY
    assert document.attempts == 3 and document.last_error == ""
    assert not Notification.objects.filter(kind="document_failed").exists()


def test_a_render_failing_every_retry_is_reported_and_not_published(
    province_reviewer, fake_pdf, django_capture_on_commit_callbacks, client
):
    fake_pdf["fail"] = 99
    document = _sign_off(_create(province_reviewer), province_reviewer, django_capture_on_commit_callbacks)
    assert document.state == DocumentState.FAILED
    assert document.attempts == 4  # the first try and three retries
    assert "simulated" in document.last_error
    assert not document.pdf and not document.docx
    notice = Notification.objects.get(recipient=province_reviewer, kind="document_failed")
    assert "simulated" in notice.body
    client.force_login(province_reviewer)
    assert client.get(reverse("documents:file", kwargs={"pk": document.pk, "fmt": "pdf"})).status_code == 404
    # Tried again by hand once the cause is fixed.
    fake_pdf["fail"] = 0
    with django_capture_on_commit_callbacks(execute=True):
        services.document_render_again(actor=province_reviewer, document_id=document.pk)
    document.refresh_from_db()
    assert document.state == DocumentState.READY


def test_a_ready_row_needs_both_files(province_reviewer):
    document = _create(province_reviewer)
    with pytest.raises(DatabaseError, match="document_"), transaction.atomic():
        OfficialDocument.objects.filter(pk=document.pk).update(state=DocumentState.READY)


def test_catch_up_finds_renders_the_broker_never_took(province_reviewer, fake_pdf, time_machine):
    time_machine.move_to("2026-12-01 08:00:00+08:00")
    document = _create(province_reviewer)
    services.document_sign_off(actor=province_reviewer, document_id=document.pk)  # on_commit never runs
    assert services.documents_waiting_ids() == []
    time_machine.move_to("2026-12-01 08:20:00+08:00")
    assert services.documents_waiting_ids() == [document.pk]
    from documents.tasks import render_pending_documents

    assert render_pending_documents() == 1
    document.refresh_from_db()
    assert document.state == DocumentState.READY


def test_download_authorised_by_the_owning_apps_predicate_with_a_chinese_name(
    tree, fake_pdf, django_capture_on_commit_callbacks, client
):
    owner = tree.user("province", "reviewer")
    document = _sign_off(_create(owner), owner, django_capture_on_commit_callbacks)
    pdf_url = reverse("documents:file", kwargs={"pk": document.pk, "fmt": "pdf"})
    docx_url = reverse("documents:file", kwargs={"pk": document.pk, "fmt": "docx"})

    client.force_login(owner)
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == FAKE_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert f"filename*=utf-8''{quote(STEM + '.pdf')}" in response["Content-Disposition"]
    attachment = client.get(pdf_url + "?download=1")["Content-Disposition"]
    assert attachment.startswith("attachment;")
    word = client.get(docx_url)
    assert word["Content-Disposition"].startswith("attachment;")
    assert f"filename*=utf-8''{quote(STEM + '.docx')}" in word["Content-Disposition"]
    assert client.get(reverse("documents:file", kwargs={"pk": document.pk, "fmt": "exe"})).status_code == 404

    # Without a predicate for its kind, nobody but the owner reads it.
    county = tree.user("county_a1", "staff")
    client.force_login(county)
    assert client.get(pdf_url).status_code == 404
    # The owning app's predicate (here: the document's unit and every unit below it); the one
    # journals registers for its kind is put back afterwards.
    registered = access._predicates.get("journal_issue")
    access.register("journal_issue", lambda user, doc: doc.owner_unit_id in user.unit.path_ids)
    try:
        assert client.get(pdf_url).status_code == 200
        client.force_login(tree.user("central", "reviewer"))
        assert client.get(pdf_url).status_code == 404
    finally:
        access.unregister("journal_issue")
        if registered is not None:
            access.register("journal_issue", registered)
    client.logout()
    assert client.get(pdf_url).status_code in (302, 404)


@pytest.mark.django_db(transaction=True)
def test_end_to_end_with_libreoffice(soffice, province_reviewer, client):
    """The real route: the sign-off's task renders both files with LibreOffice."""
    document = _create(province_reviewer)
    services.document_sign_off(actor=province_reviewer, document_id=document.pk)
    document.refresh_from_db()
    assert document.state == DocumentState.READY
    with document.pdf.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == document.pdf_sha256
    client.force_login(province_reviewer)
    response = client.get(reverse("documents:file", kwargs={"pk": document.pk, "fmt": "pdf"}))
    assert b"".join(response.streaming_content) == data


def test_behind_nginx_the_download_is_handed_over_with_the_apps_headers(
    tree, fake_pdf, django_capture_on_commit_callbacks, client, settings
):
    """FILE_SERVE_ACCEL: the same checks and headers, no body, and where nginx finds the file."""
    settings.FILE_SERVE_ACCEL = True
    settings.FILE_ACCEL_PREFIX = "/_protected"
    owner = tree.user("province", "reviewer")
    document = _sign_off(_create(owner), owner, django_capture_on_commit_callbacks)
    client.force_login(owner)
    response = client.get(reverse("documents:file", kwargs={"pk": document.pk, "fmt": "pdf"}) + "?download=1")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_protected/media/{document.pdf.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"filename*=utf-8''{quote(STEM + '.pdf')}" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox;")
    # Outside the reader's scope nothing is handed over.
    client.force_login(tree.user("county_a1", "staff"))
    refused = client.get(reverse("documents:file", kwargs={"pk": document.pk, "fmt": "pdf"}))
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused

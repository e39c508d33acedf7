"""The write services: drafting, optimistic-lock editing, deleting, freezing versions, attachments."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from bulletins.exceptions import EditConflict, InvalidTransition, NotPermitted
from bulletins.models import Attachment, Bulletin, BulletinStatus, BulletinVersion
from bulletins.services import (
    attachment_remove,
    bulletin_create,
    bulletin_delete_draft,
    bulletin_freeze_version,
    bulletin_lock,
    bulletin_update,
)
from tests.bulletins.conftest import (
    EXE_BYTES,
    JPG_BYTES,
    OLE2_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    file_bulletin,
    office_zip,
    pdf,
    upload,
    valid_fields,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(tree):
    return tree.user("county_a1", "staff")


@pytest.fixture
def draft(staff):
    return file_bulletin(staff)


def _update(actor, bulletin, expected=None, **fields):
    return bulletin_update(
        actor=actor,
        bulletin_id=bulletin.pk,
        expected_edit_version=bulletin.edit_version if expected is None else expected,
        **fields,
    )


# Drafting and editing ------------------------------------------------------------------------


def test_create_files_a_draft_in_the_authors_unit(staff, tree):
    bulletin = file_bulletin(staff)
    assert (bulletin.status, bulletin.filing_unit, bulletin.author) == (BulletinStatus.DRAFT, tree.county_a1, staff)
    assert bulletin.edit_version == 1 and bulletin.version_count == 0


def test_only_information_officers_create(tree):
    with pytest.raises(NotPermitted):
        bulletin_create(actor=tree.user("county_a1", "reviewer"), **valid_fields())
    assert not Bulletin.objects.exists()


def test_update_bumps_the_edit_counter_and_recomputes_the_deadline(staff, draft):
    from datetime import timedelta

    from bulletins.models import Category

    occurred = timezone.now() - timedelta(hours=1)
    updated = _update(
        staff, draft, title="新标题", category=Category.objects.get(code="incident"), occurred_at=occurred
    )
    assert updated.title == "新标题" and updated.edit_version == 2
    assert updated.deadline_at == occurred + timedelta(hours=24)
    updated = _update(staff, updated, category=Category.objects.get(code="news"))
    assert updated.deadline_at is None


def test_second_save_with_a_stale_counter_is_refused_and_the_first_text_kept(staff, draft, tree):
    colleague = tree.user("county_a1", "staff")
    loaded_by_both = draft.edit_version
    _update(staff, draft, expected=loaded_by_both, body="第一位同事的正文")
    with pytest.raises(EditConflict) as raised:
        _update(colleague, draft, expected=loaded_by_both, body="第二位同事的正文")
    assert raised.value.current_edit_version == loaded_by_both + 1
    fresh = Bulletin.objects.get(pk=draft.pk)
    assert fresh.body == "第一位同事的正文" and fresh.edit_version == loaded_by_both + 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_exactly_one_wins(tree):
    """Two transactions with the same counter at once: the second waits on the row lock, then matches no row."""
    staff = tree.user("county_a1", "staff")
    draft = file_bulletin(staff)
    first_updated, release_first = threading.Event(), threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                _update(staff, draft, expected=1, body="甲的正文")
                first_updated.set()
                release_first.wait(timeout=30)
            results["first"] = "saved"
        finally:
            connection.close()

    def second():
        try:
            _update(staff, draft, expected=1, body="乙的正文")
            results["second"] = "saved"
        except EditConflict:
            results["second"] = "conflict"
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert first_updated.wait(timeout=30)
    two = threading.Thread(target=second)
    two.start()
    # Wait until the second UPDATE is really blocked on the first one's row lock.
    with connection.cursor() as cursor:
        for _ in range(300):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.05)
        else:
            pytest.fail("the second save never waited for the first one's lock")
    release_first.set()
    one.join(timeout=30)
    two.join(timeout=30)
    assert results == {"first": "saved", "second": "conflict"}
    fresh = Bulletin.objects.get(pk=draft.pk)
    assert (fresh.body, fresh.edit_version) == ("甲的正文", 2)


def test_author_and_unit_officers_edit_others_may_not(tree, draft):
    for user in (tree.user("county_a1", "reviewer"), tree.user("county_a2", "staff"), tree.user("city_a", "staff")):
        with pytest.raises(NotPermitted):
            _update(user, draft, title="越权修改")
    assert Bulletin.objects.get(pk=draft.pk).title == draft.title


@pytest.mark.parametrize("status", [BulletinStatus.SUBMITTED, BulletinStatus.IN_REVIEW, BulletinStatus.ADOPTED])
def test_submitted_bulletins_cannot_be_edited(staff, draft, status):
    Bulletin.objects.filter(pk=draft.pk).update(status=status)
    with pytest.raises(InvalidTransition):
        _update(staff, draft, title="改")


def test_returned_bulletin_can_be_revised(staff, draft):
    Bulletin.objects.filter(pk=draft.pk).update(status=BulletinStatus.RETURNED, version_count=1)
    revised = _update(staff, draft, title="修改后标题")
    # The new title waits beside the submitted one, which the units above still read.
    assert (revised.working_title, revised.revision_title, revised.title) == ("修改后标题", "修改后标题", draft.title)
    assert revised.revision_body is None  # the body did not change
    assert _update(staff, revised, title=draft.title).revision_title is None  # back as submitted


def test_a_draft_never_submitted_is_edited_in_place(staff, draft):
    revised = _update(staff, draft, title="修改后标题")
    assert (revised.title, revised.revision_title) == ("修改后标题", None)


def test_unknown_field_is_a_programming_error(staff, draft):
    with pytest.raises(TypeError):
        _update(staff, draft, status=BulletinStatus.ADOPTED)


# Deleting ------------------------------------------------------------------------------------


def test_never_submitted_draft_is_deleted_with_its_attachments(staff, tree, django_capture_on_commit_callbacks):
    bulletin = bulletin_create(actor=staff, files=[pdf()], **valid_fields())
    stored = Attachment.objects.get(bulletin=bulletin).file
    storage, name = stored.storage, stored.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        bulletin_delete_draft(actor=staff, bulletin_id=bulletin.pk)
    assert not Bulletin.objects.filter(pk=bulletin.pk).exists()
    assert not storage.exists(name)


def test_a_draft_that_was_submitted_once_is_never_deleted(staff, draft):
    with transaction.atomic():
        bulletin_freeze_version(bulletin=bulletin_lock(bulletin_id=draft.pk), actor=staff)
    with pytest.raises(InvalidTransition):
        bulletin_delete_draft(actor=staff, bulletin_id=draft.pk)
    assert Bulletin.objects.filter(pk=draft.pk).exists()


def test_other_units_cannot_delete(tree, draft):
    with pytest.raises(NotPermitted):
        bulletin_delete_draft(actor=tree.user("county_a2", "staff"), bulletin_id=draft.pk)


# Versions ------------------------------------------------------------------------------------


def test_freezing_snapshots_text_facts_and_attachments(staff):
    bulletin = bulletin_create(actor=staff, files=[pdf("附件一.pdf")], **valid_fields())
    with transaction.atomic():
        version = bulletin_freeze_version(bulletin=bulletin_lock(bulletin_id=bulletin.pk), actor=staff)
    assert version.number == 1
    assert (version.title, version.body, version.contact_phone) == (bulletin.title, bulletin.body, "13812345678")
    [attachment] = bulletin.attachments.all()
    # What the version's page links (id), names, sizes and opens inline or not (content type).
    assert version.attachments == [
        {"id": attachment.pk, "name": "附件一.pdf", "size": attachment.size, "content_type": "application/pdf"}
    ]
    assert Bulletin.objects.get(pk=bulletin.pk).version_count == 1

    Bulletin.objects.filter(pk=bulletin.pk).update(status=BulletinStatus.RETURNED)
    bulletin.refresh_from_db()
    _update(staff, bulletin, title="修改后的标题")
    with transaction.atomic():
        second = bulletin_freeze_version(bulletin=bulletin_lock(bulletin_id=bulletin.pk), actor=staff)
    assert second.number == 2 and second.title == "修改后的标题"
    assert BulletinVersion.objects.get(pk=version.pk).title == bulletin.title  # the first one did not move


def test_frozen_versions_are_immutable(staff, draft):
    with transaction.atomic():
        version = bulletin_freeze_version(bulletin=bulletin_lock(bulletin_id=draft.pk), actor=staff)
    version.title = "篡改"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    assert BulletinVersion.objects.get(pk=version.pk).title == draft.title


# Attachments ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("报告.pdf", PDF_BYTES, "application/pdf"),
        ("照片.png", PNG_BYTES, "image/png"),
        ("照片.JPG", JPG_BYTES, "image/jpeg"),
        ("旧文档.doc", OLE2_BYTES, "application/msword"),
        ("旧表格.xls", OLE2_BYTES, "application/vnd.ms-excel"),
        ("文档.docx", office_zip("word/"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("表格.xlsx", office_zip("xl/"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_allowed_types_are_accepted_by_content(staff, name, content, content_type):
    bulletin = bulletin_create(actor=staff, files=[upload(name, content)], **valid_fields())
    attachment = Attachment.objects.get(bulletin=bulletin)
    assert (attachment.original_name, attachment.content_type, attachment.size) == (name, content_type, len(content))
    stored = attachment.file.name.rsplit("/", 1)[-1]
    assert name.rsplit(".", 1)[0] not in stored and len(stored.split(".")[0]) == 32  # a random stored name


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("通知.pdf", EXE_BYTES, "不是真正的 PDF 文件"),
        ("表格.xlsx", office_zip("word/"), "不是真正的 XLSX 文件"),
        ("文档.docx", b"PK\x03\x04broken zip", "不是真正的 DOCX 文件"),
        ("文档.doc", PDF_BYTES, "不是真正的 DOC 文件"),
        ("setup.exe", EXE_BYTES, "文件类型不允许上传"),
        ("说明.txt", "纯文本".encode(), "文件类型不允许上传"),
        ("空文件.pdf", b"", "是空文件"),
    ],
)
def test_renamed_or_disallowed_files_are_refused_and_nothing_is_written(staff, name, content, fragment):
    from django.utils.translation import override

    with pytest.raises(ValidationError) as raised, override("zh-hans"):
        bulletin_create(actor=staff, files=[upload(name, content)], **valid_fields())
    with override("zh-hans"):
        assert any(fragment in message for message in raised.value.messages), raised.value.messages
    assert not Bulletin.objects.exists() and not Attachment.objects.exists()


def test_an_11_mb_file_is_refused(staff):
    big = upload("大文件.pdf", PDF_BYTES + b"\0" * (11 * 1024 * 1024))
    with pytest.raises(ValidationError) as raised:
        bulletin_create(actor=staff, files=[big], **valid_fields())
    assert raised.value.error_list[0].code == "too_large"
    assert not Attachment.objects.exists()


def test_exactly_10_mb_is_accepted(staff):
    file = upload("刚好.pdf", PDF_BYTES + b"\0" * (10 * 1024 * 1024 - len(PDF_BYTES)))
    bulletin = bulletin_create(actor=staff, files=[file], **valid_fields())
    assert bulletin.attachments.get().size == 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("uploaded", "kept"),
    [
        ("../../x.pdf", "x.pdf"),
        ("..\\..\\windows\\x.pdf", "x.pdf"),
        ("/etc/passwd/材料.pdf", "材料.pdf"),
        ("报\x00告\r\n.pdf", "报告.pdf"),
        ("a\u202egnp.pdf", "agnp.pdf"),  # a right-to-left override would disguise the extension
        ('引号"与<尖括号>.pdf', "引号_与_尖括号_.pdf"),
    ],
)
def test_original_names_are_sanitized(staff, uploaded, kept):
    bulletin = bulletin_create(actor=staff, files=[pdf(uploaded)], **valid_fields())
    attachment = bulletin.attachments.get()
    assert attachment.original_name == kept
    assert ".." not in attachment.file.name and attachment.file.name.startswith("attachments/")


def test_at_most_five_attachments(staff):
    bulletin = bulletin_create(actor=staff, files=[pdf(f"{i}.pdf") for i in range(5)], **valid_fields())
    with pytest.raises(ValidationError) as raised:
        _update(staff, bulletin, files=[pdf("6.pdf")], title="再加一个")
    assert raised.value.error_list[0].code == "too_many"
    fresh = Bulletin.objects.get(pk=bulletin.pk)
    assert fresh.attachments.count() == 5 and fresh.title != "再加一个"  # invalid input changed nothing
    with pytest.raises(ValidationError):
        bulletin_create(actor=staff, files=[pdf(f"{i}.pdf") for i in range(6)], **valid_fields())


def test_removed_attachments_free_a_place_but_stay_stored(staff):
    bulletin = bulletin_create(actor=staff, files=[pdf(f"{i}.pdf") for i in range(5)], **valid_fields())
    first = bulletin.attachments.first()
    attachment_remove(actor=staff, attachment_id=first.pk)
    first.refresh_from_db()
    assert first.removed_at is not None and first.file.storage.exists(first.file.name)
    _update(staff, bulletin, files=[pdf("替换.pdf")])
    assert bulletin.attachments.filter(removed_at__isnull=True).count() == 5


def test_attachments_of_a_submitted_bulletin_cannot_be_removed(staff):
    bulletin = bulletin_create(actor=staff, files=[pdf()], **valid_fields())
    Bulletin.objects.filter(pk=bulletin.pk).update(status=BulletinStatus.SUBMITTED)
    with pytest.raises(InvalidTransition):
        attachment_remove(actor=staff, attachment_id=bulletin.attachments.get().pk)


# How the typed fields are stored (bulletins.services._clean_fields) -----------------------------


def test_line_breaks_are_stored_as_one_character_in_body_and_source(staff):
    bulletin = bulletin_create(
        actor=staff, **valid_fields(body="第一段。\r\n第二段。", source="组织科提供。\r\n已电话核实。")
    )
    bulletin.refresh_from_db()
    assert (bulletin.body, bulletin.source) == ("第一段。\n第二段。", "组织科提供。\n已电话核实。")


def test_an_empty_place_or_source_sent_as_none_is_stored_as_blank(staff):
    bulletin = bulletin_create(actor=staff, **valid_fields(place=None, source=None))
    bulletin.refresh_from_db()
    assert (bulletin.place, bulletin.source) == ("", "")


def test_a_field_that_is_not_editable_is_named_in_the_refusal(staff):
    with pytest.raises(TypeError, match="Not an editable bulletin field: filing_unit, status"):
        bulletin_create(actor=staff, status="adopted", filing_unit=None, **valid_fields())

"""Stored files on a real S3 server (SeaweedFS) and on disk, downloaded through the app and through nginx.

Uploads go through the bulletin form; downloads through the app's view (the app streams) and, with
FILE_SERVE_ACCEL, through a real nginx rendered from deploy/ in front of the live server: the app
authorises and answers with an empty body and X-Accel-Redirect, nginx sends the bytes from the
object store (a presigned URL) or the disk, keeping the app's headers.
"""

import hashlib
import os
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from bulletins.models import Attachment
from deploy.render import render
from tests.bulletins.conftest import PDF_BYTES, form_data, upload
from tests.servers import free_port, http_get, nginx, seaweedfs

CHINESE_NAME = "关于东湖区“党建+网格”工作的报告（第2稿）.pdf"
BUCKET = "bulletin-desk"
# A 3 MB PDF-looking body: large enough that a short read or a truncated proxy would show.
BIG_PDF = PDF_BYTES + os.urandom(3 * 1024 * 1024)


@pytest.fixture(scope="module")
def s3_server():
    with seaweedfs() as server:
        server.client().create_bucket(Bucket=BUCKET)
        yield server


@pytest.fixture
def s3_storage(settings, s3_server):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server.endpoint,
                "access_key": s3_server.access_key,
                "secret_key": s3_server.secret_key,
                "region_name": "us-east-1",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "default_acl": None,
                "file_overwrite": False,
                "querystring_expire": 60,
                "max_memory_size": 2_621_440,
            },
        },
    }
    return s3_server


def _upload_through_the_form(client, user, content=BIG_PDF) -> Attachment:
    client.force_login(user)
    response = client.post(
        reverse("bulletins:create"), {**form_data(), "files": [upload(CHINESE_NAME, content, "application/pdf")]}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Attachment.objects.get(bulletin__author=user)


def _expect_file_headers(headers):
    assert headers["Content-Type"] == "application/pdf"
    disposition = headers["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert f"filename*=utf-8''{quote(CHINESE_NAME)}" in disposition
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"].startswith("sandbox;")


@pytest.mark.django_db
def test_an_attachment_round_trips_through_s3_and_the_app(client, tree, s3_storage):
    staff = tree.user("county_a1", "staff")
    attachment = _upload_through_the_form(client, staff)
    # In the bucket under its random key, with the bytes that were sent.
    stored = s3_storage.client().get_object(Bucket=BUCKET, Key=attachment.file.name)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == hashlib.sha256(BIG_PDF).hexdigest()
    assert attachment.file.name.startswith("attachments/") and attachment.original_name == CHINESE_NAME

    response = client.get(reverse("bulletins:attachment", kwargs={"pk": attachment.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == BIG_PDF
    _expect_file_headers(response)
    # Someone outside the bulletin's scope: 404, as for a file that does not exist.
    client.force_login(tree.user("county_b1", "staff"))
    assert client.get(reverse("bulletins:attachment", kwargs={"pk": attachment.pk})).status_code == 404


@pytest.mark.django_db
def test_a_chinese_key_and_a_missing_object_through_the_storage_api(s3_storage):
    name = default_storage.save("documents/检查/通知（定稿）.pdf", ContentFile(PDF_BYTES))
    assert default_storage.exists(name)
    with default_storage.open(name, "rb") as handle:
        assert handle.read() == PDF_BYTES
    default_storage.delete(name)
    with pytest.raises(FileNotFoundError):
        default_storage.open(name, "rb")


def _site(live_server, tmp_path, **values) -> str:
    host_port = live_server.url.removeprefix("http://")
    return render(
        {
            "LISTEN": f"127.0.0.1:{values.pop('port')}",
            "SERVER_NAME": "localhost",
            "APP_SERVERS": host_port,
            "STATIC_ROOT": str(tmp_path / "static"),
            "NGINX_LOG_DIR": str(tmp_path),
            **values,
        }
    )["nginx-site.conf"]


def _session_cookie(client) -> dict:
    return {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}


def _through_nginx(client, tree, base: str, attachment):
    url = f"{base}{reverse('bulletins:attachment', kwargs={'pk': attachment.pk})}"
    response = http_get(url, _session_cookie(client))
    body = response.read()
    assert response.status == 200, body[:500]
    assert body == BIG_PDF
    _expect_file_headers(response.headers)
    assert "private" in response.headers["Cache-Control"]
    assert "X-Accel-Redirect" not in response.headers
    # The internal location is nginx's alone.
    target = client.get(reverse("bulletins:attachment", kwargs={"pk": attachment.pk}))["X-Accel-Redirect"]
    assert http_get(f"{base}{target}").status == 404
    # Not authorised: the app's 404, and nginx sends nothing.
    client.force_login(tree.user("county_b1", "staff"))
    assert http_get(url, _session_cookie(client)).status == 404
    return target


@pytest.mark.django_db(transaction=True)
def test_downloads_through_nginx_from_s3_keep_the_apps_headers(
    client, tree, s3_storage, live_server, settings, tmp_path
):
    settings.FILE_SERVE_ACCEL = True
    settings.FILE_ACCEL_PREFIX = "/_protected"
    staff = tree.user("county_a1", "staff")
    attachment = _upload_through_the_form(client, staff)

    # The app itself sends no byte of the file.
    direct = client.get(reverse("bulletins:attachment", kwargs={"pk": attachment.pk}))
    assert direct.status_code == 200 and direct.content == b""
    assert direct["X-Accel-Redirect"].startswith(f"/_protected/{BUCKET}/{attachment.file.name}?X-Amz-")
    _expect_file_headers(direct)

    port = free_port()
    site = _site(live_server, tmp_path, port=port, S3_BUCKET=BUCKET, S3_ENDPOINT_URL=s3_storage.endpoint)
    with nginx(site, port=port):
        _through_nginx(client, tree, f"http://127.0.0.1:{port}", attachment)


@pytest.mark.django_db(transaction=True)
def test_downloads_through_nginx_from_the_disk(client, tree, live_server, settings, tmp_path):
    settings.FILE_SERVE_ACCEL = True
    settings.FILE_ACCEL_PREFIX = "/_protected"
    staff = tree.user("county_a1", "staff")
    attachment = _upload_through_the_form(client, staff)
    assert Path(settings.MEDIA_ROOT, attachment.file.name).read_bytes() == BIG_PDF

    port = free_port()
    site = _site(live_server, tmp_path, port=port, MEDIA_ROOT=settings.MEDIA_ROOT)
    with nginx(site, port=port):
        target = _through_nginx(client, tree, f"http://127.0.0.1:{port}", attachment)
    assert target == f"/_protected/media/{attachment.file.name}"

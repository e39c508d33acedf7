"""The Django admin speaks Chinese, including the login-throttling section from django-axes."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_index_has_no_english_section_left(client):
    client.force_login(UserFactory(unit=None, is_superuser=True, is_staff=True))
    html = client.get("/admin/").content.decode()
    assert "登录安全" in html and "登录日志" in html and "登录尝试" in html
    assert "Axes" not in html and "Access logs" not in html and "Access attempts" not in html

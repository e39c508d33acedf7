"""Fixtures for every test: a small organization tree and one user per role and level."""

import os
from dataclasses import dataclass, field

import pytest

from accounts.models import OrgUnit, User
from tests.factories import OrgUnitFactory, UserFactory

# .ci/run installs every tool a test may need and sets this: there, a skip is a failure.
FAIL_ON_SKIP = bool(os.environ.get("FAIL_ON_SKIP"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under `make test` a test that needs a missing tool skips, saying what to install; in CI it fails."""
    outcome = yield
    report = outcome.get_result()
    if FAIL_ON_SKIP and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped where FAIL_ON_SKIP forbids it: {reason}"


@dataclass
class Tree:
    """central → province → cities A and B → counties A1, A2 (under A) and B1 (under B)."""

    central: OrgUnit
    province: OrgUnit
    city_a: OrgUnit
    city_b: OrgUnit
    county_a1: OrgUnit
    county_a2: OrgUnit
    county_b1: OrgUnit
    users: dict = field(default_factory=dict)

    def user(self, unit_attr: str, role: str) -> User:
        """The user with `role` ("staff", "reviewer", "head") in the unit named by `unit_attr`."""
        return self.users[(unit_attr, role)]

    @property
    def unit_attrs(self):
        return ["central", "province", "city_a", "city_b", "county_a1", "county_a2", "county_b1"]


ROLE_FLAGS = {"staff": "is_officer", "reviewer": "is_reviewer", "head": "is_office_head"}


@pytest.fixture
def tree(db) -> Tree:
    central = OrgUnitFactory(name="中共中央组织部", short_name="中组部", code="zy")
    province = OrgUnitFactory(parent=central, name="江东省委组织部", short_name="江东省", code="jd")
    city_a = OrgUnitFactory(parent=province, name="临江市委组织部", short_name="临江市", code="lj")
    city_b = OrgUnitFactory(parent=province, name="青山市委组织部", short_name="青山市", code="qs")
    tree = Tree(
        central=central,
        province=province,
        city_a=city_a,
        city_b=city_b,
        county_a1=OrgUnitFactory(parent=city_a, name="东湖区委组织部", short_name="东湖区", code="lj-dh"),
        county_a2=OrgUnitFactory(parent=city_a, name="西岭县委组织部", short_name="西岭县", code="lj-xl"),
        county_b1=OrgUnitFactory(parent=city_b, name="松源县委组织部", short_name="松源县", code="qs-sy"),
    )
    for attr in tree.unit_attrs:
        unit = getattr(tree, attr)
        for role, flag in ROLE_FLAGS.items():
            tree.users[(attr, role)] = UserFactory(
                username=f"{unit.code}.{role}", full_name=f"{unit.short_name}{role}", unit=unit, **{flag: True}
            )
    return tree


@pytest.fixture
def county_staff(tree) -> User:
    return tree.user("county_a1", "staff")


@pytest.fixture
def county_reviewer(tree) -> User:
    return tree.user("county_a1", "reviewer")


@pytest.fixture
def city_reviewer(tree) -> User:
    return tree.user("city_a", "reviewer")


@pytest.fixture
def city_head(tree) -> User:
    return tree.user("city_a", "head")


@pytest.fixture
def province_reviewer(tree) -> User:
    return tree.user("province", "reviewer")


@pytest.fixture
def central_reviewer(tree) -> User:
    return tree.user("central", "reviewer")


@pytest.fixture(autouse=True)
def _default_categories(request, django_db_blocker):
    """Transactional tests flush the data migration's categories; put them back (idempotent)."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if not uses_db:
        return
    from bulletins.categories import ensure_default_categories
    from bulletins.models import Category

    with django_db_blocker.unblock():
        ensure_default_categories(Category)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _celery_eager(settings):
    """Tasks run in-process unless a test starts a real worker (those override this)."""
    from config.celery_app import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_always_eager = False

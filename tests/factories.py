"""factory-boy factories shared by the whole suite."""

import factory
from factory.django import DjangoModelFactory

from accounts.models import OrgLevel, OrgUnit, User

TEST_PASSWORD = "test-pass-2026"


class OrgUnitFactory(DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"测试单位{n}组织部")
    short_name = factory.Sequence(lambda n: f"单位{n}")
    code = factory.Sequence(lambda n: f"u{n}")
    parent = None
    level = factory.LazyAttribute(lambda o: OrgLevel.CENTRAL if o.parent is None else o.parent.level + 1)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    unit = factory.SubFactory(OrgUnitFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])

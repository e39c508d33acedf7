"""Demo organization tree and users (fictional), created idempotently by `seed_demo`."""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import OrgLevel, OrgUnit, User

DEMO_PASSWORD = "zugong2026"

# (code, name, short name, children)
DEMO_TREE = (
    "zy",
    "中共中央组织部",
    "中组部",
    [
        (
            "jd",
            "中共江东省委组织部",
            "江东省",
            [
                (
                    "lj",
                    "中共临江市委组织部",
                    "临江市",
                    [
                        ("lj-dh", "中共临江市东湖区委组织部", "东湖区", []),
                        ("lj-xl", "中共西岭县委组织部", "西岭县", []),
                        ("lj-nx", "中共南溪县委组织部", "南溪县", []),
                        ("lj-bc", "中共北川县委组织部", "北川县", []),
                        ("lj-bs", "中共白石县委组织部", "白石县", []),
                    ],
                ),
                (
                    "qs",
                    "中共青山市委组织部",
                    "青山市",
                    [
                        ("qs-sy", "中共松源县委组织部", "松源县", []),
                        ("qs-lh", "中共柳河县委组织部", "柳河县", []),
                        ("qs-sm", "中共石门县委组织部", "石门县", []),
                        ("qs-ty", "中共青山市桃源区委组织部", "桃源区", []),
                    ],
                ),
                (
                    "yz",
                    "中共云泽市委组织部",
                    "云泽市",
                    [
                        ("yz-yx", "中共云泽市云溪区委组织部", "云溪区", []),
                        ("yz-zb", "中共泽北县委组织部", "泽北县", []),
                        ("yz-zn", "中共泽南县委组织部", "泽南县", []),
                        ("yz-wh", "中共望海县委组织部", "望海县", []),
                        ("yz-ph", "中共平湖县委组织部", "平湖县", []),
                        ("yz-js", "中共金沙县委组织部", "金沙县", []),
                    ],
                ),
            ],
        ),
    ],
)

# role suffix → (field, Chinese title used in the demo person's name)
DEMO_ROLES = {
    "staff": ("is_officer", "信息员"),
    "reviewer": ("is_reviewer", "审核人"),
    "head": ("is_office_head", "办公室主任"),
}


def demo_username(unit_code: str, role: str) -> str:
    return f"{unit_code}.{role}"


def demo_user(unit_code: str, role: str) -> User:
    """The demo user of the unit with the role ("staff", "reviewer" or "head")."""
    return User.objects.get(username=demo_username(unit_code, role))


def _walk(node, parent=None, level=OrgLevel.CENTRAL):
    code, name, short_name, children = node
    unit, _ = OrgUnit.objects.get_or_create(
        code=code, defaults={"name": name, "short_name": short_name, "level": level, "parent": parent}
    )
    yield unit
    for child in children:
        yield from _walk(child, unit, level + 1)


@transaction.atomic
def seed() -> dict:
    units = list(_walk(DEMO_TREE))
    # One hash for every demo user: hashing is deliberately slow, and they share the password.
    password_hash = make_password(DEMO_PASSWORD)
    created_users = 0
    for unit in units:
        for role, (flag, title) in DEMO_ROLES.items():
            user, created = User.objects.get_or_create(
                username=demo_username(unit.code, role),
                defaults={
                    "unit": unit,
                    "full_name": f"{unit.short_name}{title}",
                    "email": f"{unit.code}.{role}@example.org",
                    "password": password_hash,
                    flag: True,
                },
            )
            created_users += created
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={"full_name": "系统管理员", "is_superuser": True, "is_staff": True, "password": password_hash},
    )
    created_users += created
    return {"units": len(units), "users_created": created_users}

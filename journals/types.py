"""The journal types offices use, with the tier the scoring rules read (data, not code)."""

DEFAULT_TYPES = (
    # code, name, tier, order
    ("regular", "普刊", "regular", 10),
    ("special_report", "信息专报", "special_report", 20),
    ("supplement", "增刊", "supplement", 30),
    ("express", "紧急信息快报", "express", 40),
)


def ensure_default_types(JournalType) -> None:
    for code, name, tier, order in DEFAULT_TYPES:
        JournalType.objects.get_or_create(code=code, defaults={"name": name, "tier": tier, "sort_order": order})

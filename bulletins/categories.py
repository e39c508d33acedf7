"""The default categories (data, not code: administrators may change deadlines in the admin)."""

DEFAULT_CATEGORIES = [
    # code, name, deadline in minutes (None: no deadline), order
    ("news", "工作动态", None, 10),
    ("practice", "经验做法", None, 20),
    ("problem", "情况问题", None, 30),
    ("suggestion", "意见建议", None, 40),
    ("incident", "突发事件", 24 * 60, 50),
]


def ensure_default_categories(category_model) -> None:
    for code, name, deadline_minutes, sort_order in DEFAULT_CATEGORIES:
        category_model.objects.get_or_create(
            code=code, defaults={"name": name, "deadline_minutes": deadline_minutes, "sort_order": sort_order}
        )

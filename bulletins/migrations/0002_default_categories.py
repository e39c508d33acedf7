from django.db import migrations

# The categories as they were when this migration was written (deadline in hours then;
# 0012_deadline_minutes turns it into minutes). Frozen here: bulletins.categories moves on.
CATEGORIES_THEN = [
    ("news", "工作动态", None, 10),
    ("practice", "经验做法", None, 20),
    ("problem", "情况问题", None, 30),
    ("suggestion", "意见建议", None, 40),
    ("incident", "突发事件", 24, 50),
]


def create_categories(apps, schema_editor):
    category_model = apps.get_model("bulletins", "Category")
    for code, name, deadline_hours, sort_order in CATEGORIES_THEN:
        category_model.objects.get_or_create(
            code=code, defaults={"name": name, "deadline_hours": deadline_hours, "sort_order": sort_order}
        )


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0001_initial")]
    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]

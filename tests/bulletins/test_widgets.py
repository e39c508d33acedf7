"""bulletins.widgets.QuickSelect writes the same <select> as Django's template-rendered Select."""

import pytest
from django import forms
from django.test.html import parse_html

from accounts.models import OrgUnit
from bulletins.widgets import QuickSelect

CHOICES = [("", "全部"), ("a", "甲 <b>"), ("b", "乙"), (3, "丙"), ("a", "duplicate value")]


def same_html(quick, django):
    assert parse_html(quick) == parse_html(django), f"\n{quick}\n!=\n{django}"


@pytest.mark.parametrize("value", [None, "", "a", "b", 3, "3", "missing"])
def test_plain_choices_render_like_django(value):
    attrs = {"id": "id_x", "class": "form-select form-select-sm", "required": True, "disabled": False}
    quick = QuickSelect(choices=CHOICES).render("x", value, attrs)
    same_html(quick, forms.Select(choices=CHOICES).render("x", value, attrs))
    assert quick.count(" selected") == (0 if value == "missing" else 1)


def test_label_is_escaped():
    assert "甲 &lt;b&gt;" in QuickSelect(choices=CHOICES).render("x", None)


def test_option_groups_fall_back_to_django():
    grouped = [("组一", [("1", "一"), ("2", "二")]), ("3", "三")]
    same_html(QuickSelect(choices=grouped).render("x", "2"), forms.Select(choices=grouped).render("x", "2"))


@pytest.mark.django_db
def test_model_choices_render_like_django():
    central = OrgUnit.objects.create(name="中央组织部", short_name="中组部", code="zy", level=0)
    OrgUnit.objects.create(name="浙江省委组织部", short_name="浙江", code="zj", level=1, parent=central)

    class Form(forms.Form):
        quick = forms.ModelChoiceField(OrgUnit.objects.order_by("pk"), widget=QuickSelect, empty_label="全部")
        plain = forms.ModelChoiceField(OrgUnit.objects.order_by("pk"), empty_label="全部")

    form = Form({"quick": central.pk, "plain": central.pk})
    quick, plain = str(form["quick"]), str(form["plain"])
    same_html(quick.replace("quick", "plain"), plain)
    assert f'value="{central.pk}" selected' in quick

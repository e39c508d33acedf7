"""The bulletin pages' slots: apps above bulletins fill them (bulletins/panels.py), in order."""

import pytest
from django.template import Context, Template

from bulletins import panels


@pytest.fixture
def empty_slots(monkeypatch):
    monkeypatch.setattr(panels, "_templates", {slot: [] for slot in panels.SLOTS})


def test_the_installed_apps_fill_the_slots():
    assert panels.panel_templates(panels.DEADLINE) == ("incidents/_deadline_badge.html",)
    assert panels.panel_templates(panels.ACTIONS) == ("review/_actions.html", "journals/_printed_in.html")
    assert panels.panel_templates(panels.BADGES) == ("calls/_answer_badge.html",)
    assert panels.panel_templates(panels.MAIN) == ("review/_route_panel.html", "calls/_bulletin_panel.html")


def test_registration_keeps_the_order_and_each_template_once(empty_slots):
    panels.panel_register(slot=panels.MAIN, template_name="b.html")
    panels.panel_register(slot=panels.MAIN, template_name="a.html")
    panels.panel_register(slot=panels.MAIN, template_name="b.html")
    assert panels.panel_templates(panels.MAIN) == ("b.html", "a.html")


def test_an_unknown_slot_is_refused(empty_slots):
    with pytest.raises(ValueError, match="sidebar"):
        panels.panel_register(slot="sidebar", template_name="a.html")


def test_a_slot_renders_its_templates_like_includes_on_every_row(db, empty_slots, django_assert_num_queries):
    panels.panel_register(slot=panels.MAIN, template_name="bulletins/_status_badge.html")
    page = Template(
        '{% load bulletin_panels %}{% for bulletin in rows %}[{% bulletin_panels "main" %}]{% endfor %}'
        '{% include "bulletins/_status_badge.html" with bulletin=rows.0 %}'
    )

    class Row:
        status = "draft"

        def get_status_display(self):
            return "<草稿>"

    with django_assert_num_queries(0):
        html = page.render(Context({"rows": [Row(), Row()]}))
    included = Template('{% include "bulletins/_status_badge.html" %}').render(Context({"bulletin": Row()}))
    assert html == f"[{included}][{included}]{included}"
    assert "&lt;草稿&gt;" in included

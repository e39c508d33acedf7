"""Slots on the bulletin pages that the apps above bulletins fill, so that bulletins names none of them.

Review, incidents and later apps show their parts of a bulletin on its pages (the route, the filing
unit's buttons, the deadline state); a lower app's template must not include a higher app's. Each of
those apps registers a template for a slot in its AppConfig.ready(); a page renders a slot with
`{% bulletin_panels "<slot>" %}` (bulletins/templatetags/bulletin_panels.py): every template
registered for it, in registration order (INSTALLED_APPS order), with the page's own context.
"""

# Next to a bulletin's title on its detail and decision pages, and on every row of the bulletin
# lists and the review queues. Per row: the template must not query (the page's selector loads it).
DEADLINE = "deadline"
# After a bulletin's title on every row of the review queues (per row: the template must not
# query; the queue's selector prefetches what it shows, review.selectors.queue_row_prefetch_register).
BADGES = "badges"
# Under the title on the bulletin's detail page.
ACTIONS = "actions"
# Cards in the main column of the bulletin's detail page, after the attachments.
MAIN = "main"
SLOTS = (DEADLINE, BADGES, ACTIONS, MAIN)

_templates: dict[str, list[str]] = {slot: [] for slot in SLOTS}


def panel_register(*, slot: str, template_name: str) -> None:
    """Render template_name in the slot wherever a bulletin page has it (call from AppConfig.ready())."""
    if slot not in _templates:
        raise ValueError(f"No slot {slot!r} on the bulletin pages; the slots are {', '.join(SLOTS)}.")
    if template_name not in _templates[slot]:
        _templates[slot].append(template_name)


def panel_templates(slot: str) -> tuple[str, ...]:
    """The templates registered for the slot, in registration order."""
    return tuple(_templates[slot])

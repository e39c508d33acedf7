def navigation(request):
    """What the header and navigation need: which sections this user's roles open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "bulletins": user.unit_id is not None,
            "write": user.is_officer,
            "queue": user.can_review,
            "journals": user.unit_id is not None or user.is_superuser,
            "dashboard": user.is_office_head or user.is_reviewer,
            "admin": user.is_superuser or user.is_staff,
        }
    }

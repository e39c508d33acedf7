from functools import cache

from notifications.selectors import notification_unread_count


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: the count query runs only when a template shows it, and once however often it does
    # (the navigation shows it beside the phone menu's button and in the menu).
    return {"unread_count": cache(lambda: notification_unread_count(user=user))}

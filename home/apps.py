from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page, composed from several apps; no app imports it."""

    name = "home"

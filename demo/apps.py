from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Fictional demo data for every app (`seed_demo`); no models, and no app imports it."""

    name = "demo"

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for both stores: `manage.py seed_demo`."""

    name = "demo"

from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page: whether each store answers, its counts, the most and recently viewed notes."""

    name = "home"

from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page: what Polystore is and what members share for visitors, their own notes for members."""

    name = "home"

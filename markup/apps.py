from django.apps import AppConfig


class MarkupConfig(AppConfig):
    """The one set of Markdown rules: notes, previews and members' bios render with it."""

    name = "markup"

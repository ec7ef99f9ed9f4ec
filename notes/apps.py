from django.apps import AppConfig


class NotesConfig(AppConfig):
    """The document-store app: every model here lives in MongoDB (config/routers.py)."""

    name = "notes"
    default_auto_field = "django_mongodb_backend.fields.ObjectIdAutoField"

    def ready(self) -> None:
        from notes import receivers  # noqa: F401 - connect to what users announces

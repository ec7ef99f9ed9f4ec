from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "users"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from users import names, receivers  # noqa: F401 - connect the cache signal receivers

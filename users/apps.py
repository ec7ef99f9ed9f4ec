from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "users"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from users import checks, names, receivers  # noqa: F401 - register the checks, connect the cache receivers

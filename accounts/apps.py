from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        # Registers the project's deployment checks (museumai is a project package, not an app).
        from accounts import language
        from museumai import checks  # noqa: F401

        language.connect_signals()

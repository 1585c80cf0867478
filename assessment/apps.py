from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessment"

    def ready(self) -> None:
        from museumai import database

        # migrate runs without the statement timeout web requests have (see museumai/database.py).
        database.connect_signals()

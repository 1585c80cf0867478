from django.apps import AppConfig


class NemoConfig(AppConfig):
    name = "nemo"

"""Sessions name the backend that logged the person in; that backend moved to accounts/.

Without this, everyone logged in would be logged out by the deploy (Django
ignores a session whose backend is no longer configured).
"""

from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations

OLD = "assessment.backends.EmailOrUsernameBackend"
NEW = "accounts.backends.EmailOrUsernameBackend"


def rename_backend(old, new):
    def forwards(apps, schema_editor):
        session_model = apps.get_model("sessions", "Session")
        store = SessionStore()
        for session in session_model.objects.filter(session_data__isnull=False).iterator():
            data = store.decode(session.session_data)
            if data.get("_auth_user_backend") == old:
                data["_auth_user_backend"] = new
                session.session_data = store.encode(data)
                session.save(update_fields=["session_data"])

    return forwards


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0005_stored_levels"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename_backend(OLD, NEW), rename_backend(NEW, OLD))]

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class EmailOrUsernameBackend(ModelBackend):
    """Log in with an email address or a username, in any letter case.

    People type their address as they remember it ("Anna.Curator@Example.org");
    accounts store it in lower case.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user_model = get_user_model()
        matches = list(
            user_model._default_manager.filter(Q(username__iexact=username) | Q(email__iexact=username))[:2]
        )
        if len(matches) != 1:
            # Run the hasher anyway, so that timing does not reveal whether an account exists.
            user_model().set_password(password)
            return None
        user = matches[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

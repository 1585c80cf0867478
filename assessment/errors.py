"""The one exception a rule broken by a user raises, with a message meant for them."""


class ServiceError(Exception):
    """A rule the user broke, explained in words they can act on."""

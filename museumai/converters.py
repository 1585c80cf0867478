class IdConverter:
    """A database id in a URL: digits, at most 18 of them.

    ``<int:…>`` accepts any length, and an id beyond the database's integer range
    then fails inside the database (a 500) instead of simply not being found.
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)

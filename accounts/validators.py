"""Validators for what people type into their account: passwords, and names that travel in e-mails."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn  # type: ignore[import-untyped]

# zxcvbn reads at most this many characters (it refuses longer input); a passphrase longer than
# that is judged on its beginning, which is plenty to tell "aaaa…" from words.
ZXCVBN_MAX_LENGTH = 72


class GuessablePasswordValidator:
    """Refuse passwords that zxcvbn can guess quickly: repeats, keyboard runs, sequences, common words.

    Length alone lets "aaaaaaaaaaaa" and "qwertyuiopas" through; zxcvbn estimates how many guesses
    a password needs, knowing keyboards (QWERTY, AZERTY, QWERTZ), sequences, dates and common words,
    and the person's own name and address. A score of 3 means at least 10⁸ guesses: long random
    strings and passphrases of a few words pass easily.
    """

    def __init__(self, min_score: int = 3) -> None:
        self.min_score = min_score

    def validate(self, password: str, user: Any = None) -> None:
        result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=_personal_words(user))
        if result["score"] < self.min_score:
            raise ValidationError(
                _(
                    "This password is too easy to guess: it repeats characters, follows the keyboard or "
                    "the alphabet, or is built on a common password or your own name. "
                    "A few unrelated words make a strong passphrase."
                ),
                code="password_too_guessable",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password cannot be a run of keys or letters, repeated characters, a common password "
            "or your own name."
        )


def _personal_words(user: Any) -> list[str]:
    """What a guesser would try first for this person: their name and address, and the site's name."""
    words = ["museumai", "museum"]
    if user is None:
        return words
    for attribute in ("username", "email", "first_name", "last_name"):
        value = str(getattr(user, attribute, "") or "")
        words.append(value)
        words.extend(part for part in value.replace("@", " ").replace(".", " ").split() if part)
    return [word.lower() for word in words if word]


def validate_single_line(value: str) -> None:
    """Names go into e-mails and page titles: a line break there could fake a line of the site's own text."""
    if len(value.splitlines()) > 1 or value.endswith(("\n", "\r")):
        raise ValidationError(_("Type this on one line, without line breaks."), code="line_break")

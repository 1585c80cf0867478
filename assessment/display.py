"""How people, scores and answers are written on a page: the one home of these formulas.

Pure functions, for templates (through ``{% load display %}``) and for Python
alike (views, messages, CSV exports), so that every page says the same thing
the same way.

- A person: full name, else email, else username. An account that has since
  been deleted (a ``None`` user, from ``on_delete=SET_NULL``) is
  "a former member" — or what the caller asks for, e.g. "" in a CSV cell.
- A score: the number in the active language's format, rounded half up like
  ``floatformat`` (2.0, 1.8; French later 1,8), or "—" when there is none.
- An answer: "Level 2", "Not applicable (reason)" or "Not answered"; with the
  question's level descriptors, the level's name and description.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

FORMER_MEMBER = _("a former member")
# The same words where they open a sentence ("A former member changed this answer…").
FORMER_MEMBER_CAPFIRST = _("A former member")
# What a table cell shows when there is no score.
NO_SCORE = "—"


def display_name_from_parts(
    first: str | None,
    last: str | None,
    email: str | None,
    username: str | None = "",
    *,
    fallback: Any = FORMER_MEMBER,
) -> str:
    """A person's name from the columns of a ``values_list`` row.

    All parts empty means the account was deleted: the result is ``fallback``
    (pass ``fallback=""`` for an empty CSV cell).
    """
    full_name = " ".join(part.strip() for part in (first, last) if part and part.strip())
    return full_name or email or username or str(fallback)


def display_name(user, *, capfirst: bool = False, short: bool = False) -> str:
    """A person as pages name them: full name, else email, else username.

    ``None`` (a deleted account) gives "a former member" ("A former member"
    with ``capfirst``, for the start of a sentence; a name or an email is never
    re-capitalised). ``short`` uses the first name only, e.g. in "Log out (Alice)".
    """
    fallback = FORMER_MEMBER_CAPFIRST if capfirst else FORMER_MEMBER
    if user is None:
        return str(fallback)
    return display_name_from_parts(
        getattr(user, "first_name", ""),
        "" if short else getattr(user, "last_name", ""),
        getattr(user, "email", ""),
        user.get_username() if hasattr(user, "get_username") else "",
        fallback=fallback,
    )


def score_text(value: float | str | None, digits: int = 1) -> str:
    """A score with ``digits`` decimals in the active language's format; "—" when there is none.

    Rounded half up, as the ``floatformat`` filter rounds (1.85 → "1.9").
    """
    if value is None or value == "":
        return NO_SCORE
    text = floatformat(value, digits)
    return text if text != "" else NO_SCORE


def score_shown(value: float | None, digits: int = 1) -> float | None:
    """The number :func:`score_text` writes, as a number: for a chart that must agree with its table.

    Rounded half up from the value's shortest decimal form, as ``floatformat`` rounds (1.85 → 1.9).
    """
    if value is None:
        return None
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def level_text(level: int) -> str:
    """The words for a level on its own, e.g. "Level 2"."""
    return gettext("Level %(level)s") % {"level": level}


def answer_text(answer) -> str:
    """An answer (or a historical record of one) in a few words; ``None``: "Not answered"."""
    if answer is not None and answer.not_applicable:
        reason = answer.not_applicable_reason
        label = gettext("Not applicable")
        return f"{label} ({reason})" if reason else label
    if answer is not None and answer.duty_exemption:
        return gettext("This duty does not apply to us")
    if answer is None or answer.level is None:
        return gettext("Not answered")
    return level_text(answer.level)


def answer_html(answer, descriptors: Iterable[Any] | None = None) -> SafeString:
    """An answer for a page, escaped.

    Without descriptors, as :func:`answer_text` says it. With the question's
    level descriptors (objects with ``level``, ``name`` and ``description``),
    a level shows in full — "<strong>2 · Managed</strong> — description" —
    and "not applicable" without its reason, which the read-only
    questionnaire shows under its own heading.
    """
    if descriptors is not None and answer is not None:
        if answer.not_applicable:
            return format_html("{}", gettext("Not applicable"))
        for descriptor in descriptors:
            if answer.level is not None and descriptor.level == answer.level:
                return format_html(
                    "<strong>{} · {}</strong> — {}", descriptor.level, descriptor.name, descriptor.description
                )
    return format_html("{}", answer_text(answer))


def action_owner(action) -> str:
    """Who owns an action of the plan: a member by name, else the name typed in; empty for nobody yet."""
    if action.owner_id is not None:
        return display_name(action.owner)
    return action.owner_name


# A sentence ends at ".", "!" or "?" followed by a space and a capital or an opening quote…
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ\"“„«])")
# …unless the full stop closes an abbreviation or a German day ("bzw. Hersteller", "2. Dezember").
_ABBREVIATION = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|vs|cf|bzw|z\.\s?B|d\.\s?h|u\.\s?a|ca|Nr|Abs|Art|vgl|usw|ggf|evtl|inkl|bijv|o\.a|"
    r"m\.a\.w|resp|p\.\s?ex|cf|Dr|St|No)\.|\b\d{1,2}\.)$",
    re.IGNORECASE,
)


def first_sentence(text: str) -> str:
    """A guidance text's first sentence: the one next step, where the page has room for one.

    A sentence that introduces questions after a colon ("Discuss three questions: …? …?") keeps
    its questions: cut after the first, it would promise three and give one.
    """
    text = text.strip()
    end = 0
    for match in _SENTENCE_END.finditer(text):
        sentence = text[: match.start()]
        if _ABBREVIATION.search(sentence):
            continue
        if end and not sentence.endswith("?"):
            break  # the list of questions has ended before this sentence
        end = match.start()
        if not (sentence.endswith("?") and ":" in sentence):
            break
    return text[:end] if end else text

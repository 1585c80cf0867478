"""Template filters over assessment.display: ``{% load display %}``.

- ``{{ user|person }}``: "Alice Lead", else her email; "a former member" for a deleted
  account. ``{{ user|person:"capfirst" }}`` where it opens a sentence ("A former member"),
  ``{{ user|person:"short" }}`` for the first name only.
- ``{{ value|score }}``, ``{{ value|score:2 }}``: "1.8" in the active language's format,
  "—" for no score.
- ``{{ answer|answer_value }}``: "Level 2", "Not applicable (reason)", "Not answered";
  ``{{ answer|answer_value:descriptors }}``: the level with its name and description.
"""

from __future__ import annotations

from django import template

from assessment import display
from recommendations.legal import with_links

register = template.Library()

_PERSON_STYLES = {"": {}, "capfirst": {"capfirst": True}, "short": {"short": True}}


@register.filter
def person(user, style: str = "") -> str:
    try:
        options = _PERSON_STYLES[style]
    except KeyError:
        raise template.TemplateSyntaxError(
            f"person: unknown style {style!r} (use 'capfirst' or 'short')"
        ) from None
    # A failed lookup (a deleted account's attribute) reaches a filter as "" under the default
    # string_if_invalid: that, like None, is nobody.
    return display.display_name(user or None, **options)


@register.filter
def score(value, digits: int = 1) -> str:
    return display.score_text(value, int(digits))


@register.filter
def answer_value(answer, descriptors=None):
    return display.answer_html(answer or None, descriptors)


@register.filter
def legal_links(reference: str) -> str:
    """``{{ question.legal_reference|legal_links }}``: acts linked to EUR-Lex, in the reading language."""
    return with_links(reference or "")


@register.filter
def first_sentence(text: str) -> str:
    return display.first_sentence(str(text or ""))


@register.filter
def action_owner(action) -> str:
    return display.action_owner(action)

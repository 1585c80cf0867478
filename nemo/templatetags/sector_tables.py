"""The sector tables' rows, built in Python: a page of the overview has thousands of cells, and
the template engine spent more on them than everything else the page does."""

from __future__ import annotations

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from assessment.display import score_text
from nemo.stats import Row, Table
from nemo.suppression import MIN_GROUP, SMALL, WITHHELD, Figure

register = template.Library()


def _hidden_words() -> dict[str, str]:
    """Why a figure is hidden, in words (text, not HTML), in the active language."""
    return {
        SMALL: _("fewer than %(min)s") % {"min": MIN_GROUP},
        WITHHELD: _("not shown (it would reveal a smaller figure)"),
    }


def _in_words(figure: Figure, hidden_words: dict[str, str]) -> str:
    return str(figure.value) if figure.shown else hidden_words.get(figure.hidden, hidden_words[WITHHELD])


@register.simple_tag
def figure_in_words(figure: Figure) -> str:
    """A figure on its own (not in a table's cell): its value, or why it is hidden, in words."""
    return _in_words(figure, _hidden_words())


def _hidden_cells() -> dict[str, str]:
    """A hidden figure in a table's cell: "< 5" or "*" on screen, the words for screen readers."""
    on_screen = {SMALL: f"&lt;&nbsp;{MIN_GROUP}", WITHHELD: "*"}
    template = '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span>'
    return {
        hidden: template.format(on_screen[hidden], escape(words)) for hidden, words in _hidden_words().items()
    }


def _row(row: Row, total: str, levels: bool, hidden_cells: dict[str, str]) -> str:
    cells = "".join(
        f"<td>{cell.value}"
        + ("" if share is None else f' <span class="text-body-secondary">({share} %)</span>')
        + "</td>"
        if cell.shown
        else f"<td>{hidden_cells.get(cell.hidden, hidden_cells[WITHHELD])}</td>"
        for cell, share in row.with_shares
    )
    described = ""
    if levels:
        mean = score_text(row.mean, 1)
        described = f"<td>{escape(row.median)}</td><td>{escape(row.quartiles)}</td><td>{mean}</td>"
    return f'<tr><th scope="row">{escape(row.label)}</th><td>{total}</td>{cells}{described}</tr>'


@register.simple_tag
def group_rows(table: Table, levels: bool = False) -> SafeString:
    """The table's groups, one <tr> each, and their figures and shares; hidden groups are left out."""
    if not table.rows:
        return format_html(
            '<tr><td colspan="{}">{}</td></tr>', table.width, _("No submitted assessment counted yet.")
        )
    hidden_cells = _hidden_cells()
    shown = [row for row in table.rows if row.total.shown]
    return mark_safe("".join(_row(row, str(row.total.value), levels, hidden_cells) for row in shown))


@register.simple_tag
def everyone_row(table: Table, levels: bool = False) -> SafeString:
    """The row for all museums, its total in words when hidden."""
    words = escape(_in_words(table.everyone.total, _hidden_words()))
    return mark_safe(_row(table.everyone, words, levels, _hidden_cells()))

"""Legal references with links to the act on EUR-Lex, in the reader's language.

A reference names its acts by number ("Regulation (EU) 2024/1689", "règlement (UE) 2024/1689",
"Richtlinie 2002/58/EG"): whatever the language, the number finds the act, and the link opens
EUR-Lex's text in the language the person reads.
"""

from __future__ import annotations

import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

# The acts the framework cites, by their number, with the CELEX number EUR-Lex knows them by.
ACTS = {
    "2024/1689": "32024R1689",  # AI Act
    "2026/1744": "32026R1744",  # its 2026 amendment (Digital Omnibus on AI)
    "2016/679": "32016R0679",  # GDPR
    "2002/58": "32002L0058",  # ePrivacy Directive
    "2019/790": "32019L0790",  # copyright in the Digital Single Market
    "2016/2102": "32016L2102",  # Web Accessibility Directive
    "2019/882": "32019L0882",  # European Accessibility Act
    "2019/1024": "32019L1024",  # Open Data Directive
    "2023/2854": "32023R2854",  # Data Act
    "2011/83": "32011L0083",  # Consumer Rights Directive
}
ACT_NUMBER = re.compile(r"\b(20\d\d/\d{2,4})\b")
EUR_LEX = "https://eur-lex.europa.eu/legal-content/{language}/TXT/?uri=CELEX:{celex}"


def eur_lex_url(celex: str, language: str | None = None) -> str:
    return EUR_LEX.format(language=(language or get_language() or "en").split("-")[0].upper(), celex=celex)


def with_links(reference: str) -> SafeString:
    """The reference, escaped, each act number it names a link to that act on EUR-Lex."""
    parts = []
    position = 0
    for match in ACT_NUMBER.finditer(reference):
        celex = ACTS.get(match.group(1))
        if celex is None:
            continue
        parts.append(escape(reference[position : match.start()]))
        parts.append(
            format_html(
                '<a href="{}" title="{}">{}</a>',
                eur_lex_url(celex),
                gettext("The act on EUR-Lex, the EU's official site for its law"),
                match.group(1),
            )
        )
        position = match.end()
    parts.append(escape(reference[position:]))
    return mark_safe("".join(str(part) for part in parts))  # every part is escaped above

"""With the browser in French, Dutch or German, every page people reach speaks that language.

Chromium, set to the language, follows the links a lead, an editor, a viewer and a NEMO admin can
follow (Django admin's own screens aside), and a language detector reads each page's text blocks:
at most 3 % may be English, NEMO's quotes (marked lang="en") apart.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from lingua import Language, LanguageDetectorBuilder

from assessment import answers
from tests.conftest import submitted_assessment

LANGUAGE_OF = {"fr": Language.FRENCH, "nl": Language.DUTCH, "de": Language.GERMAN}
MOST_ENGLISH = 0.03
MAX_PAGES = 30
# Not pages to read: leaving, downloads, Django admin's own screens, the language switch.
SKIP = re.compile(r"^/(admin/(?!$)|accounts/logout|static/|language/)|\.(csv|xlsx|json|ics|pdf)$")

# Text blocks: the innermost elements that hold text, outside NEMO's quotes and hidden parts.
TEXT_BLOCKS = """() => {
  const blocks = [];
  const selector = 'h1,h2,h3,h4,h5,h6,p,li,td,th,label,legend,summary,button,a,dt,dd,figcaption,option';
  for (const element of document.body.querySelectorAll(selector)) {
    if (element.closest('[lang="en"]')) continue;  // NEMO's quotes, and links to them
    if (element.querySelector(selector)) continue;  // only the innermost
    if (element.closest('[hidden], .visually-hidden, script, style, noscript')) continue;
    const own = element.cloneNode(true);
    own.querySelectorAll('[lang="en"]').forEach(part => part.remove());
    const text = (own.textContent || '').trim();
    if (text) blocks.push(text);
  }
  return blocks;
}"""


@pytest.fixture(scope="module")
def detector():
    return LanguageDetectorBuilder.from_languages(
        Language.ENGLISH, Language.FRENCH, Language.DUTCH, Language.GERMAN
    ).build()


def english_blocks(blocks: list[str], language: str, detector) -> tuple[list[str], int]:
    """The blocks the detector reads as English, out of those long enough to judge (4+ words)."""
    judged = [block for block in blocks if len(re.findall(r"[^\W\d_]{2,}", block)) >= 4]
    english = [block for block in judged if detector.detect_language_of(block) == Language.ENGLISH]
    return english, len(judged)


def crawl(page, start: str) -> list[str]:
    """Same-site pages reachable by links from ``start``, one per kind (numbers in paths folded)."""
    seen_kinds, visited, queue = set(), [], deque([start])
    origin = urlsplit(page.url).netloc if page.url.startswith("http") else None
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        kind = re.sub(r"\d+", "N", path)
        if kind in seen_kinds or SKIP.search(path):
            continue
        seen_kinds.add(kind)
        page.goto(path)
        visited.append(path)
        origin = origin or urlsplit(page.url).netloc
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            parts = urlsplit(href)
            if parts.netloc == origin and parts.path:
                queue.append(
                    parts.path + (f"?{parts.query}" if parts.query and "page=" in parts.query else "")
                )
    return visited


def logged_in_context(browser, live_server, user, locale: str):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale=locale)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


@pytest.mark.parametrize(("language", "locale"), [("fr", "fr-BE"), ("nl", "nl-NL"), ("de", "de-DE")])
def test_every_page_people_reach_speaks_the_browsers_language(
    browser, live_server, framework, museum_a, lead, editor, viewer, nemo_admin, detector, language, locale
):
    submitted_assessment(museum_a, lead, lambda q: 1 if q.legal_duty else 2, days_ago=300)
    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=True)
    answers.ai_stance_record(assessment=draft, user=lead, stance="not_by_decision", reasons="Not now.")

    report = []
    for person in (lead, editor, viewer, nemo_admin):
        context = logged_in_context(browser, live_server, person, locale)
        page = context.new_page()
        page.set_default_timeout(10_000)
        starts = ["/", "/framework/"] + (["/nemo/overview/", "/admin/"] if person.is_staff else [])
        for start in starts:
            for path in crawl(page, start):
                page.goto(path)
                assert page.locator("html").get_attribute("lang") == language, f"{path} for {person}"
                english, judged = english_blocks(page.evaluate(TEXT_BLOCKS), language, detector)
                report.append((str(person), path, english, judged))
        context.close()

    judged = sum(item[3] for item in report)
    english = [(path, block) for _person, path, blocks, _n in report for block in blocks]
    assert judged > 200, "enough text was read to judge"
    assert len(english) / judged <= MOST_ENGLISH, "\n".join(
        f"{path}: {block[:100]}" for path, block in english
    )

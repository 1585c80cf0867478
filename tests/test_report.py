"""The PDF report: the demo museum's, read back with poppler's pdftotext and held against the results
page and the dashboard's numbers written with the same filters.

One PDF per test: WeasyPrint takes a second or two to draw one.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import LanguagePreference
from assessment import plan, results
from assessment.display import score_text
from assessment.models import Action, ActionStatus, Assessment, AssessmentStatus, Membership, Museum, Role
from assessment.report import css_string, page_numbers_css, plan_excerpt
from tests.conftest import add_ai_systems, results_url, submitted_assessment

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler's pdftotext is missing (make pdf)"
)

# Measured once the framework's content is cached: the same with 2 actions or 200, 1 earlier
# assessment or 20. Session, user, membership, assessment; the dashboard's seven (answers, targets,
# earlier assessments, their area scores, the last one's dimension scores, target dates, actions per
# dimension); the plan's three (counts, open actions, done ones).
QUERIES_REPORT = 19
# A submitted assessment's PDF is kept for the day: a second download only checks access and the plan.
QUERIES_REPORT_KEPT = 6


def report_url(assessment: Assessment, appendix: bool = False) -> str:
    url = reverse("assessment:report", args=[assessment.museum_id, assessment.pk])
    return url + ("?appendix=1" if appendix else "")


def pdf_pages(content: bytes) -> list[str]:
    """The PDF's text, page by page, as ``pdftotext -layout`` reads it (a form feed ends each page)."""
    assert content.startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return text.split("\f")[:-1]


def flat(text: str) -> str:
    """Whitespace as one space: lines wrapped in the PDF, or tags taken out of a page, read as one text."""
    return " ".join(text.split())


def pdf_flat(pages: list[str]) -> str:
    """The PDF's text as one text; a word wrapped at its hyphen ("under-|represented") joined again."""
    return re.sub(r"(?<=\w-)\s+(?=\w)", "", flat(" ".join(pages)))


def page_text(response) -> str:
    """A page's text as read: links (an act's number to EUR-Lex) inline, other elements apart."""
    inline = re.sub(r"</?a\b[^>]*>", "", response.content.decode())
    return flat(html.unescape(re.sub(r"<[^>]+>", " ", inline)))


FOOTER = re.compile(r"Page \d+ of \d+\s*$")


def first_page_with_heading(pages: list[str], heading: str) -> int:
    """The index of the page where ``heading`` stands on a line of its own."""
    return next(i for i, page in enumerate(pages) if heading in [line.strip() for line in page.splitlines()])


def assert_no_heading_at_the_foot(pages: list[str], headings: list[str]) -> None:
    """No page ends with a heading whose text follows on the next page (the footer aside)."""
    for number, page in enumerate(pages, start=1):
        lines = [line for line in page.splitlines() if line.strip() and not FOOTER.search(line)]
        tail = flat(" ".join(lines[-3:]))
        for heading in headings:
            assert not tail.endswith(flat(heading)), f"page {number} ends with the heading {heading!r}"


def area_heading(group) -> str:
    """An area's heading in the appendix, as the template writes it (in English)."""
    gaps = len(group.gaps)
    heading = f"Area {group.area.number}: {group.area.title} — {gaps} gap{'s' if gaps != 1 else ''}"
    return heading + (f", {group.flagged_count} with a legal duty" if group.flagged_count else "")


@pytest.fixture
def demo(framework):
    """The demo world (``make demo``): Demo Museum A with two submitted assessments, a draft and a plan."""
    call_command("seed_demo", "--password", "demo-password-2024", stdout=io.StringIO(), stderr=io.StringIO())
    museum = Museum.objects.get(name="Demo Museum A")
    latest = Assessment.objects.filter(museum=museum, status=AssessmentStatus.SUBMITTED).latest(
        "submitted_at"
    )
    viewer = get_user_model().objects.get(username="demo-viewer")
    return museum, latest, viewer


def summary_headings(board, plan) -> list[str]:
    """The summary's and the plan's headings (and the lines that introduce a list), as the PDF writes them."""
    return [
        "In short",
        "Areas",
        "Three priorities for the next 12 months",
        "Legal duties (apart from the score)",
        f"{len(board.flags)} to look at now:",
        f"{len(board.coming_duties)} coming:",
        "Dimensions",
        "Last time's targets: what was reached",
        "Action plan",
        f"Open actions ({plan.open_total})",
        f"Done since {date_format(plan.done_since, 'DATE_FORMAT')} ({plan.done_total})",
    ]


def test_the_demo_museums_report_says_what_its_results_page_says(demo, client_for):
    museum, latest, viewer = demo
    client = client_for(viewer)
    page = page_text(client.get(results_url(latest)))
    response = client.get(report_url(latest))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    day = timezone.localdate(latest.submitted_at).isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="demo-museum-a-ai-readiness-{day}.pdf"'
    assert "no-store" in response["Cache-Control"]  # like every page a logged-in person sees
    pages = pdf_pages(response.content)
    text = pdf_flat(pages)

    # A cover, then the summary up to the action plan, which opens a page: four A4 pages at most.
    assert (
        "AI readiness report" in pages[0] and "Demo Museum A" in pages[0] and "Brussels, Belgium" in pages[0]
    )
    assert "In short" not in [line.strip() for line in pages[0].splitlines()]
    summary_pages = first_page_with_heading(pages, "Action plan") - 1
    assert 1 <= summary_pages <= 4, f"the summary takes {summary_pages} pages"
    assert f"Page 2 of {len(pages)}" in pages[1]

    # The numbers the page shows, written with the same filters.
    board = results.dashboard(latest)
    overall = board.result.overall
    shown = [
        f"Level {overall.level} · {overall.level_name}",
        f"{score_text(overall.value)} out of 4 ({overall.percent} %)",
        *(f"{r.score.level_name} · {score_text(r.score.value)}" for _area, r in board.areas),
        *(
            f"{number}. {row.dimension.title} {row.area.number} "
            f"{score_text(row.result.score.value)} · {row.result.score.level_name}"
            for number, row in enumerate(board.dimensions, start=1)
        ),
        *(item.dimension.title for item in board.priorities),
        *(flag.legal_reference for flag in board.flags),
        *(f"From {date_format(duty.applies_from, 'DATE_FORMAT')}" for duty in board.coming_duties),
        f"overall {board.overall_change_text} (from {score_text(board.previous.overall_score)})",
    ]
    assert board.flags and board.coming_duties and len(board.priorities) == 3  # the demo has them all
    for words in shown:
        assert words in page, f"not on the results page: {words!r}"
        assert words in text, f"not in the PDF: {words!r}"

    # The plan: open actions by due date, the overdue one said in words, then what was done.
    plan = plan_excerpt(museum.pk, timezone.localdate())
    plan_text = pdf_flat(pages[summary_pages + 1 :])
    # A title may wrap in its column, beside the owner's: its first words stand together.
    openings = [" ".join(row.action.title.split()[:3]) for row in [*plan.open_actions, *plan.done_actions]]
    assert len(openings) == 5
    assert [plan_text.index(words) for words in openings] == sorted(plan_text.index(w) for w in openings)
    assert "Overdue" in plan_text and "Marta Jansen" in plan_text and "Eddie Editor" in plan_text

    assert_no_heading_at_the_foot(pages, summary_headings(board, plan))


def test_the_appendix_adds_every_gap_with_its_passages_quoted_once(demo, client_for):
    museum, latest, viewer = demo
    response = client_for(viewer).get(report_url(latest, appendix=True))
    assert response.status_code == 200
    pages = pdf_pages(response.content)
    board = results.dashboard(latest)
    appendix_start = first_page_with_heading(pages, "Appendix: the detail per area")
    assert appendix_start > first_page_with_heading(pages, "Action plan")
    appendix = pdf_flat(pages[appendix_start:])
    passages = {p.pk: p for gap in board.gaps for p in gap.passages}
    assert passages
    for passage in passages.values():
        assert appendix.count(flat(passage.text)) == 1, passage.slug
    for group in board.gaps_by_area:
        assert area_heading(group) in appendix
    for gap in board.gaps:
        assert gap.dimension.title in appendix
        for question in gap.weakest_questions:
            assert flat(question.guidance) in appendix

    assert_no_heading_at_the_foot(
        pages[:appendix_start], summary_headings(board, plan_excerpt(museum.pk, timezone.localdate()))
    )
    # In the appendix a dimension's title is a heading (in the plan, it is an action's dimension).
    appendix_headings = [
        "Appendix: the detail per area",
        "Legal duties to look at",
        "Coming duties: prepare now",
        "Gaps, and how to close them",
        "Progress over time",
        *(gap.dimension.title for gap in board.gaps),
        *(area_heading(group) for group in board.gaps_by_area),
    ]
    assert_no_heading_at_the_foot(pages[appendix_start:], appendix_headings)
    # Longer than the report without it (a cover, 2–4 pages of summary, a page of plan).
    assert len(pages) > 8


def test_the_report_is_in_the_readers_language_and_nemo_speaks_english(demo, client_for):
    _museum, latest, viewer = demo
    LanguagePreference.objects.create(user=viewer, language="fr")
    response = client_for(viewer).get(report_url(latest))  # the account's language, from the login
    text = pdf_flat(pdf_pages(response.content))
    board = results.dashboard(latest)
    assert "Maturité globale" in text  # "Overall maturity"
    assert "Traduction non officielle par museumai" in text
    priority = board.priorities[0]
    assert priority.dimension.title_fr and priority.dimension.title_fr in text
    assert " ".join(priority.passage.text.split()[:6]) in text  # quoted as NEMO wrote it


def test_a_member_of_another_museum_gets_a_404(demo, client_for, outsider):
    _museum, latest, _viewer = demo
    assert client_for(outsider).get(report_url(latest)).status_code == 404
    demo_b_lead = get_user_model().objects.get(username="demo-outsider")
    assert client_for(demo_b_lead).get(report_url(latest, appendix=True)).status_code == 404


@pytest.mark.parametrize(("earlier", "actions"), [(1, 2), (20, 200)])
def test_the_report_costs_the_same_queries_whatever_the_history_and_the_plan(
    client_for, lead, museum_a, framework, earlier, actions, django_assert_num_queries
):
    for index in range(earlier):
        submitted_assessment(museum_a, lead, lambda q, i=index: i % 5, days_ago=30 * (earlier - index))
    latest = submitted_assessment(museum_a, lead, lambda q: 2)
    dimensions = list(framework.recommendations.first().dimensions.all())
    today = timezone.localdate()
    statuses = [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DROPPED]
    Action.objects.bulk_create(
        Action(
            museum=museum_a,
            title=f"Action {index}",
            dimension=dimensions[index % len(dimensions)],
            owner=lead if index % 2 else None,
            owner_name="" if index % 2 else "Someone",
            due_date=today + timedelta(days=index - 50),
            status=statuses[index % 4],
            done_on=today - timedelta(days=index) if statuses[index % 4] == ActionStatus.DONE else None,
        )
        for index in range(actions)
    )
    add_ai_systems(museum_a, actions // 4, user=lead)  # the AI register: none, or 50 systems
    results.dashboard(latest)  # the framework's content is loaded once per process, then cached
    client = client_for(lead)
    with django_assert_num_queries(QUERIES_REPORT):
        response = client.get(report_url(latest))
    assert response.status_code == 200
    with django_assert_num_queries(QUERIES_REPORT_KEPT):
        assert client.get(report_url(latest)).content == response.content
    if actions == 200:  # 100 open, 50 done recently, 50 dropped: the lists are capped, and say so
        text = pdf_flat(pdf_pages(response.content))
        assert "60 more open actions are not listed here" in text
        assert "30 more done actions are not listed here" in text
        assert "Open actions (100)" in text


def test_a_viewer_of_a_museum_with_an_empty_draft_gets_a_report(
    client_for, viewer, museum_a, lead, framework
):
    from assessment import answers

    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    assert Membership.objects.get(user=viewer).role == Role.VIEWER
    response = client_for(viewer).get(report_url(draft))
    pages = pdf_pages(response.content)
    assert "draft preview" in pages[0]
    assert "Not scored yet" in pdf_flat(pages)


def test_css_strings_cannot_leave_their_quotes_or_the_style_element():
    text = css_string('Musée "d\'Art" </style><script>\\')
    assert '"' not in text and "<" not in text and "\\" in text and "Musée" in text
    assert text.startswith("Musée \\22 d\\27 Art\\22  \\3c ")


def test_the_footer_counts_pages_in_the_readers_language():
    assert page_numbers_css() == '"Page " counter(page) " of " counter(pages)'
    with translation.override("fr"):
        value = page_numbers_css()
    assert "counter(page)" in value and "counter(pages)" in value


def test_the_renderer_fetches_nothing_from_the_network_or_the_disk(monkeypatch):
    """Only ``data:`` URLs are read: an image or a stylesheet anywhere else is left out, never fetched."""
    import urllib.request

    from assessment.report import pdf_render

    opened = []
    real_open = urllib.request.OpenerDirector.open

    def open_and_note(self, request, *args, **kwargs):
        opened.append(getattr(request, "full_url", request))
        return real_open(self, request, *args, **kwargs)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", open_and_note)
    pdf = pdf_render(
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"><p>Hello</p>'
        '<img src="https://example.org/x.png"><img src="file:///etc/hostname"><img src="/static/favicon.svg">'
        '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E">',
        base_url="http://testserver/",
    )
    assert [url for url in opened if not url.startswith("data:")] == []
    assert len(opened) == 1  # the data: image, read from the page itself
    assert "Hello" in pdf_flat(pdf_pages(pdf))


def test_a_kept_report_is_made_again_when_the_plan_changes(client_for, lead, museum_a, framework):
    latest = submitted_assessment(museum_a, lead, lambda q: 2)
    client = client_for(lead)
    before = client.get(report_url(latest)).content
    plan.action_create(
        museum=museum_a,
        user=lead,
        data=plan.ActionInput(title="Brief the board on the register", due_date=timezone.localdate()),
    )
    after = client.get(report_url(latest)).content
    assert after != before
    assert "Brief the board on the register" in pdf_flat(pdf_pages(after))

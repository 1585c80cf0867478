"""The PDF report for a museum's board: the results page's answer first, the action plan, and on
request the full detail per area, rendered on the server with WeasyPrint.

The numbers are the results dashboard's (``results.dashboard``), written with the same filters, and
the charts are drawn here as SVG from the numbers as the page shows them (``charts.py``): no browser,
no JavaScript. The plan's actions are read in three queries whatever the plan's size: the open ones
by due date and the ones done in the last twelve months, each list capped (the report says how many
it leaves out).

WeasyPrint fetches nothing: its URL fetcher accepts only ``data:`` URLs, the stylesheet is read from
disk through the static files finders, and the fonts are the system's (DejaVu, installed by
``make pdf``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.contrib.staticfiles import finders
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language, gettext

from assessment import charts
from assessment.display import score_shown, score_text
from assessment.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionStatus,
    AiSystem,
    Assessment,
    add_months,
    target_date_default,
)
from assessment.plan import PLAN_ORDER, PlanRow
from assessment.results import Dashboard, dashboard
from recommendations.register_rules import rules_digest

REPORT_CSS = "css/report.css"
# The plan as the report lists it: enough for a board to read, the rest in the plan's own page.
OPEN_ACTIONS_SHOWN = 40
DONE_ACTIONS_SHOWN = 20
DONE_WITHIN_MONTHS = 12


@dataclass(frozen=True)
class PlanExcerpt:
    open_actions: list[PlanRow]
    open_total: int
    done_actions: list[PlanRow]
    done_total: int
    done_since: date

    @property
    def open_left_out(self) -> int:
        return self.open_total - len(self.open_actions)

    @property
    def done_left_out(self) -> int:
        return self.done_total - len(self.done_actions)


@dataclass(frozen=True)
class Report:
    board: Dashboard
    plan: PlanExcerpt
    radar: SafeString
    area_bars: SafeString
    appendix: bool
    today: date
    # A target's date when none was chosen; the table names only the dates chosen otherwise.
    default_target_date: date

    @property
    def has_targets(self) -> bool:
        return any(row.result.target is not None for row in self.board.dimensions)

    @property
    def targets_all_suggested(self) -> bool:
        """Every target is the suggested one (none set by the museum): said once, not on every row."""
        targets = [row.result for row in self.board.dimensions if row.result.target is not None]
        return bool(targets) and all(target.target_is_suggested for target in targets)


def plan_excerpt(museum_id: int, today: date) -> PlanExcerpt:
    """The open actions by due date (undated last) and those done since twelve months ago, newest first.

    Three queries, whatever the plan's size: the two counts, then each capped list.
    """
    since = add_months(today, -DONE_WITHIN_MONTHS)
    actions = Action.objects.for_museum(museum_id)
    done_recently = Q(status=ActionStatus.DONE, done_on__gte=since)
    counts = actions.order_by().aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_ACTION_STATUSES)), done=Count("pk", filter=done_recently)
    )
    open_shown = actions.open().order_by(*PLAN_ORDER)[:OPEN_ACTIONS_SHOWN]
    done_shown = actions.filter(done_recently).order_by("-done_on", "-pk")[:DONE_ACTIONS_SHOWN]
    return PlanExcerpt(
        open_actions=[PlanRow(action, action.is_overdue(today)) for action in open_shown],
        open_total=counts["open"],
        done_actions=[PlanRow(action, False) for action in done_shown],
        done_total=counts["done"],
        done_since=since,
    )


def _charts(board: Dashboard) -> tuple[SafeString, SafeString]:
    """The radar of the dimensions and the bars of the areas, at the values the page writes."""
    series = [
        charts.Series(
            gettext("Current"), [score_shown(row.result.score.value) for row in board.dimensions], "current"
        ),
        charts.Series(
            gettext("Target"),
            [None if row.result.target is None else float(row.result.target) for row in board.dimensions],
            "target",
        ),
    ]
    if board.previous is not None:
        series.append(
            charts.Series(
                gettext("Previous assessment"),
                [score_shown(row.previous.value if row.previous else None) for row in board.dimensions],
                "previous",
            )
        )
    radar = charts.radar(series, title=gettext("Score per dimension (0–4)"))
    area_bars = charts.bars(
        [
            charts.Bar(
                gettext("Area %(number)s") % {"number": area.number},
                score_shown(area_result.score.value),
                score_text(area_result.score.value),
            )
            for area, area_result in board.areas
        ],
        title=gettext("Score per area (0–4)"),
    )
    # Every text in them is escaped by charts.py.
    return mark_safe(radar), mark_safe(area_bars)


def report_compose(assessment: Assessment, *, appendix: bool, today: date) -> Report:
    """Everything the report prints: the dashboard, its charts and the plan's actions."""
    board = dashboard(assessment)
    radar, area_bars = _charts(board)
    return Report(
        board,
        plan_excerpt(assessment.museum_id, today),
        radar,
        area_bars,
        appendix,
        today,
        target_date_default(assessment),
    )


# A day: the report names today's date and judges coming duties and overdue actions on it.
REPORT_CACHE_SECONDS = 24 * 60 * 60


def report_cache_key(assessment: Assessment, *, appendix: bool, today: date) -> str | None:
    """The key a submitted assessment's PDF is kept under; ``None`` for a draft (its answers change).

    A PDF takes about a second of CPU to render. What it shows of a submitted assessment changes only
    with the plan (its actions' count and last change), the AI register (the same for its systems and
    their duties), the rules' version, the framework's content, the museum's details, the reader's
    language and the day: all in the key, in two queries.
    """
    if not assessment.is_submitted:
        return None
    plan = Action.objects.filter(museum_id=assessment.museum_id).aggregate(
        changed=Max("updated_at"), count=Count("pk")
    )
    # The register as it stands today is in the report too: its systems' and duties' last change.
    ai_register = AiSystem.objects.filter(museum_id=assessment.museum_id).aggregate(
        count=Count("pk", distinct=True),
        changed=Max("updated_at"),
        duties=Count("duty_statuses", distinct=True),
        duties_changed=Max("duty_statuses__updated_at"),
    )
    museum = assessment.museum
    parts = (
        assessment.pk,
        assessment.submitted_at,
        get_language(),
        appendix,
        today,
        plan["count"],
        plan["changed"],
        tuple(ai_register.values()),
        rules_digest(get_language() or "en"),
        assessment.framework.content_changed_at,
        museum.name,
        museum.city,
        museum.country,
    )
    return "report:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def report_file_name(assessment: Assessment, today: date) -> str:
    """``<museum>-ai-readiness-<date>.pdf``: the submission's date, or today's for a draft's preview."""
    day = timezone.localdate(assessment.submitted_at) if assessment.submitted_at else today
    return f"{slugify(assessment.museum.name) or 'museum'}-ai-readiness-{day.isoformat()}.pdf"


def css_string(text: str) -> SafeString:
    """``text`` as the inside of a CSS string: every character but letters, digits and spaces escaped,
    so a museum's name cannot end the string or the ``<style>`` element it is printed in."""
    return mark_safe("".join(char if char.isalnum() or char == " " else f"\\{ord(char):x} " for char in text))


def page_numbers_css() -> SafeString:
    """The footer's "Page 2 of 6" in the reader's language, as the value of a CSS ``content``."""
    values = []
    for part in re.split(r"(%\((?:page|pages)\)s)", gettext("Page %(page)s of %(pages)s")):
        if part == "%(page)s":
            values.append("counter(page)")
        elif part == "%(pages)s":
            values.append("counter(pages)")
        elif part:
            values.append(f'"{css_string(part)}"')
    return mark_safe(" ".join(values))


def _stylesheet() -> str:
    path = finders.find(REPORT_CSS)
    if not path:
        raise FileNotFoundError(f"The report's stylesheet {REPORT_CSS} is missing from the static files.")
    return Path(str(path)).read_text(encoding="utf-8")


def pdf_render(html: str, *, base_url: str) -> bytes:
    """The report's HTML as a PDF. ``base_url`` makes its relative links absolute (links, not fetches)."""
    import weasyprint  # imported when a report is made: it loads Pango, which no other page needs

    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",), timeout=1)
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(string=_stylesheet(), url_fetcher=fetcher)
    # Tagged: headings, lists and tables reach screen readers as such.
    return document.write_pdf(stylesheets=[stylesheet], pdf_tags=True)

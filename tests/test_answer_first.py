"""The results page answers first: where the museum stands, what moved, its duties, three priorities.

The priorities are pure (``scoring.priorities``): tested here without a request, then through the
page as a lead reads it, for a museum that uses AI and one that decided not to.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from assessment import answers, scoring
from assessment.models import Action, ActionStatus, AiStance, DimensionTarget
from assessment.scoring import AnswerValue, AreaSpec, DimensionSpec, FrameworkSpec, QuestionSpec
from recommendations.models import Dimension, Question
from tests.conftest import answer_all, results_url, submitted_assessment


def _framework() -> FrameworkSpec:
    """Four dimensions: a foundation, one whose question presumes AI in use, a legal duty, a light one."""
    return FrameworkSpec(
        areas=(
            AreaSpec(
                1,
                (
                    DimensionSpec(10, 3, (QuestionSpec(100, 1), QuestionSpec(101, 2)), foundation=True),
                    DimensionSpec(
                        11, 3, (QuestionSpec(110, 1, presumes_ai_in_use=True), QuestionSpec(111, 1))
                    ),
                ),
            ),
            AreaSpec(
                2,
                (
                    DimensionSpec(
                        20, 2, (QuestionSpec(200, 1, legal_duty=True, legal_reference="GDPR Art. 35"),)
                    ),
                    DimensionSpec(21, 1, (QuestionSpec(210, 1),), foundation=True),
                ),
            ),
        )
    )


def _priorities(answers: dict[int, AnswerValue], **stance) -> list[tuple[int, int, bool]]:
    framework = _framework()
    result = scoring.score_assessment(framework, answers)
    ranked = scoring.priorities(framework, result, answers, **stance)
    return [(p.dimension.dimension_id, p.question_id, p.flag is not None) for p in ranked]


LOW = {
    100: AnswerValue(0),
    101: AnswerValue(2),
    110: AnswerValue(0),
    111: AnswerValue(3),
    200: AnswerValue(1),
}


def test_a_legal_duty_comes_first_then_gaps_by_weight_one_per_dimension():
    ranked = _priorities({**LOW, 210: AnswerValue(0)}, uses_ai=True, foundations_only=False)
    assert ranked[0] == (20, 200, True)
    # Then the heaviest gaps; each dimension once, with its lowest answer as the next step.
    assert ranked[1:] == [(10, 100, False), (11, 110, False)]


def test_without_ai_no_priority_presumes_it_and_the_next_step_moves_to_another_question():
    ranked = _priorities({**LOW, 210: AnswerValue(0)}, uses_ai=False, foundations_only=False)
    assert (11, 110, False) not in ranked
    assert (11, 111, False) in ranked  # the same dimension, through a question that does not presume AI


def test_a_decision_not_to_use_ai_takes_priorities_from_the_foundations_and_keeps_legal_duties():
    ranked = _priorities({**LOW, 210: AnswerValue(0)}, uses_ai=False, foundations_only=True)
    assert ranked == [(20, 200, True), (10, 100, False), (21, 210, False)]


def test_at_most_three_and_none_at_the_top_level():
    every_four = {question: AnswerValue(4) for question in (100, 101, 110, 111, 200, 210)}
    assert _priorities(every_four, uses_ai=True, foundations_only=False) == []
    assert len(_priorities({**LOW, 210: AnswerValue(0)}, uses_ai=True, foundations_only=False)) == 3


def _page_text(client, assessment) -> str:
    page = client.get(results_url(assessment)).content.decode()
    return page


def _section(page: str, start: str, end: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page.split(start, 1)[1].split(end, 1)[0]))


def test_the_answer_first_names_level_areas_change_duties_and_three_priorities(
    client_for, lead, museum_a, framework
):
    submitted_assessment(museum_a, lead, lambda q: 1, days_ago=365)
    latest = submitted_assessment(museum_a, lead, lambda q: 1 if q.legal_duty else 2)
    page = _page_text(client_for(lead), latest)
    answer = _section(page, 'id="answer-first"', 'id="downloads-heading"')
    assert "Level 1 · Exploring" in answer
    for area in framework.recommendations.all():
        assert area.title in answer
    assert "Since the assessment of" in answer and "overall +" in answer
    assert "to look at now" in answer
    # Priorities: three, a legal duty first (every duty is at level 1), each with its next step.
    priorities = re.findall(r'<li class="priority', page)
    assert len(priorities) == 3
    assert "Legal duty" in answer.split("Three priorities")[1]
    assert answer.count("Next step:") == 3


def test_each_nemo_passage_is_quoted_once_and_every_gap_points_to_its_passages(
    client_for, lead, museum_a, framework
):
    latest = submitted_assessment(museum_a, lead, lambda q: 1)
    page = _page_text(client_for(lead), latest)
    quoted = re.findall(r'<figure class="quote[^"]*" id="passage-([^"]+)"', page)
    assert quoted and len(quoted) == len(set(quoted))
    assert page.count("<blockquote") == len(quoted)
    # Every priority's passage link lands on a quote on the page.
    for slug in re.findall(r'href="#passage-([^"]+)"', page):
        assert slug in quoted
    # A gap whose passages were quoted earlier refers to them instead of quoting them again, and the
    # quote is above the reference, as it says.
    assert "Serves the NEMO text quoted above:" in page
    gap_list = page.split('id="gaps-heading"', 1)[1]
    for reference in re.finditer(r"quoted above:(.*?)</p>", gap_list, re.S):
        for slug in re.findall(r'href="#passage-([^"]+)"', reference.group(1)):
            assert gap_list.index(f'id="passage-{slug}"') < reference.start(), slug


def test_a_museum_that_decided_not_to_use_ai_reads_a_stance_and_gets_foundation_priorities(
    client_for, lead, museum_a, framework
):
    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    answer_all(draft, lead, lambda q: 0 if q.presumes_ai_in_use else 1)
    answers.ai_stance_record(
        assessment=draft,
        user=lead,
        stance=AiStance.NOT_BY_DECISION,
        reasons="No budget to govern it well yet.",
    )
    answers.assessment_submit(assessment=draft, user=lead)
    page = _page_text(client_for(lead), draft)
    answer = _section(page, 'id="answer-first"', 'id="downloads-heading"')
    assert "decided not to use AI for now" in answer
    assert "Level 1 · Exploring" not in answer  # the level is there, but not as the headline
    assert re.search(r"Overall readiness: level \d · [^,]+, [\d.]+ out of 4", " ".join(answer.split())), (
        answer
    )

    titles = re.findall(r'<li class="priority[^>]*>\s*<strong>([^<]+)</strong>', page)
    foundations = set(
        Dimension.objects.filter(recommendation__framework=framework, foundation=True).values_list(
            "title", flat=True
        )
    )
    assert len(titles) == 3
    # No duty is flagged at level 1 for AI in use (none is in use); the rest come from the foundations.
    flagged_titles = {t for t in titles if t not in foundations}
    duty_dimensions = set(
        Question.objects.filter(dimension__recommendation__framework=framework, legal_duty=True).values_list(
            "dimension__title", flat=True
        )
    )
    assert flagged_titles <= duty_dimensions
    presuming = Question.objects.filter(dimension__recommendation__framework=framework).filter(
        Q(presumes_ai_in_use=True) | Q(only_if_ai_in_use=True)
    )
    priorities = _section(page, 'id="priorities-heading"', "</ol>")
    gap_list = page.split('id="gaps-heading"', 1)[1]
    for question in presuming:
        assert f'?question={question.pk}"' not in priorities
        # Nor does the gap list give advice that presumes AI in use.
        assert f'#q-{question.pk}"' not in gap_list, question.slug
    assert "No budget to govern it well yet." in answer  # the reasons, with the stance


def test_re_assessment_shows_last_targets_their_date_what_was_reached_and_the_plan(
    client_for, lead, museum_a, framework
):
    earlier = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    answer_all(earlier, lead, lambda q: 1)
    dimension = Dimension.objects.filter(recommendation__framework=framework).order_by("pk").first()
    answers.assessment_submit(assessment=earlier, user=lead)
    DimensionTarget.objects.update_or_create(
        assessment=earlier,
        dimension=dimension,
        defaults={"level": 2, "target_date": timezone.localdate() + timedelta(days=30)},
    )
    Action.objects.create(
        museum=museum_a,
        title="Write the policy",
        dimension=dimension,
        status=ActionStatus.DONE,
        done_on=timezone.localdate(),
    )
    Action.objects.create(museum=museum_a, title="Train the staff", dimension=dimension)
    latest = submitted_assessment(museum_a, lead, lambda q: 2)
    page = _page_text(client_for(lead), latest)
    table = _section(page, 'id="targets-review"', "</table>")
    row = table.split(dimension.title, 1)[1]
    cells = row.split()
    assert "2" in cells[:2]  # last time's target
    assert (timezone.localdate() + timedelta(days=30)).strftime("%-d %B %Y") in row
    assert "Yes" in row  # reached: level 2 now
    assert " 1 " in row  # one action done, one open
    # The target the museum chose reads as chosen; a dimension without one shows last time's
    # suggestion as a suggestion, not as a target the museum missed.
    other = Dimension.objects.filter(recommendation__framework=framework).order_by("pk")[1]
    assert "(suggested)" not in row.split(other.title, 1)[0]
    assert table.split(other.title, 1)[1].split()[1] == "(suggested)"

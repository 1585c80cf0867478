"""The sector summary equals a recomputation from scratch, after every real change.

``recomputed()`` below works out, with plain loops over museums, assessments, scores and
answers, what each ``SectorResult`` row must hold; it shares nothing with assessment/sector.py
but the codes an answer column holds and the column numbers given to each area, dimension and question
(``SectorSlot``). Museums submit, assess again, move country, opt out and in, and are deleted,
through the services and views people use; after each step the table must equal it.
"""

from __future__ import annotations

import datetime
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from assessment import answers
from assessment.models import (
    SECTOR_ITEM_SLOTS,
    SECTOR_QUESTION_SLOTS,
    SECTOR_SCORE_SCALE,
    AreaScore,
    Assessment,
    AssessmentStatus,
    DimensionScore,
    Museum,
    SectorResult,
    SectorSlot,
)
from assessment.sector import ANSWER_EXEMPT, ANSWER_NOT_APPLICABLE, ANSWER_UNANSWERED
from recommendations.models import FrameworkVersion, Question
from tests.conftest import make_museum, make_user, questions_of

BRUSSELS = ZoneInfo("Europe/Brussels")
COLUMNS = [field.attname for field in SectorResult._meta.concrete_fields if field.name != "id"]


def on(year: int, month: int = 6, day: int = 15, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=BRUSSELS)


# --- The recomputation from scratch -------------------------------------------------------


def answer_value(answer) -> int:
    if answer is None:
        return ANSWER_UNANSWERED
    if answer.duty_exemption:
        return ANSWER_EXEMPT
    if answer.not_applicable:
        return ANSWER_NOT_APPLICABLE
    return ANSWER_UNANSWERED if answer.level is None else answer.level


def recomputed() -> dict[tuple[int, int], dict[str, Any]]:
    """Per museum counted and year: its latest submitted assessment that year, as a summary row."""
    slots = {(slot.kind, slot.slug): slot.number for slot in SectorSlot.objects.all()}
    rows = {}
    for museum in Museum.objects.all():
        if not museum.in_sector_figures:
            continue
        submitted = sorted(
            Assessment.objects.filter(museum=museum, status=AssessmentStatus.SUBMITTED),
            key=lambda assessment: (assessment.submitted_at, assessment.pk),
        )
        last_of_year = {
            assessment.submitted_at.astimezone(BRUSSELS).year: assessment for assessment in submitted
        }
        for year, assessment in last_of_year.items():
            row: dict[str, Any] = dict.fromkeys(COLUMNS)
            row.update(
                museum_id=museum.pk,
                assessment_id=assessment.pk,
                year=year,
                latest=assessment == submitted[-1],
                country=museum.country.code,
                museum_type=museum.museum_type,
                size_band=museum.size_band,
                ai_stance=assessment.ai_stance,
                uses_ai=assessment.uses_ai,
                framework_version=assessment.framework.version,
                overall_score=assessment.overall_score,
                overall_level=assessment.overall_level,
            )
            for score in AreaScore.objects.filter(assessment=assessment).select_related("area"):
                number = slots[("area", score.area.slug)]
                row[f"score_{number}"], row[f"level_{number}"] = hundredths(score.score), score.level
            for score in DimensionScore.objects.filter(assessment=assessment).select_related("dimension"):
                number = slots[("dimension", score.dimension.slug)]
                row[f"score_{number}"], row[f"level_{number}"] = hundredths(score.score), score.level
            given = {answer.question_id: answer for answer in assessment.answers.all()}
            for question in Question.objects.filter(
                dimension__recommendation__framework=assessment.framework
            ):
                row[f"answer_{slots[('question', question.slug)]}"] = answer_value(given.get(question.pk))
            rows[(museum.pk, year)] = row
    return rows


def stored() -> dict[tuple[int, int], dict[str, Any]]:
    return {(row["museum_id"], row["year"]): row for row in SectorResult.objects.values(*COLUMNS)}


def assert_summary_is_recomputable() -> None:
    assert stored() == recomputed()
    # Areas and dimensions share the item columns: never two in one column.
    items = SectorSlot.objects.filter(kind__in=["area", "dimension"]).values_list("number", flat=True)
    assert len(items) == len(set(items)) and all(1 <= n <= SECTOR_ITEM_SLOTS for n in items)
    questions = SectorSlot.objects.filter(kind="question").values_list("number", flat=True)
    assert len(questions) == len(set(questions)) and all(1 <= n <= SECTOR_QUESTION_SLOTS for n in questions)


def hundredths(score: float | None) -> int | None:
    """An area's or dimension's score as the summary keeps it."""
    return None if score is None else round(score * SECTOR_SCORE_SCALE)


# --- Real operations ---------------------------------------------------------------------


def submit(
    museum,
    user,
    when: datetime.datetime,
    level_for=lambda question: 2,
    *,
    stance: str = "",
    exempt: tuple[str, ...] = (),
    not_applicable: tuple[str, ...] = (),
    unanswered: tuple[str, ...] = (),
) -> Assessment:
    """A draft started, answered and submitted at ``when``, as the museum's team does it."""
    with time_machine.travel(when, tick=False):
        draft = answers.assessment_start(museum=museum, user=user, copy_previous=False)
        if stance:
            answers.ai_stance_record(assessment=draft, user=user, stance=stance, reasons="Our board decided.")
        inputs = []
        for question in questions_of(draft):
            if question.slug in unanswered:
                continue
            if question.slug in exempt:
                reason = question.exemptions.values_list("slug", flat=True).first()
                inputs.append(answers.AnswerInput(question.pk, None, False, "", "", 0, duty_exemption=reason))
            elif question.slug in not_applicable:
                inputs.append(answers.AnswerInput(question.pk, None, True, "Not for us", "", 0))
            else:
                inputs.append(answers.AnswerInput(question.pk, level_for(question), False, "", "", 0))
        answers.answers_save(assessment=draft, user=user, inputs=inputs)
        answers.assessment_submit(assessment=draft, user=user)
    return Assessment.objects.get(pk=draft.pk)


def edit_museum(client, museum, **changes) -> None:
    """The museum's details saved on its edit page; ``in_sector_figures=False`` unticks the box."""
    data = {
        "name": museum.name,
        "country": museum.country.code,
        "city": museum.city,
        "museum_type": museum.museum_type,
        "size_band": museum.size_band,
        "website": museum.website,
        **changes,
    }
    counted = changes.get("in_sector_figures", museum.in_sector_figures)
    data.pop("in_sector_figures", None)
    if counted:  # an unticked box is not posted at all
        data["in_sector_figures"] = "on"
    response = client.post(reverse("assessment:museum_edit", args=[museum.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def duty_slugs(framework) -> list[str]:
    return list(
        Question.objects.filter(legal_duty=True, dimension__recommendation__framework=framework)
        .exclude(exemptions=None)
        .order_by("pk")
        .values_list("slug", flat=True)
    )


@pytest.fixture
def teams(framework):
    """Three museums, each with its lead: Brussels history, Utrecht art, Lyon science."""
    leads = [make_user(name) for name in ("ann", "bert", "chloe")]
    museums = [
        make_museum(leads[0], "Brussels History", country="BE", museum_type="history", size_band="small"),
        make_museum(
            leads[1], "Utrecht Art", country="NL", city="Utrecht", museum_type="art", size_band="large"
        ),
        make_museum(leads[2], "Lyon Science", country="FR", city="Lyon", museum_type="science_technology"),
    ]
    return list(zip(museums, leads, strict=True))


def test_the_summary_equals_a_recomputation_after_every_real_change(teams, framework, client_for, nemo_admin):
    (brussels, ann), (utrecht, bert), (lyon, chloe) = teams
    duties = duty_slugs(framework)
    assert len(duties) >= 3
    assert_summary_is_recomputable()

    submit(
        brussels,
        ann,
        on(2024, 3),
        lambda q: q.position % 5,
        stance="using",
        exempt=(duties[0],),
        not_applicable=(duties[1],),
        unanswered=(duties[2],),
    )
    submit(utrecht, bert, on(2024, 5), lambda q: 1, stance="not_by_decision")
    submit(lyon, chloe, on(2024, 9), lambda q: 4 if q.legal_duty else 0, stance="exploring")
    assert_summary_is_recomputable()
    row = stored()[(brussels.pk, 2024)]
    assert row["latest"] and row["ai_stance"] == "using" and row["uses_ai"] is True

    # Again in the same year: the newer one replaces it.
    again = submit(brussels, ann, on(2024, 11), lambda q: 3)
    assert_summary_is_recomputable()
    assert stored()[(brussels.pk, 2024)]["assessment_id"] == again.pk
    assert SectorResult.objects.filter(museum_id=brussels.pk).count() == 1

    # In another year: both years kept, only the newer is the latest.
    newest = submit(brussels, ann, on(2025, 2), lambda q: 4)
    assert_summary_is_recomputable()
    assert {
        (row.year, row.latest, row.assessment_id)
        for row in SectorResult.objects.filter(museum_id=brussels.pk)
    } == {
        (2024, False, again.pk),
        (2025, True, newest.pk),
    }

    # A draft started since never appears.
    draft = answers.assessment_start(museum=brussels, user=ann, copy_previous=True)
    assert_summary_is_recomputable()
    assert not SectorResult.objects.filter(assessment=draft).exists()

    # The museum moves country on its edit page: every year's row follows.
    edit_museum(client_for(bert), utrecht, country="BE", size_band="medium")
    assert_summary_is_recomputable()
    assert set(SectorResult.objects.filter(museum_id=utrecht.pk).values_list("country", "size_band")) == {
        ("BE", "medium")
    }

    # Opting out takes every row away; opting in again brings them back.
    edit_museum(client_for(chloe), lyon, in_sector_figures=False)
    assert_summary_is_recomputable()
    assert not SectorResult.objects.filter(museum_id=lyon.pk).exists()
    lyon.refresh_from_db()
    submit(lyon, chloe, on(2025, 4), lambda q: 2)  # submitted while out: still not counted
    assert not SectorResult.objects.filter(museum_id=lyon.pk).exists()
    edit_museum(client_for(chloe), lyon, in_sector_figures=True)
    assert_summary_is_recomputable()
    assert set(SectorResult.objects.filter(museum_id=lyon.pk).values_list("year", "latest")) == {
        (2024, False),
        (2025, True),
    }

    # A museum deleted (admin refuses while it has assessments, a record NEMO keeps; the database
    # can): its rows go with it.
    utrecht.delete()
    assert_summary_is_recomputable()
    assert SectorResult.objects.count() == 4  # Brussels 2024 and 2025, Lyon 2024 and 2025


def test_an_answer_column_says_answered_exempt_not_applicable_or_unanswered(teams, framework):
    (brussels, ann), *_others = teams
    first, second, third, fourth = duty_slugs(framework)[:4]
    assessment = submit(
        brussels,
        ann,
        on(2025),
        lambda q: 1,
        exempt=(first,),
        not_applicable=(second,),
        unanswered=(third,),
    )
    row = SectorResult.objects.get(assessment=assessment)
    column = {slot.slug: f"answer_{slot.number}" for slot in SectorSlot.objects.filter(kind="question")}
    assert getattr(row, column[first]) == ANSWER_EXEMPT
    assert getattr(row, column[second]) == ANSWER_NOT_APPLICABLE
    assert getattr(row, column[third]) == ANSWER_UNANSWERED
    assert getattr(row, column[fourth]) == 1
    assert_summary_is_recomputable()


def test_a_submission_on_new_years_eve_counts_in_the_year_it_was_in_brussels(teams):
    (brussels, ann), *_others = teams
    just_after_midnight = datetime.datetime(2024, 12, 31, 23, 30, tzinfo=datetime.UTC)  # 00:30 in Brussels
    submit(brussels, ann, just_after_midnight)
    assert list(SectorResult.objects.values_list("year", flat=True)) == [2025]
    assert_summary_is_recomputable()


def test_an_assessment_on_an_older_version_fills_the_columns_its_slugs_share(teams, framework):
    (brussels, ann), (utrecht, bert), _lyon = teams
    older = FrameworkVersion.objects.exclude(pk=framework.pk).get()
    FrameworkVersion.objects.update(is_current=False)
    FrameworkVersion.objects.filter(pk=older.pk).update(is_current=True)  # as before the new version
    old = submit(brussels, ann, on(2024), lambda q: 1)
    FrameworkVersion.objects.update(is_current=False)
    FrameworkVersion.objects.filter(pk=framework.pk).update(is_current=True)
    new = submit(utrecht, bert, on(2025), lambda q: 3)
    assert old.framework == older and new.framework == framework
    assert_summary_is_recomputable()
    rows = {row["assessment_id"]: row for row in SectorResult.objects.values()}
    shared = AreaScore.objects.filter(assessment=old).values_list("area__slug", flat=True)
    for slug in shared:
        number = SectorSlot.objects.get(kind="area", slug=slug).number
        assert (rows[old.pk][f"level_{number}"], rows[new.pk][f"level_{number}"]) == (1, 3)


def test_museums_with_only_a_draft_have_no_row(teams):
    (brussels, ann), (utrecht, bert), _lyon = teams
    draft = answers.assessment_start(museum=brussels, user=ann, copy_previous=False)
    answers.answers_save(
        assessment=draft,
        user=ann,
        inputs=[answers.AnswerInput(q.pk, 4, False, "", "", 0) for q in questions_of(draft)],
    )
    submit(utrecht, bert, on(2025))
    assert list(SectorResult.objects.values_list("museum_id", flat=True)) == [utrecht.pk]
    assert_summary_is_recomputable()


def test_rebuilding_gives_the_same_rows_and_repairs_a_stale_table(teams, client_for):
    (brussels, ann), (utrecht, bert), (lyon, chloe) = teams
    submit(brussels, ann, on(2024), lambda q: 1, stance="using")
    submit(brussels, ann, on(2025), lambda q: 2)
    submit(utrecht, bert, on(2025), lambda q: 3, stance="not_by_decision")
    submit(lyon, chloe, on(2023), lambda q: 4)
    answers.assessment_start(museum=utrecht, user=bert, copy_previous=True)  # a draft
    edit_museum(client_for(chloe), lyon, in_sector_figures=False)
    before = stored()

    out = io.StringIO()
    call_command("rebuild_sector_results", stdout=out)
    assert "Sector summary rebuilt: 3 rows." in out.getvalue()
    assert stored() == before == recomputed()

    # Rows gone wrong, missing or left over (say, written by hand) are put right.
    SectorResult.objects.filter(museum_id=brussels.pk, year=2025).update(country="ZZ", overall_level=0)
    SectorResult.objects.filter(museum_id=utrecht.pk).delete()
    lyon_assessment = Assessment.objects.get(museum=lyon)
    SectorResult.objects.create(
        museum=lyon,
        assessment=lyon_assessment,
        year=2023,
        latest=True,
        country="FR",
        museum_type="science_technology",
        size_band="small",
        framework_version="2.0",
    )
    call_command("rebuild_sector_results", stdout=io.StringIO())
    assert stored() == before == recomputed()


def test_a_refresh_that_changes_nothing_keeps_the_rows_as_they_were(teams, client_for):
    # The open data counts a museum as changed when its rows are written anew: a save of the museum
    # that changes none of its figures, or a rebuild, must not.
    (brussels, ann), (utrecht, bert), _lyon = teams
    submit(brussels, ann, on(2024), lambda q: 1)
    submit(utrecht, bert, on(2025), lambda q: 3)
    ids = set(SectorResult.objects.values_list("pk", flat=True))
    edit_museum(client_for(ann), brussels, name="Brussels Museum, renamed")
    call_command("rebuild_sector_results", stdout=io.StringIO())
    assert set(SectorResult.objects.values_list("pk", flat=True)) == ids
    submit(brussels, ann, on(2025), lambda q: 2)
    rewritten = set(SectorResult.objects.filter(museum=brussels).values_list("pk", flat=True))
    assert not rewritten & ids and SectorResult.objects.filter(museum=utrecht, pk__in=ids).exists()
    assert stored() == recomputed()


def test_an_area_and_a_dimension_with_the_same_slug_each_get_a_column(db):
    """Areas and dimensions share the numbered columns; a slug is given a column per kind."""
    from assessment.sector import slot_numbers

    dimension = slot_numbers("dimension", ["governance"])["governance"]
    area = slot_numbers("area", ["governance"])["governance"]
    assert area != dimension
    assert set(SectorSlot.objects.values_list("kind", "slug", "number")) == {
        ("dimension", "governance", dimension),
        ("area", "governance", area),
    }
    assert slot_numbers("area", ["governance"]) == {"governance": area}  # given once, then kept

"""From an assessment's answers to its stored scores, in one place.

``scoring.py`` computes (pure Python, no database). This module feeds it — the
framework's shape from the cached content, the answers, the targets — and
stores what it computed (scores and the levels reached, overall, per area and
per dimension) on the assessment and in ``AreaScore``/``DimensionScore`` rows.
Admin, exports, the sector overview and the dashboard's history read those
stored values, never a formula of their own.

Every write that changes answers or targets calls ``rescore`` inside its
transaction; ``manage.py rescore_assessments`` recomputes everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from assessment import scoring, sector
from assessment.models import Answer, AreaScore, Assessment, DimensionScore, DimensionTarget
from recommendations.content import framework_content, level_names
from recommendations.models import FrameworkVersion


def framework_spec(framework: FrameworkVersion) -> scoring.FrameworkSpec:
    """The shape scoring.py needs, built once per cached framework content and language.

    Per language because it carries the level names, which scores are named after.
    """
    memo = vars(framework)  # kept on the (cached) instance itself, which the model does not declare
    key = f"_scoring_spec_{translation.get_language()}"
    spec: scoring.FrameworkSpec | None = memo.get(key)
    if spec is None:
        spec = scoring.FrameworkSpec(
            areas=tuple(
                scoring.AreaSpec(
                    id=area.pk,
                    dimensions=tuple(
                        scoring.DimensionSpec(
                            id=dimension.pk,
                            weight=dimension.weight,
                            questions=tuple(
                                scoring.QuestionSpec(
                                    id=question.pk,
                                    weight=question.weight,
                                    legal_duty=question.legal_duty,
                                    legal_reference=question.legal_reference,
                                    duty_applies_from=question.duty_applies_from,
                                    only_if_ai_in_use=question.only_if_ai_in_use,
                                    presumes_ai_in_use=question.presumes_ai_in_use,
                                )
                                for question in dimension.questions.all()
                            ),
                            foundation=dimension.foundation,
                        )
                        for dimension in area.dimensions.all()
                    ),
                )
                for area in framework.recommendations.all()
            ),
            level_names=level_names(framework),
        )
        memo[key] = spec
    return spec


def values_of(assessment: Assessment) -> dict[int, scoring.AnswerValue]:
    """What scoring needs of an assessment's answers: the level, N/A or the duty's exemption (one query)."""
    return {
        question_id: scoring.AnswerValue(level, not_applicable, duty_exemption)
        for question_id, level, not_applicable, duty_exemption in Answer.objects.filter(
            assessment=assessment
        ).values_list("question_id", "level", "not_applicable", "duty_exemption")
    }


def result_of(
    assessment: Assessment,
    framework: FrameworkVersion,
    values: Mapping[int, scoring.AnswerValue],
) -> scoring.Result:
    """Scores and progress of an assessment whose answers are loaded (one query, for the targets).

    Legal duties are judged on today's date in the site's time zone: a duty whose date has come is
    flagged from that day on, with no change to the data.
    """
    targets = dict(DimensionTarget.objects.filter(assessment=assessment).values_list("dimension_id", "level"))
    return scoring.score_assessment(
        framework_spec(framework),
        values,
        targets,
        today=timezone.localdate(),
        uses_ai=assessment.uses_ai,
    )


@dataclass
class ScoredAssessment:
    framework: FrameworkVersion
    values: dict[int, scoring.AnswerValue]
    result: scoring.Result


def scored(assessment: Assessment) -> ScoredAssessment:
    """For pages: the framework content (cached), the answers' values, and the live scores.

    Two queries (answers, targets) once the content is cached; pass an
    assessment with ``framework`` selected.
    """
    framework = framework_content(assessment.framework)
    values = values_of(assessment)
    return ScoredAssessment(framework, values, result_of(assessment, framework, values))


def rescore(assessment: Assessment) -> scoring.Result:
    """Recompute an assessment's scores from its answers and targets, and store them (5 queries)."""
    framework = framework_content(assessment.framework)
    # What is stored is the record admin and NEMO's exports read: its legal references (the flags)
    # are in English, whoever saved and in whichever language.
    with translation.override(settings.LANGUAGE_CODE):
        result = result_of(assessment, framework, values_of(assessment))
    store([score_rows(assessment.pk, result)])
    if assessment.is_submitted:
        sector.refresh([assessment.museum_id])
    return result


@dataclass
class ScoreRows:
    """What scoring.py computed for one assessment, as the columns and rows that store it."""

    assessment_id: int
    fields: dict[str, Any]
    areas: list[AreaScore]
    dimensions: list[DimensionScore]


def _stored(score: scoring.Score) -> dict[str, Any]:
    """A score and the level it reached, always stored together."""
    return {"score": score.value, "level": score.level}


def score_rows(assessment_id: int, result: scoring.Result) -> ScoreRows:
    """A scoring result as stored columns and rows (no query)."""
    areas = [
        AreaScore(assessment_id=assessment_id, area_id=area.area_id, **_stored(area.score))
        for area in result.areas
    ]
    dimensions = [
        DimensionScore(
            assessment_id=assessment_id,
            dimension_id=dimension.dimension_id,
            target=dimension.target,
            gap=dimension.gap,
            **_stored(dimension.score),
        )
        for area in result.areas
        for dimension in area.dimensions
    ]
    fields = {
        "overall_score": result.overall.value,
        "overall_level": result.overall.level,
        "answered_count": result.progress.answered,
        "applicable_count": result.progress.applicable,
        "compliance_flags": "\n".join(flag.legal_reference for flag in result.compliance_flags),
    }
    return ScoreRows(assessment_id, fields, areas, dimensions)


def store(rows: list[ScoreRows]) -> None:
    """Write (or overwrite) stored scores in bulk."""
    for row in rows:
        Assessment.objects.filter(pk=row.assessment_id).update(**row.fields)
    upserts: list[tuple[type[AreaScore] | type[DimensionScore], str, list[Any], list[str]]] = [
        (AreaScore, "area", [area for row in rows for area in row.areas], ["score", "level"]),
        (
            DimensionScore,
            "dimension",
            [dimension for row in rows for dimension in row.dimensions],
            ["score", "level", "target", "gap"],
        ),
    ]
    for model, part, objects, stored_fields in upserts:
        model.objects.bulk_create(
            objects,
            update_conflicts=True,
            unique_fields=["assessment", part],
            update_fields=stored_fields,
            batch_size=2000,
        )

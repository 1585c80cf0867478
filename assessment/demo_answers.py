"""Varied, plausible answers for demo and benchmark data (not used by the product itself).

A museum gets a latent maturity that grows with its size; each dimension
shifts it a little (data work is usually ahead of AI governance), and each
answer adds noise. Some questions are not applicable, a few carry notes.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from assessment import scores, scoring
from assessment.models import AiStance, Answer, Assessment, AssessmentStatus, Museum, SizeBand
from recommendations.content import framework_content
from recommendations.models import FrameworkVersion, Question

SIZE_MATURITY: dict[str, float] = {
    SizeBand.MICRO: 0.9,
    SizeBand.SMALL: 1.3,
    SizeBand.MEDIUM: 1.8,
    SizeBand.LARGE: 2.3,
}
# Roughly what NEMO's members report: most use or explore AI, some have decided against it for now.
STANCE_MIX = [AiStance.USING] * 4 + [AiStance.EXPLORING] * 4 + [AiStance.NOT_BY_DECISION] * 2 + [""]
NOTES = [
    "Discussed at the last staff meeting.",
    "See the collections policy, section 4.",
    "Only the director knows about this so far.",
    "Part of the digitisation plan agreed with the region.",
    "We asked our museum association for a template.",
]


class AnswerGenerator:
    def __init__(self, framework: FrameworkVersion, rng: random.Random):
        self.framework = framework
        self.rng = rng
        self.questions = list(
            Question.objects.filter(dimension__recommendation__framework=framework).select_related(
                "dimension"
            )
        )
        self.content = framework_content(framework)
        self.spec = scores.framework_spec(self.content)
        dimension_ids = sorted({q.dimension_id for q in self.questions})
        self.dimension_shift = {dimension_id: rng.uniform(-0.8, 0.8) for dimension_id in dimension_ids}

    def score(self, answers: list[Answer]) -> scoring.Result:
        values = {a.question_id: scoring.AnswerValue(a.level, a.not_applicable) for a in answers}
        return scoring.score_assessment(self.spec, values)

    def museum_maturity(self, museum: Museum) -> float:
        return SIZE_MATURITY.get(museum.size_band, 1.2) + self.rng.uniform(-0.7, 0.7)

    def submitted_assessment(self, museum: Museum, round_number: int, rounds: int) -> Assessment:
        """The museum's n-th yearly assessment, oldest first."""
        submitted_at = timezone.now() - timedelta(
            days=365 * (rounds - round_number) - self.rng.randint(0, 120)
        )
        # Stances vary by museum and move towards AI over the years; taken from the position, not the
        # random generator, so that adding them left every generated answer as it was.
        stance = STANCE_MIX[(museum.pk * 3 + round_number) % len(STANCE_MIX)]
        return Assessment(
            museum=museum,
            framework=self.framework,
            ai_stance=stance,
            uses_ai=AiStance.uses_ai(stance),
            status=AssessmentStatus.SUBMITTED,
            created_at=submitted_at - timedelta(days=self.rng.randint(3, 40)),
            submitted_at=submitted_at,
        )

    def answers(
        self, assessment: Assessment, *, maturity: float, answered_by, share_answered: float = 1.0
    ) -> list[Answer]:
        answers = []
        for question in self.questions:
            if self.rng.random() > share_answered:
                continue
            not_applicable = self.rng.random() < 0.06
            level = None
            if not not_applicable:
                raw = maturity + self.dimension_shift[question.dimension_id] + self.rng.gauss(0, 0.8)
                level = max(0, min(4, round(raw)))
            answers.append(
                Answer(
                    assessment=assessment,
                    question=question,
                    level=level,
                    not_applicable=not_applicable,
                    not_applicable_reason="We do not do this at all." if not_applicable else "",
                    note=self.rng.choice(NOTES) if self.rng.random() < 0.15 else "",
                    answered_by=answered_by,
                    answered_at=assessment.submitted_at or timezone.now(),
                )
            )
        return answers


def answers_create(answers: list[Answer]) -> None:
    """Insert answers in bulk with their history, as if each had been saved by the person who gave it.

    Without a history row, a colleague's later change to a seeded answer could
    not be merged with the version the person had seen: answers.py would show
    it as a conflict (and the answer's history would be empty).
    """
    for answer in answers:
        # django-simple-history reads these per object; the defaults would be "now" and nobody.
        answer._history_date = answer.answered_at  # type: ignore[attr-defined]
        answer._history_user = answer.answered_by  # type: ignore[attr-defined]
    bulk_create_with_history(answers, Answer, batch_size=5000, default_change_reason="demo data")

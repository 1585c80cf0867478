"""Scoring is pure: hand-computed cases and properties, no database, no request."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.scoring import (
    AnswerValue,
    AreaSpec,
    DimensionSpec,
    FrameworkSpec,
    QuestionSpec,
    score_assessment,
)

NAMES = ("Not started", "Exploring", "Managed", "Integrated", "Leading")


def small_framework() -> FrameworkSpec:
    """Two areas; area 1 has dimensions 10 (weight 2) and 20 (weight 1); area 2 has dimension 30."""
    return FrameworkSpec(
        areas=(
            AreaSpec(
                1,
                (
                    DimensionSpec(10, 2, (QuestionSpec(101, 1), QuestionSpec(102, 3, True, "AI Act Art. 4"))),
                    DimensionSpec(20, 1, (QuestionSpec(201, 1), QuestionSpec(202, 1))),
                ),
            ),
            AreaSpec(2, (DimensionSpec(30, 1, (QuestionSpec(301, 2), QuestionSpec(302, 1))),)),
        ),
        level_names=NAMES,
    )


def level(n: int) -> AnswerValue:
    return AnswerValue(level=n)


NA = AnswerValue(not_applicable=True)


def test_the_worked_example_of_docs_scoring_md():
    answers = {101: level(3), 102: level(1), 201: level(4), 202: NA, 301: level(2), 302: level(4)}
    result = score_assessment(small_framework(), answers)
    area_1, area_2 = result.areas
    # Dimension 10: (3×1 + 1×3) / (1 + 3) = 1.5; dimension 20: only 201 applies → 4.0.
    assert area_1.dimensions[0].score.value == pytest.approx(1.5)
    assert area_1.dimensions[1].score.value == pytest.approx(4.0)
    # Area 1: (1.5×2 + 4.0×1) / 3 = 2.333…; area 2: (2×2 + 4×1) / 3 = 2.666…
    assert area_1.score.value == pytest.approx(7 / 3)
    assert area_2.score.value == pytest.approx(8 / 3)
    # Overall: mean of the areas = 2.5 → 63 %, "Managed" (level 2 fully reached).
    assert result.overall.value == pytest.approx(2.5)
    assert result.overall.percent == 63
    assert result.overall.level_name == "Managed"
    # The legal-duty question 102 answered 1 raises a compliance flag.
    assert [(f.question_id, f.level, f.legal_reference) for f in result.compliance_flags] == [
        (102, 1, "AI Act Art. 4")
    ]
    # Default targets: level reached + 1. Gaps: dimension 10: 2 − 1.5 = 0.5 (priority 1.0, flagged first);
    # dimension 30: 3 − 2.67 = 0.33; dimension 20 is at 4 with target 4: no gap.
    assert [d.dimension_id for d in result.gaps] == [10, 30]
    assert result.gaps[0].target == 2 and result.gaps[0].priority == pytest.approx(1.0)
    assert result.dimension(20).gap == 0
    assert result.dimension(10).weakest_question_ids == (102,)


def test_a_dimension_with_nothing_applicable_is_not_scored_not_zero():
    result = score_assessment(small_framework(), {201: NA, 202: NA, 101: level(2)})
    dimension_20 = result.dimension(20)
    assert not dimension_20.score.is_scored
    assert dimension_20.score.percent is None
    assert dimension_20.target is None
    # Area 1 is scored from dimension 10 alone; area 2 is not scored; overall is area 1.
    assert result.areas[0].score.value == pytest.approx(2.0)
    assert not result.areas[1].score.is_scored
    assert result.overall.value == pytest.approx(2.0)


def test_nothing_answered_scores_nothing():
    result = score_assessment(small_framework(), {})
    assert not result.overall.is_scored
    assert result.progress.answered == 0 and result.progress.total == 6
    assert result.gaps == ()


def test_explicit_targets_override_the_default_and_zero_gap_is_no_gap():
    answers = {101: level(2), 102: level(2)}
    result = score_assessment(small_framework(), answers, targets={10: 4})
    assert result.dimension(10).gap == pytest.approx(2.0)
    assert result.dimension(10).priority == pytest.approx(4.0)
    lowered = score_assessment(small_framework(), answers, targets={10: 1})
    assert lowered.dimension(10).gap == 0


def test_a_legal_duty_answered_not_applicable_raises_no_flag():
    assert score_assessment(small_framework(), {102: NA}).compliance_flags == ()
    assert score_assessment(small_framework(), {102: level(2)}).compliance_flags == ()
    assert len(score_assessment(small_framework(), {102: level(0)}).compliance_flags) == 1


def test_progress_counts_answered_out_of_applicable():
    result = score_assessment(small_framework(), {101: level(0), 201: NA})
    assert (result.progress.answered, result.progress.applicable, result.progress.percent) == (1, 5, 20)
    assert result.progress.unanswered == 4


# --- Properties ---------------------------------------------------------------

answer_values = st.one_of(
    st.builds(AnswerValue, level=st.integers(0, 4)), st.just(NA), st.just(AnswerValue())
)
QUESTION_IDS = [101, 102, 201, 202, 301, 302]
answer_sets = st.dictionaries(st.sampled_from(QUESTION_IDS), answer_values)


def all_scores(result):
    yield result.overall
    for area in result.areas:
        yield area.score
        for dimension in area.dimensions:
            yield dimension.score


@given(answer_sets)
def test_scores_stay_within_bounds(answers):
    for score in all_scores(score_assessment(small_framework(), answers)):
        if score.is_scored:
            assert 0 <= score.value <= 4
            assert 0 <= score.percent <= 100
            assert score.level_name in NAMES


@given(answer_sets, st.sampled_from(QUESTION_IDS))
def test_not_applicable_never_lowers_a_score(answers, question_id):
    """Marking a question N/A instead of leaving it unanswered changes no score (it only counts as done)."""
    without = {k: v for k, v in answers.items() if k != question_id}
    before = score_assessment(small_framework(), without)
    after = score_assessment(small_framework(), {**without, question_id: NA})
    for old, new in zip(all_scores(before), all_scores(after), strict=True):
        assert old.value == new.value


@given(answer_sets, st.sampled_from(QUESTION_IDS), st.integers(0, 4), st.integers(0, 4))
def test_raising_one_answer_never_lowers_any_score(answers, question_id, low, high):
    low, high = min(low, high), max(low, high)
    before = score_assessment(small_framework(), {**answers, question_id: level(low)})
    after = score_assessment(small_framework(), {**answers, question_id: level(high)})
    for old, new in zip(all_scores(before), all_scores(after), strict=True):
        if old.is_scored:
            assert new.value >= old.value - 1e-9

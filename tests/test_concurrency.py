"""Two colleagues saving at once lose nothing: real threads on the real database.

Runs on SQLite (the default) and on PostgreSQL when DATABASE_URL points there
(CI runs both).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from assessment import answers
from assessment.models import Answer
from recommendations.models import Question

THREADS = 8


def run_at_once(work) -> list[object]:
    """Run ``work(index)`` in THREADS threads released together; return each result or exception."""
    barrier = threading.Barrier(THREADS)
    outcomes: list[object] = [None] * THREADS

    def thread_body(index: int) -> None:
        try:
            barrier.wait()
            outcomes[index] = work(index)
        except Exception as error:  # reported by the caller's assertions
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=thread_body, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_answer_keep_exactly_the_first(framework, museum_a, lead, editor):
    assessment = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    question = Question.objects.filter(dimension__recommendation__framework=framework).first()

    def colleague(index: int):
        return answers.answers_save(
            assessment=assessment,
            user=editor if index % 2 else lead,
            # Every colleague loaded the page before anyone saved (version 0).
            inputs=[answers.AnswerInput(question.pk, index % 5, False, "", f"thread {index}", 0)],
        )

    outcomes = run_at_once(colleague)
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert not errors, errors
    saved = [o for o in outcomes if o.saved == 1]
    conflicted = [o for o in outcomes if o.conflicts]
    assert (len(saved), len(conflicted)) == (1, THREADS - 1)
    answer = Answer.objects.get(assessment=assessment, question=question)
    assert answer.version == 1
    winner = outcomes.index(saved[0])
    assert answer.note == f"thread {winner}"
    assert all(o.conflicts[0].current.note == answer.note for o in conflicted)
    assert Answer.history.filter(id=answer.pk).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_different_answers_all_land(framework, museum_a, lead):
    assessment = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    questions = list(Question.objects.filter(dimension__recommendation__framework=framework)[:THREADS])

    def colleague(index: int):
        return answers.answers_save(
            assessment=assessment,
            user=lead,
            inputs=[answers.AnswerInput(questions[index].pk, 2, False, "", "", 0)],
        )

    errors = [o for o in run_at_once(colleague) if isinstance(o, Exception)]
    assert not errors
    assert Answer.objects.filter(assessment=assessment).count() == THREADS

"""Hypothesis throws arbitrary answer posts at the questionnaire: never a server error."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment import services
from recommendations.models import Question

FIELD_SUFFIXES = ["value", "reason", "note", "version"]
weird_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        ["", "0", "4", "5", "-1", "na", "NA", "1.5", "99999999999999999999", " 2 ", "<script>", "\x00"]
    ),
    st.text(min_size=4990, max_size=5010, alphabet="ab"),
)


@pytest.fixture
def area_setup(framework, museum_a, lead, editor, client_for):
    assessment = services.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    question_ids = list(
        Question.objects.filter(
            dimension__recommendation__framework=framework, dimension__recommendation__number=1
        ).values_list("pk", flat=True)
    )
    url = reverse("assessment:area", args=[museum_a.pk, assessment.pk, 1])
    return client_for(editor), url, question_ids


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_answer_post_gets_a_clear_response(area_setup, data):
    client, url, question_ids = area_setup
    keys = st.one_of(
        st.builds(
            lambda q, s: f"q{q}-{s}",
            st.sampled_from([*question_ids, 0, 10**12]),
            st.sampled_from(FIELD_SUFFIXES),
        ),
        st.text(max_size=20),
    )
    post = data.draw(st.dictionaries(keys, weird_text, max_size=12))
    response = client.post(url, post)
    assert response.status_code in (302, 400, 409)
    if response.status_code == 400:
        assert "Nothing was saved yet" in response.content.decode()


def test_a_body_that_is_not_utf8_is_refused_clearly(area_setup):
    client, url, _question_ids = area_setup
    response = client.post(
        url, data=b"q1-value=\xff\xfe\xfd&q1-note=\xc3\x28", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (302, 400)

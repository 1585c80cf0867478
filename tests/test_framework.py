from __future__ import annotations

import copy
import datetime
import io
import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import reverse

from recommendations.datafile import DATA_FILE, DATA_FILES, FrameworkDataError, load, read_data_file
from recommendations.models import FrameworkVersion, PolicyPassage, Question, Recommendation

SOURCES = Path(__file__).resolve().parent.parent / "recommendations" / "sources"
SOURCE_FILES = {
    "recommendations": SOURCES / "nemo-policy-recommendations-2024-03-20.txt",
    "conference": SOURCES / "nemo-conference-summary-2024-03-20.txt",
}
TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    """Whitespace collapsed, curly quotes and dashes made plain: what a quote may differ by."""
    text = unicodedata.normalize("NFC", text).translate(TYPOGRAPHY)
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def data() -> dict:
    return read_data_file()


@pytest.fixture(scope="module", params=DATA_FILES, ids=lambda path: path.name)
def each_version(request) -> dict:
    """Every published version's data file: each is shown to the museums whose assessments use it."""
    return read_data_file(request.param)


def test_every_passage_is_quoted_verbatim_from_its_source(each_version):
    sources = {key: normalise(path.read_text(encoding="utf-8")) for key, path in SOURCE_FILES.items()}
    drifted = [
        p["slug"] for p in each_version["passages"] if normalise(p["text"]) not in sources[p["source"]]
    ]
    assert not drifted, f"passages not found verbatim in their source: {drifted}"


def test_every_recommendation_text_is_quoted_verbatim(each_version):
    source = normalise(SOURCE_FILES["recommendations"].read_text(encoding="utf-8"))
    for recommendation in each_version["recommendations"]:
        assert normalise(recommendation["policy_text"]) in source, recommendation["slug"]


def _questions(data: dict) -> list[dict]:
    return [q for r in data["recommendations"] for d in r["dimensions"] for q in d["questions"]]


# "from 2 Dec 2027", "from 2 December 2027": a date a duty starts to apply, as legal references give it.
APPLIES_FROM = re.compile(r"\bfrom (\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* (\d{4})")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def test_every_legal_duty_names_its_law_and_every_dated_duty_its_date(each_version):
    published = each_version["framework"]["date"]
    for question in _questions(each_version):
        slug = question["slug"]
        if not question["legal_duty"]:
            assert not {"duty_applies_from", "only_if_ai_in_use", "does_not_apply_reasons"} & set(question), (
                slug
            )
            continue
        assert question["legal_reference"].strip(), f"{slug}: a legal duty without its legal reference"
        starts = [
            datetime.date(int(year), MONTHS.index(month) + 1, int(day))
            for day, month, year in APPLIES_FROM.findall(question["legal_reference"])
        ]
        later = [day for day in starts if day > published]
        applies_from = question.get("duty_applies_from")
        if applies_from is not None:
            assert applies_from in starts, f"{slug}: its reference must say from when the duty applies"
            assert applies_from.strftime("%-d %B %Y") in question["why"], (
                f"{slug}: the why must give the date"
            )
        elif later:
            # A later date for part of a duty in force (new bans within Art. 5) is fine, if the text says so.
            assert any(day.strftime("%-d %B %Y") in question["why"] for day in later), slug


def test_dated_duty_checks_catch_a_missing_date(data):
    tampered = copy.deepcopy(data)
    dated = next(q for q in _questions(tampered) if q.get("duty_applies_from"))
    del dated["duty_applies_from"]
    dated["why"] = dated["why"].replace("2 December 2027", "a later date")
    with pytest.raises(AssertionError):
        test_every_legal_duty_names_its_law_and_every_dated_duty_its_date(tampered)


def test_the_loader_refuses_duty_fields_outside_legal_duties(empty_db, data):
    tampered = copy.deepcopy(data)
    question = next(q for q in _questions(tampered) if not q["legal_duty"])
    question["duty_applies_from"] = datetime.date(2030, 1, 1)
    question["does_not_apply_reasons"] = [{"slug": "never", "text": "We never do this."}]
    with pytest.raises(FrameworkDataError, match="duty_applies_from is only for legal duties"):
        load(tampered)
    legal = next(q for q in _questions(copy.deepcopy(data)) if q["legal_duty"])
    broken = copy.deepcopy(data)
    next(q for q in _questions(broken) if q["slug"] == legal["slug"])["legal_reference"] = ""
    with pytest.raises(FrameworkDataError, match="legal_reference is required"):
        load(broken)


def test_passages_are_attributed_to_their_document(data):
    for passage in data["passages"]:
        expected = (
            "Policy recommendations" if passage["source"] == "recommendations" else "conference summary"
        )
        assert expected in passage["attribution"], passage["slug"]


def test_the_quote_check_catches_a_drifted_quote(data):
    source = normalise(SOURCE_FILES["recommendations"].read_text(encoding="utf-8"))
    tampered = data["recommendations"][0]["policy_text"].replace("pillars of trust", "pillars of truth")
    assert normalise(tampered) not in source


def test_content_meets_the_framework_brief(data):
    recommendations = data["recommendations"]
    assert [r["number"] for r in recommendations] == [1, 2, 3]
    assert all(len(r["dimensions"]) >= 3 for r in recommendations)
    dimensions = [d for r in recommendations for d in r["dimensions"]]
    questions = [q for d in dimensions for q in d["questions"]]
    assert len(dimensions) >= 12
    assert len(questions) >= 45
    legal = [q for q in questions if q["legal_duty"]]
    assert len(legal) >= 8
    assert all(q["legal_reference"] for q in legal)
    for question in questions:
        assert len(set(question["levels"])) == 5, f"{question['slug']}: five different level descriptors"
        assert question["passages"], question["slug"]
    used = {slug for q in questions for slug in q["passages"]} | {
        s for r in recommendations for s in r["passages"]
    }
    assert used == {p["slug"] for p in data["passages"]}, "every passage is used somewhere"
    text = json.dumps(data, default=str).lower()
    for topic in [
        "eu ai act",
        "art. 5",
        "art. 50",
        "gdpr",
        "2019/790",
        "iiif",
        "lido",
        "cidoc crm",
        "fair",
        "care",
        "ai4culture",
        "data space",
        "collaborative cloud",
        "open source",
        "oral histor",
    ]:
        assert topic in text, f"the framework does not mention {topic!r}"


@pytest.fixture
def empty_db(db):
    """No framework loaded (the session's preloaded one is removed, then restored by the rollback)."""
    FrameworkVersion.objects.all().delete()


def test_load_framework_is_idempotent(empty_db):
    out = io.StringIO()
    call_command("load_framework", stdout=out)
    assert "loaded" in out.getvalue()
    counts = (Recommendation.objects.count(), Question.objects.count(), PolicyPassage.objects.count())
    out = io.StringIO()
    call_command("load_framework", stdout=out)
    assert out.getvalue().count("nothing changed") == len(DATA_FILES)
    assert (Recommendation.objects.count(), Question.objects.count(), PolicyPassage.objects.count()) == counts
    # Every published version is there, and the newest is the one new assessments start on.
    assert FrameworkVersion.objects.count() == len(DATA_FILES)
    assert FrameworkVersion.objects.current().version == read_data_file(DATA_FILE)["framework"]["version"]


def test_a_bad_data_file_gives_a_clear_error(empty_db, tmp_path, data):
    broken = copy.deepcopy(data)
    broken["recommendations"][0]["dimensions"][0]["questions"][0]["passages"] = ["no-such-passage"]
    broken["recommendations"][0]["dimensions"][0]["questions"][0]["levels"] = ["only one"]
    broken["recommendations"][1]["number"] = 4
    path = tmp_path / "framework.yaml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("load_framework", file=path)
    assert "unknown passage 'no-such-passage'" in str(error.value)
    assert "needs exactly 5 level descriptors" in str(error.value)
    assert "recommendations must be numbered 1 to 3 in order, not [1, 4, 3]" in str(error.value)
    assert not FrameworkVersion.objects.exists()
    path.write_bytes(b"\xff\xfe not yaml")
    with pytest.raises(FrameworkDataError, match="cannot read"):
        read_data_file(path)


def _export(*args) -> str:
    out = io.StringIO()
    call_command("export_framework", *args, stdout=out)
    return out.getvalue()


def test_export_has_the_documented_shape_and_is_deterministic(framework):
    exported = json.loads(_export())
    assert list(exported) == ["framework", "scale", "passages", "recommendations"]
    assert [level["level"] for level in exported["scale"]] == [0, 1, 2, 3, 4]
    assert set(exported["passages"][0]) == {"slug", "source", "attribution", "text"}
    recommendation = exported["recommendations"][0]
    assert set(recommendation) == {"number", "slug", "title", "policy_text", "passages", "dimensions"}
    dimension = recommendation["dimensions"][0]
    # "foundation" only where it says something (a dimension any museum needs, whatever it decides).
    assert set(dimension) - {"foundation"} == {"slug", "title", "description", "weight", "questions"}
    assert dimension.get("foundation", True) is True
    question = dimension["questions"][0]
    assert set(question) == {
        "slug",
        "text",
        "why",
        "weight",
        "legal_duty",
        "legal_reference",
        "levels",
        "guidance",
        "passages",
    }
    assert question["levels"][4]["level"] == 4
    assert _export() == _export()


def test_export_json_is_served_publicly(framework, client):
    response = client.get(reverse("recommendations:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == json.loads(_export())


def test_admin_edits_round_trip_through_the_yaml_export(framework, tmp_path):
    question = Question.objects.filter(dimension__recommendation__framework=framework).order_by("pk").first()
    question.guidance = "Edited in admin: ask the regional museum network for a template."
    question.save()
    path = tmp_path / "framework.yaml"
    path.write_text(_export("--format", "yaml"), encoding="utf-8")
    report = load(read_data_file(path))
    assert not report.changed
    assert load(read_data_file(DATA_FILE)).updated  # the committed file restores the original wording
    question.refresh_from_db()
    assert question.guidance != "Edited in admin: ask the regional museum network for a template."


def test_a_new_version_leaves_the_old_version_untouched(framework, data):
    old_question = Question.objects.filter(dimension__recommendation__framework=framework).first()
    old_text = old_question.text
    newer = copy.deepcopy(data)
    newer["framework"]["version"] = "1.1"
    for recommendation in newer["recommendations"]:
        for dimension in recommendation["dimensions"]:
            for question in dimension["questions"]:
                question["text"] = "Reworded: " + question["text"]
    new_framework = load(newer).framework
    old_question.refresh_from_db()
    assert old_question.text == old_text
    assert FrameworkVersion.objects.current() == new_framework
    assert Question.objects.filter(dimension__recommendation__framework=new_framework).count() == len(
        [q for r in data["recommendations"] for d in r["dimensions"] for q in d["questions"]]
    )


def test_framework_page_shows_everything_to_anonymous_visitors(
    framework, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = client.get(reverse("recommendations:framework"))
    page = response.content.decode()
    assert response.status_code == 200
    for recommendation in Recommendation.objects.all():
        assert recommendation.title in page
    # The current version's, not the earlier ones'.
    assert (
        page.count('class="card mb-3 question"')
        == Question.objects.filter(dimension__recommendation__framework=framework).count()
    )
    assert "Legal duty" in page


def test_framework_page_says_so_when_nothing_is_loaded(empty_db, client):
    assert client.get(reverse("recommendations:framework")).status_code == 404


@pytest.fixture
def framework_in_use(framework, museum_a, lead):
    from assessment import answers

    answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    return framework


def test_a_version_in_use_accepts_wording_fixes_but_not_scoring_changes(framework_in_use, data):
    reworded = copy.deepcopy(data)
    question = reworded["recommendations"][0]["dimensions"][0]["questions"][0]
    question["why"] = question["why"] + " (Reworded.)"
    assert load(reworded).updated
    reweighted = copy.deepcopy(data)
    reweighted["recommendations"][0]["dimensions"][0]["questions"][0]["weight"] += 1
    with pytest.raises(FrameworkDataError, match="cannot change"):
        load(reweighted)
    shorter = copy.deepcopy(data)
    shorter["recommendations"][0]["dimensions"][0]["questions"].pop()
    with pytest.raises(FrameworkDataError, match="raise `version:`"):
        load(shorter)


def test_admin_freezes_what_changes_scores_in_a_version_in_use(framework_in_use, client_for, nemo_admin):
    question = Question.objects.filter(dimension__recommendation__framework=framework_in_use).first()
    client = client_for(nemo_admin)
    url = reverse("admin:recommendations_question_change", args=[question.pk])
    page = client.get(url).content.decode()
    assert 'name="weight"' not in page
    assert 'name="text_en"' in page and 'name="text_fr"' in page  # wording, in every language
    assert (
        client.post(
            reverse("admin:recommendations_question_delete", args=[question.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    add = client.post(
        reverse("admin:recommendations_question_add"),
        {
            "dimension": question.dimension_id,
            "slug": "new-question",
            "text": "New?",
            "why": "w",
            "weight": 1,
            "level_0": "a",
            "level_1": "b",
            "level_2": "c",
            "level_3": "d",
            "level_4": "e",
            "guidance": "g",
            "passages": [question.passages.first().pk],
            "position": 99,
        },
    )
    assert "add it in a new version" in add.content.decode()
    assert not Question.objects.filter(slug="new-question").exists()

"""The museum's action plan: from a question or a gap to an action, owners, dates, done and reopened,
filters, overdue actions, downloads (CSV, XLSX, calendar), conflicts, history, and access."""

from __future__ import annotations

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from assessment import answers, plan
from assessment.errors import ServiceError
from assessment.models import Action, ActionStatus, DimensionTarget, Membership, Role, add_months
from recommendations.models import Dimension, FrameworkVersion, Question
from tests.conftest import make_user, read_csv

BRUSSELS = ZoneInfo(settings.TIME_ZONE)


def at(moment: datetime.datetime):
    """The clock stopped at a moment (give it in the site's time zone)."""
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def question(framework) -> Question:
    return (
        Question.objects.select_related("dimension__recommendation")
        .filter(dimension__recommendation__framework=framework)
        .order_by("dimension__recommendation__number", "dimension__position", "position")
        .first()
    )


def plan_url(museum, **query) -> str:
    url = reverse("assessment:plan", args=[museum.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def new_url(museum, query: str = "") -> str:
    return reverse("assessment:action_create", args=[museum.pk]) + query


def edit_url(action) -> str:
    return reverse("assessment:action_edit", args=[action.museum_id, action.pk])


def add(museum, user, title="Write a half-page rule on AI tools", **fields) -> Action:
    return plan.action_create(museum=museum, user=user, data=plan.ActionInput(title=title, **fields))


def form_data(**fields) -> dict[str, str]:
    """An action form as the browser posts it: every field, empty unless given."""
    data = {
        "title": "",
        "description": "",
        "dimension": "",
        "owner": "",
        "owner_name": "",
        "due_date": "",
        "status": "planned",
        "status_note": "",
        "done_on": "",
        "version": "0",
    }
    data.update({key: str(value) for key, value in fields.items()})
    return data


def edit_data(action: Action, **changes) -> dict[str, str]:
    """The edit form of a stored action as its page shows it, with some fields changed."""
    data = {
        key: "" if value is None else (value.isoformat() if isinstance(value, datetime.date) else str(value))
        for key, value in plan_form_initial(action).items()
    }
    data.update({key: str(value) for key, value in changes.items()})
    return data


def plan_form_initial(action: Action) -> dict:
    from assessment.forms import ActionForm

    initial = ActionForm.initial_for(action)
    initial.pop("question")
    return initial


# --- A new action, from a question, a dimension, or nothing --------------------------------


def test_a_question_prefills_a_new_action_with_its_guidance(client_for, editor, museum_a, question):
    with at(datetime.datetime(2027, 1, 31, 12, tzinfo=BRUSSELS)):
        page = client_for(editor).get(new_url(museum_a, f"?question={question.pk}"))
    assert page.status_code == 200
    form = page.context["form"]
    title = form.initial["title"]
    assert title == plan.title_from_guidance(question.guidance)
    assert 0 < len(title) <= plan.TITLE_FROM_GUIDANCE_LENGTH + 1
    assert question.guidance.startswith(title.rstrip("…"))
    assert form.initial["description"] == question.guidance
    assert form.initial["dimension"] == str(question.dimension_id)
    assert form.initial["question"] == question.pk
    # No target date anywhere: three months from today (31 January + 3 months: the end of April).
    assert form.initial["due_date"] == datetime.date(2027, 4, 30)
    assert question.text in page.content.decode()


def test_a_new_action_is_due_by_its_dimensions_target_date(client_for, editor, lead, museum_a, question):
    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    DimensionTarget.objects.create(
        assessment=draft, dimension=question.dimension, level=3, target_date=datetime.date(2027, 9, 30)
    )
    with at(datetime.datetime(2027, 1, 31, 12, tzinfo=BRUSSELS)):
        page = client_for(editor).get(new_url(museum_a, f"?question={question.pk}"))
        assert page.context["form"].initial["due_date"] == datetime.date(2027, 9, 30)
        # A target date already past is no due date: three months from today instead.
    with at(datetime.datetime(2027, 10, 1, 12, tzinfo=BRUSSELS)):
        page = client_for(editor).get(new_url(museum_a, f"?question={question.pk}"))
        assert page.context["form"].initial["due_date"] == datetime.date(2028, 1, 1)


def test_a_dimension_prefills_a_new_action(client_for, editor, museum_a, question):
    dimension = question.dimension
    page = client_for(editor).get(new_url(museum_a, f"?dimension={dimension.pk}"))
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert dimension.title in initial["title"]
    assert initial["dimension"] == str(dimension.pk)
    assert initial["question"] is None
    assert initial["due_date"] == add_months(timezone.localdate(), plan.DEFAULT_DUE_MONTHS)


def test_a_question_of_an_earlier_framework_version_is_accepted(client_for, editor, museum_a, framework):
    earlier = FrameworkVersion.objects.exclude(pk=framework.pk).get()
    old_question = Question.objects.filter(dimension__recommendation__framework=earlier).first()
    client = client_for(editor)
    page = client.get(new_url(museum_a, f"?question={old_question.pk}"))
    assert page.status_code == 200
    assert "(earlier framework version)" in page.content.decode()
    response = client.post(
        new_url(museum_a),
        form_data(title="Revisit", dimension=old_question.dimension_id, question=old_question.pk),
    )
    assert response.status_code == 302
    assert Action.objects.get().question == old_question


@pytest.mark.parametrize(
    "query", ["?question=abc", "?question=999999", f"?question={'9' * 30}", "?dimension=-1"]
)
def test_a_bad_question_or_dimension_is_a_404_not_a_500(client_for, editor, museum_a, framework, query):
    assert client_for(editor).get(new_url(museum_a, query)).status_code == 404


@pytest.mark.parametrize(
    ("guidance", "title"),
    [
        ("Write a half-page rule. Go through it at a team meeting.", "Write a half-page rule"),
        (
            "Read the banned practices in Art. 5 of the Act. Then decide.",
            "Read the banned practices in Art. 5 of the Act",
        ),
        ("Ask five questions!  Choose settings.", "Ask five questions!"),
        ("word " * 60, ("word " * 24).strip() + "…"),
        ("", ""),
    ],
)
def test_a_title_from_guidance_is_its_first_sentence_cut_on_a_word(guidance, title):
    made = plan.title_from_guidance(guidance)
    assert made == title
    assert len(made) <= plan.TITLE_FROM_GUIDANCE_LENGTH + 1


def test_an_editor_creates_an_action_from_a_question(client_for, editor, museum_a, question):
    client = client_for(editor)
    response = client.post(
        new_url(museum_a, f"?question={question.pk}"),
        form_data(
            title="Agree our position on AI",
            description="With the director",
            dimension=question.dimension_id,
            question=question.pk,
            owner=editor.pk,
            due_date="2027-06-30",
        ),
    )
    action = Action.objects.get()
    assert response.status_code == 302
    assert response.url == plan_url(museum_a) + f"#action-{action.pk}"
    assert (action.title, action.description, action.owner, action.owner_name) == (
        "Agree our position on AI",
        "With the director",
        editor,
        "",
    )
    assert (action.dimension_id, action.question_id, action.due_date) == (
        question.dimension_id,
        question.pk,
        datetime.date(2027, 6, 30),
    )
    assert (action.status, action.done_on, action.version) == (ActionStatus.PLANNED, None, 1)
    assert action.created_by == action.updated_by == editor
    page = client.get(response.url).content.decode()
    assert "Agree our position on AI" in page and "Bob Editor" in page


def test_an_owner_is_a_member_or_a_name_typed_in(client_for, editor, viewer, museum_a, outsider):
    client = client_for(editor)
    client.post(
        new_url(museum_a), form_data(title="Ask the supplier", owner="other", owner_name="Jan Peeters")
    )
    named = Action.objects.get(title="Ask the supplier")
    assert (named.owner, named.owner_name) == (None, "Jan Peeters")
    # A viewer is a member too: they may own an action.
    client.post(new_url(museum_a), form_data(title="Read the contract", owner=viewer.pk))
    assert Action.objects.get(title="Read the contract").owner == viewer
    # "Someone else" needs a name; a member and a name at once is refused; a stranger is no choice.
    for data, message in [
        (form_data(title="x", owner="other"), "Type the name"),
        (form_data(title="x", owner=viewer.pk, owner_name="Jan"), "clear this name"),
        (form_data(title="x", owner="", owner_name="Jan"), "You chose “Nobody yet”"),
        (form_data(title="x", owner=outsider.pk), "Choose one of the members listed"),
    ]:
        response = client.post(new_url(museum_a), data)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert Action.objects.count() == 2


def test_an_owner_outside_the_museum_is_refused_by_the_service_too(editor, museum_a, outsider):
    with pytest.raises(ServiceError):
        add(museum_a, editor, owner_id=outsider.pk)


def test_completing_an_action_dates_it_and_reopening_clears_the_date(client_for, editor, museum_a):
    action = add(museum_a, editor, due_date=datetime.date(2027, 6, 30))
    with at(datetime.datetime(2027, 5, 2, 9, tzinfo=BRUSSELS)):
        client = client_for(editor)  # logged in then: a session opened today would have expired
        response = client.post(edit_url(action), edit_data(action, status="done", status_note="Approved"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.done_on, action.status_note, action.version) == (
        ActionStatus.DONE,
        datetime.date(2027, 5, 2),
        "Approved",
        2,
    )
    # Reopened: the done date goes, even if the page still sent it.
    client.post(edit_url(action), edit_data(action, status="in_progress"))
    action.refresh_from_db()
    assert (action.status, action.done_on) == (ActionStatus.IN_PROGRESS, None)
    # Done on a chosen day; never on a day still to come.
    last_month = timezone.localdate() - datetime.timedelta(days=30)
    client.post(edit_url(action), edit_data(action, status="done", done_on=last_month.isoformat()))
    action.refresh_from_db()
    assert action.done_on == last_month
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    refused = client.post(edit_url(action), edit_data(action, done_on=tomorrow.isoformat()))
    assert refused.status_code == 400
    assert "a day still to come" in refused.content.decode()


def test_a_save_that_changes_nothing_writes_nothing(client_for, editor, museum_a):
    action = add(museum_a, editor)
    response = client_for(editor).post(edit_url(action), edit_data(action), follow=True)
    assert "Nothing had changed" in response.content.decode()
    action.refresh_from_db()
    assert action.version == 1
    assert action.history.count() == 1


# --- The plan page: groups, filters, overdue -----------------------------------------------


def test_the_plan_lists_actions_by_status_then_due_date(client_for, viewer, editor, museum_a):
    add(museum_a, editor, "Later", due_date=datetime.date(2027, 9, 1))
    add(museum_a, editor, "No date")
    add(museum_a, editor, "Sooner", due_date=datetime.date(2027, 3, 1))
    add(museum_a, editor, "Moving", status=ActionStatus.IN_PROGRESS)
    add(museum_a, editor, "Finished", status=ActionStatus.DONE)
    add(museum_a, editor, "Abandoned", status=ActionStatus.DROPPED)
    page = client_for(viewer).get(plan_url(museum_a))
    groups = page.context["plan"].groups
    assert [group.status for group in groups] == list(plan.ACTION_STATUS_ORDER)
    assert [[row.action.title for row in group.rows] for group in groups] == [
        ["Moving"],
        ["Sooner", "Later", "No date"],
        ["Finished"],
        ["Abandoned"],
    ]
    html = page.content.decode()
    assert html.index("Moving") < html.index("Sooner") < html.index("Later") < html.index("Finished")
    assert "New action" not in html  # viewers read


def test_the_plan_filters_by_owner_area_dimension_and_status(
    client_for, viewer, editor, lead, museum_a, framework
):
    dimensions = list(
        Dimension.objects.filter(recommendation__framework=framework).select_related("recommendation")
    )
    in_area_1 = next(d for d in dimensions if d.recommendation.number == 1)
    in_area_2 = next(d for d in dimensions if d.recommendation.number == 2)
    add(museum_a, editor, "Bob's", owner_id=editor.pk, dimension_id=in_area_1.pk)
    add(museum_a, editor, "Jan's", owner_name="Jan Peeters", dimension_id=in_area_2.pk)
    add(museum_a, editor, "Alice's done", owner_id=lead.pk, dimension_id=in_area_2.pk, status="done")
    add(museum_a, editor, "Nobody's")
    client = client_for(viewer)

    def titles(**query) -> set[str]:
        page = client.get(plan_url(museum_a, **query))
        assert page.status_code == 200
        return {row.action.title for group in page.context["plan"].groups for row in group.rows}

    assert titles(owner=f"user-{editor.pk}") == {"Bob's"}
    assert titles(owner="name:Jan Peeters") == {"Jan's"}
    assert titles(owner="nobody") == {"Nobody's"}
    assert titles(area=2) == {"Jan's", "Alice's done"}
    assert titles(area=2, status="open") == {"Jan's"}
    assert titles(dimension=in_area_1.slug) == {"Bob's"}
    assert titles(status="done") == {"Alice's done"}
    # The owner menu offers the plan's owners: members by name, typed names, nobody.
    labels = [option.label for option in client.get(plan_url(museum_a)).context["owners"]]
    assert labels == ["Nobody yet", "Alice Lead", "Bob Editor", "Jan Peeters"]
    # A value that is no filter is said so, and the others still apply.
    page = client.get(plan_url(museum_a, owner="user-abc", area=2))
    assert "This owner is not in the plan" in page.content.decode()
    assert {row.action.title for group in page.context["plan"].groups for row in group.rows} == {
        "Jan's",
        "Alice's done",
    }


def test_an_action_of_an_earlier_version_is_found_by_its_dimensions_slug(
    client_for, viewer, editor, museum_a, framework
):
    earlier = FrameworkVersion.objects.exclude(pk=framework.pk).get()
    current = Dimension.objects.filter(recommendation__framework=framework).first()
    old = Dimension.objects.filter(recommendation__framework=earlier, slug=current.slug).first()
    assert old is not None
    add(museum_a, editor, "Planned on 1.0", dimension_id=old.pk)
    page = client_for(viewer).get(plan_url(museum_a, dimension=current.slug))
    assert [row.action.title for row in page.context["plan"].groups[1].rows] == ["Planned on 1.0"]
    assert plan.action_counts_by_dimension(museum_a.pk) == {current.slug: plan.ActionCounts(open=1, done=0)}


def test_overdue_means_open_and_due_before_today_in_the_sites_time_zone(client_for, viewer, editor, museum_a):
    add(museum_a, editor, "Due yesterday", due_date=datetime.date(2027, 2, 28))
    add(museum_a, editor, "Due today", due_date=datetime.date(2027, 3, 1))
    add(museum_a, editor, "Done late", due_date=datetime.date(2027, 1, 1), status="done")
    add(museum_a, editor, "Dropped late", due_date=datetime.date(2027, 1, 1), status="dropped")
    # 00:30 on 1 March in Brussels is still 28 February in UTC.
    with at(datetime.datetime(2027, 3, 1, 0, 30, tzinfo=BRUSSELS)):
        page = client_for(viewer).get(plan_url(museum_a))
    board = page.context["plan"]
    overdue = {row.action.title for group in board.groups for row in group.rows if row.overdue}
    assert overdue == {"Due yesterday"}
    assert board.overdue == 1
    html = page.content.decode()
    assert "1 is overdue." in html
    row = html[html.index('id="action-') : html.index("Due today")]
    assert "Overdue" in row  # in words, not only a colour


# --- Downloads ------------------------------------------------------------------------------


@pytest.fixture
def downloadable(museum_a, editor, question):
    add(
        museum_a,
        editor,
        "=cmd|' /C calc'!A0",
        description="+SUM(1)",
        owner_name="@supplier",
        due_date=datetime.date(2027, 6, 30),
        dimension_id=question.dimension_id,
        question_id=question.pk,
    )
    add(museum_a, editor, "No date yet")
    add(museum_a, editor, "Dropped", due_date=datetime.date(2027, 7, 1), status="dropped")


def test_the_csv_has_a_header_and_a_row_per_action_with_formulas_neutralised(
    client_for, viewer, museum_a, downloadable, question
):
    response = client_for(viewer).get(reverse("assessment:plan_export", args=[museum_a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"museumai-plan-{museum_a.pk}-" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:6] == ["Action", "Title", "Status", "Due date", "Overdue", "Owner"]
    assert len(rows) == 4
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Title"] == "'=cmd|' /C calc'!A0"
    assert first["Description"] == "'+SUM(1)"
    assert first["Owner"] == "'@supplier"
    assert (first["Status"], first["Due date"], first["Area"]) == ("Planned", "2027-06-30", "1")
    assert (first["Dimension key"], first["Question key"]) == (question.dimension.slug, question.slug)
    assert first["Created by"] == "Bob Editor"


def test_the_xlsx_opens_with_dates_as_dates(client_for, viewer, museum_a, downloadable):
    response = client_for(viewer).get(reverse("assessment:plan_export_xlsx", args=[museum_a.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Action", "Title", "Status", "Due date")
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    assert rows[1][3] == datetime.datetime(2027, 6, 30)  # a date a spreadsheet sorts
    assert len(rows) == 4


def test_the_calendar_has_an_all_day_event_per_due_date(client_for, viewer, museum_a, downloadable):
    client = client_for(viewer)
    url = reverse("assessment:plan_calendar", args=[museum_a.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].endswith('.ics"')
    body = response.content
    assert b"\r\n" in body and b"\n" not in body.replace(b"\r\n", b"")  # CRLF line endings only
    calendar = Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0" and "museumai" in str(calendar["PRODID"])
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    events = calendar.walk("VEVENT")
    assert len(events) == 2  # the action without a due date has no event
    by_title = {str(event["SUMMARY"]): event for event in events}
    due = by_title["=cmd|' /C calc'!A0"]
    start = due.decoded("DTSTART")
    assert type(start) is datetime.date and start == datetime.date(2027, 6, 30)
    assert str(due["STATUS"]) == "CONFIRMED"
    assert str(by_title["Dropped"]["STATUS"]) == "CANCELLED"
    action = Action.objects.get(title="Dropped")
    assert str(by_title["Dropped"]["UID"]) == f"action-{action.pk}@museumai"
    description = str(due["DESCRIPTION"])
    assert "Vision and strategy" in description and "@supplier" in description and "Planned" in description
    assert (
        f"http://testserver{edit_url(Action.objects.get(due_date=datetime.date(2027, 6, 30)))}" in description
    )
    assert "DTSTAMP" in due
    # The same UIDs in every download: importing again updates the events.
    again = Calendar.from_ical(client.get(url).content)
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == sorted(str(e["UID"]) for e in events)


def test_downloads_follow_the_pages_filters(client_for, viewer, museum_a, downloadable):
    client = client_for(viewer)
    rows = read_csv(client.get(reverse("assessment:plan_export", args=[museum_a.pk]) + "?status=dropped"))
    assert [row[1] for row in rows[1:]] == ["Dropped"]
    page = client.get(plan_url(museum_a, status="dropped")).content.decode()
    assert reverse("assessment:plan_calendar", args=[museum_a.pk]) + "?status=dropped" in page


def test_downloads_never_hold_another_museums_actions(
    client_for, outsider, museum_b, museum_a, editor, downloadable
):
    add(museum_b, outsider, "Museum B's secret")
    client = client_for(outsider)
    rows = read_csv(client.get(reverse("assessment:plan_export", args=[museum_b.pk])))
    assert [row[1] for row in rows[1:]] == ["Museum B's secret"]
    assert (
        b"secret"
        not in client_for(editor).get(reverse("assessment:plan_calendar", args=[museum_a.pk])).content
    )


# --- Conflicts and history -----------------------------------------------------------------


def test_a_save_on_an_old_version_is_a_conflict_that_keeps_the_typed_text(client_for, editor, lead, museum_a):
    action = add(museum_a, editor, "Draft the AI rule", due_date=datetime.date(2027, 6, 30))
    page_for_alice = edit_data(action)  # both open the page at version 1
    page_for_bob = edit_data(action)
    first = client_for(lead).post(
        edit_url(action), {**page_for_alice, "status": "in_progress", "due_date": "2027-05-31"}
    )
    assert first.status_code == 302
    second = client_for(editor).post(
        edit_url(action),
        {**page_for_bob, "title": "Draft the AI rule with the board", "status_note": "Typed"},
    )
    assert second.status_code == 409
    html = second.content.decode()
    # Bob's typed values are back in the form, and Alice's changes are named.
    assert 'value="Draft the AI rule with the board"' in html and "Typed</textarea>" in html
    assert "Alice Lead saved this action" in html
    conflict = second.context["conflict"]
    assert {(c.field, c.after) for c in conflict.changes} == {
        ("status", "In progress"),
        ("due_date", "31 May 2027"),
    }
    action.refresh_from_db()
    assert (action.title, action.status, action.version) == ("Draft the AI rule", "in_progress", 2)
    # The form now carries the current version: saving it again replaces Alice's change, knowingly.
    assert second.context["form"].data["version"] == "2"
    third = client_for(editor).post(edit_url(action), second.context["form"].data)
    assert third.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.status_note, action.version) == (
        "Draft the AI rule with the board",
        "Typed",
        3,
    )


def test_the_service_refuses_a_stale_version_and_changes_nothing(editor, lead, museum_a):
    action = add(museum_a, editor)
    data = plan.ActionInput(title="Mine")
    assert plan.action_update(action=action, user=lead, data=data, seen_version=1).conflict is None
    stale = plan.action_update(
        action=action, user=editor, data=plan.ActionInput(title="Theirs"), seen_version=1
    )
    assert stale.conflict is not None and not stale.changed
    assert [(c.field, c.before, c.after) for c in stale.conflict.changes] == [
        ("title", "Write a half-page rule on AI tools", "Mine")
    ]
    action.refresh_from_db()
    assert (action.title, action.version) == ("Mine", 2)


def test_history_records_who_changed_what(client_for, editor, lead, viewer, museum_a):
    action = add(museum_a, editor, owner_name="Jan Peeters")
    client_for(lead).post(
        edit_url(action), edit_data(action, owner=viewer.pk, owner_name="", status="in_progress")
    )
    records = list(action.history.order_by("history_date"))
    assert [(r.history_type, r.history_user) for r in records] == [("+", editor), ("~", lead)]
    page = client_for(viewer).get(edit_url(action))
    assert page.status_code == 200
    entries = page.context["history"]
    assert [entry.who for entry in entries] == [lead, editor]  # newest first
    assert {(c.field, c.before, c.after) for c in entries[0].changes} == {
        ("owner", "Jan Peeters", "Vera Viewer"),
        ("status", "Planned", "In progress"),
    }
    html = page.content.decode()
    assert "changed by Alice Lead" in html and "added by Bob Editor" in html
    # A viewer reads the form but cannot save it.
    assert "<fieldset disabled>" in html and "Save the action" not in html


# --- Access -------------------------------------------------------------------------------


def test_a_viewer_cannot_add_or_change_actions(client_for, viewer, editor, museum_a):
    action = add(museum_a, editor)
    client = client_for(viewer)
    assert client.post(new_url(museum_a), form_data(title="Mine")).status_code == 403
    assert client.post(edit_url(action), edit_data(action, title="Mine")).status_code == 403
    assert client.get(new_url(museum_a)).status_code == 403
    action.refresh_from_db()
    assert action.title != "Mine" and Action.objects.count() == 1


def test_another_museums_action_is_a_404_on_every_plan_url(client_for, outsider, museum_b, lead, museum_a):
    theirs = add(museum_b, outsider, "Museum B's")
    # Even for someone who belongs to both museums, B's action is not under A's address.
    Membership.objects.create(user=lead, museum=museum_b, role=Role.VIEWER)
    client = client_for(lead)
    assert client.get(reverse("assessment:action_edit", args=[museum_a.pk, theirs.pk])).status_code == 404
    assert (
        client.post(
            reverse("assessment:action_edit", args=[museum_a.pk, theirs.pk]), {"title": "x"}
        ).status_code
        == 404
    )
    stranger = client_for(make_user("stranger"))
    for name, args in [
        ("assessment:plan", [museum_b.pk]),
        ("assessment:action_create", [museum_b.pk]),
        ("assessment:action_edit", [museum_b.pk, theirs.pk]),
        ("assessment:plan_export", [museum_b.pk]),
        ("assessment:plan_export_xlsx", [museum_b.pk]),
        ("assessment:plan_calendar", [museum_b.pk]),
    ]:
        assert stranger.get(reverse(name, args=args)).status_code == 404, name
    theirs.refresh_from_db()
    assert theirs.title == "Museum B's"


# --- Where the plan is linked from --------------------------------------------------------


def test_the_questionnaire_offers_add_to_plan_to_editors_in_a_new_tab(
    client_for, editor, viewer, lead, museum_a, question
):
    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    url = reverse("assessment:area", args=[museum_a.pk, draft.pk, 1])
    html = client_for(editor).get(url).content.decode()
    link = f'href="{new_url(museum_a)}?question={question.pk}" target="_blank" rel="noopener"'
    assert link in html
    assert "(opens in a new tab)" in html
    assert "Add to plan" not in client_for(viewer).get(url).content.decode()


def test_the_museum_home_and_the_assessment_tabs_link_to_the_plan(
    client_for, viewer, lead, museum_a, framework
):
    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    client = client_for(viewer)
    assert (
        plan_url(museum_a)
        in client.get(reverse("assessment:museum_home", args=[museum_a.pk])).content.decode()
    )
    targets = client.get(reverse("assessment:targets", args=[museum_a.pk, draft.pk])).content.decode()
    assert f'href="{plan_url(museum_a)}"' in targets


# --- Targets with a date and the plan's actions ----------------------------------------------


def test_targets_take_a_date_and_show_the_plans_actions(client_for, editor, lead, museum_a, question):
    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    dimension = question.dimension
    add(museum_a, editor, "One", dimension_id=dimension.pk)
    add(museum_a, editor, "Two", dimension_id=dimension.pk, status="done")
    add(museum_a, editor, "Three", dimension_id=dimension.pk, status="dropped")
    url = reverse("assessment:targets", args=[museum_a.pk, draft.pk])
    with at(datetime.datetime(2027, 1, 15, 12, tzinfo=BRUSSELS)):
        page = client_for(editor).get(url).content.decode()
    client = client_for(editor)
    assert "12 months after submission: 15 January 2028" in page and "assume it is submitted today" in page
    assert f'{plan_url(museum_a)}?dimension={dimension.slug}">1 open, 1 done' in page
    key = f"d{dimension.pk}"
    # A date needs a target level.
    refused = client.post(url, {key: "", f"{key}-shown": "", f"{key}-date": "2027-09-30"})
    assert refused.status_code == 400
    assert "Choose a target level for this dimension" in refused.content.decode()
    client.post(url, {key: "3", f"{key}-shown": "", f"{key}-date": "2027-09-30"})
    target = DimensionTarget.objects.get(assessment=draft, dimension=dimension)
    assert (target.level, target.target_date) == (3, datetime.date(2027, 9, 30))
    assert 'value="2027-09-30"' in client.get(url).content.decode()
    # A colleague's date, changed since the page was loaded, is kept.
    stale = client.post(
        url,
        {key: "3", f"{key}-shown": "3", f"{key}-date": "2027-12-31", f"{key}-date-shown": "2027-06-30"},
        follow=True,
    )
    assert "changed the target date" in stale.content.decode()
    target.refresh_from_db()
    assert target.target_date == datetime.date(2027, 9, 30)
    # Clearing the level clears its date.
    client.post(
        url, {key: "", f"{key}-shown": "3", f"{key}-date": "2027-09-30", f"{key}-date-shown": "2027-09-30"}
    )
    assert not DimensionTarget.objects.filter(assessment=draft).exists()


# --- Query counts: the same for 2 actions and for 200 ------------------------------------------

QUERIES_PLAN_PAGE = 7
QUERIES_PLAN_CSV = 4
QUERIES_PLAN_CALENDAR = 4
QUERIES_TARGETS_PAGE = 9


def _bulk_actions(museum, users, dimensions, count: int) -> None:
    statuses = list(ActionStatus)
    Action.objects.bulk_create(
        [
            Action(
                museum=museum,
                title=f"Action {index}",
                description="=HYPERLINK(1)" if index % 7 == 0 else "A step",
                dimension=dimensions[index % len(dimensions)],
                owner=users[index % len(users)] if index % 3 else None,
                owner_name="" if index % 3 else f"Supplier {index % 4}",
                due_date=datetime.date(2027, 1, 1) + datetime.timedelta(days=index),
                status=statuses[index % len(statuses)],
                done_on=datetime.date(2027, 1, 1)
                if statuses[index % len(statuses)] == ActionStatus.DONE
                else None,
                created_by=users[0],
                updated_by=users[index % len(users)],
            )
            for index in range(count)
        ]
    )


@pytest.mark.parametrize("count", [2, 200])
def test_plan_pages_and_downloads_take_the_same_queries_for_2_or_200_actions(
    client_for, lead, editor, viewer, museum_a, framework, count, django_assert_num_queries
):
    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    dimensions = list(Dimension.objects.filter(recommendation__framework=framework))
    _bulk_actions(museum_a, [lead, editor, viewer], dimensions, count)
    client = client_for(editor)
    client.get(reverse("assessment:targets", args=[museum_a.pk, draft.pk]))  # the framework's content, cached
    with django_assert_num_queries(QUERIES_PLAN_PAGE):
        assert client.get(plan_url(museum_a)).status_code == 200
    with django_assert_num_queries(QUERIES_PLAN_PAGE):
        assert client.get(plan_url(museum_a, status="open", area=1)).status_code == 200
    with django_assert_num_queries(QUERIES_PLAN_CSV):
        rows = read_csv(client.get(reverse("assessment:plan_export", args=[museum_a.pk])))
    assert len(rows) == count + 1
    with django_assert_num_queries(QUERIES_PLAN_CALENDAR):
        body = client.get(reverse("assessment:plan_calendar", args=[museum_a.pk])).content
    assert len(Calendar.from_ical(body).walk("VEVENT")) == count
    with django_assert_num_queries(QUERIES_TARGETS_PAGE):
        assert client.get(reverse("assessment:targets", args=[museum_a.pk, draft.pk])).status_code == 200


# --- Odd input: a clear answer, never a server error ----------------------------------------

ODD = ["x" * 300, "\x00", "99999", "9" * 30, "-1", "line\r\nbreak", "<script>", "a" * 6000, "name:", "user-"]


def test_odd_values_in_every_field_get_a_clear_answer(client_for, editor, museum_a):
    action = add(museum_a, editor)
    client = client_for(editor)
    fields = [*form_data(), "question"]
    for value in ODD:
        for url in (new_url(museum_a), edit_url(action)):
            response = client.post(url, dict.fromkeys(fields, value))
            assert response.status_code == 400, (url, value)
        filtered = client.get(
            plan_url(museum_a), dict.fromkeys(("owner", "area", "dimension", "status"), value)
        )
        assert filtered.status_code == 200, value
        for name in ("plan_export", "plan_export_xlsx", "plan_calendar"):
            response = client.get(
                reverse(f"assessment:{name}", args=[museum_a.pk]), {"owner": value, "area": value}
            )
            assert response.status_code == 200, (name, value)
    action.refresh_from_db()
    assert action.version == 1


def test_a_date_far_off_is_refused_in_words_and_the_calendar_still_downloads(
    client_for, editor, museum_a, framework
):
    client = client_for(editor)
    response = client.post(new_url(museum_a), form_data(title="Someday", due_date="9999-12-31"))
    assert response.status_code == 400
    assert "Enter a date between 2000 and 2100." in response.content.decode()
    # Even a date at the calendar's end, stored by other means, gives a calendar, not an error.
    add(museum_a, editor, "At the end of time", due_date=datetime.date.max)
    assert client.get(reverse("assessment:plan_calendar", args=[museum_a.pk])).status_code == 200


def test_an_action_moved_to_no_dimension_leaves_its_question_behind(client_for, editor, museum_a, framework):
    question = Question.objects.filter(dimension__recommendation__framework=framework).first()
    action = add(museum_a, editor, dimension_id=question.dimension_id, question_id=question.pk)
    client_for(editor).post(edit_url(action), edit_data(action, dimension=""))
    action.refresh_from_db()
    assert (action.dimension_id, action.question_id) == (None, None)


def test_a_done_action_stays_in_the_calendar_ticked(client_for, editor, museum_a, framework):
    add(
        museum_a,
        editor,
        "Train the front desk",
        due_date=datetime.date(2027, 3, 1),
        status=ActionStatus.DONE,
        done_on=datetime.date(2026, 11, 1),
    )
    body = client_for(editor).get(reverse("assessment:plan_calendar", args=[museum_a.pk])).content
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]) == "✓ Train the front desk"


def test_an_action_from_a_question_removed_meanwhile_keeps_what_was_typed(
    client_for, editor, museum_a, framework
):
    response = client_for(editor).post(
        new_url(museum_a, "?question=999999"),
        form_data(title="Typed before the question went", question="999999"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The question this action came from no longer exists." in page
    assert "Typed before the question went" in page

"""Nothing typed is lost, in Chromium: the session ends mid-edit, the server fails, the connection drops."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.urls import reverse
from playwright.sync_api import expect

from assessment import answers
from assessment.models import Answer
from tests.conftest import PASSWORD, assert_accessible, log_in

NOTE = "Board minutes, March 2024.\nSigned by the director."


@pytest.fixture
def draft(framework, museum_a, lead):
    return answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)


def area_url(assessment, number=1) -> str:
    return reverse("assessment:area", args=[assessment.museum_id, assessment.pk, number])


def first_question(page):
    return page.locator(".question").first


def type_an_answer(page, note: str = NOTE) -> None:
    question = first_question(page)
    question.get_by_label(re.compile(r"^2 · ")).check()
    question.get_by_label("Note or evidence (optional)").fill(note)


def log_in_here(page, user) -> None:
    """Log in on the login page the browser is on (keeping its ``next``)."""
    page.get_by_label(re.compile(r"^\s*Email or username")).fill(user.email)
    page.get_by_label(re.compile(r"^\s*Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()


def log_out_in_another_tab(page) -> None:
    other = page.context.new_page()
    other.goto("/")
    other.get_by_role("button", name=re.compile("Log out")).click()
    expect(other.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")).to_be_visible()
    other.close()


def let_the_session_expire(page) -> None:
    Session.objects.all().delete()


def kept_in_browser(page) -> list[str]:
    return page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('museumai.draft'))")


def save(page) -> None:
    # A loaded CI machine once took over 10 s to settle the page after a resize (PostgreSQL run): wait longer.
    page.get_by_role("button", name="Save draft").click(timeout=30_000)


@pytest.mark.parametrize("end_session", [log_out_in_another_tab, let_the_session_expire])
def test_a_session_ended_mid_edit_keeps_the_answers_and_they_save_after_logging_in(
    page, draft, editor, end_session
):
    log_in(page, editor)
    page.goto(area_url(draft))
    type_an_answer(page)
    end_session(page)

    save(page)
    ended = page.get_by_role("alert").filter(has_text="Your session has ended")
    expect(ended).to_be_visible()
    expect(ended).to_contain_text("kept in this browser")
    expect(ended).to_be_focused()
    expect(first_question(page).get_by_label("Note or evidence (optional)")).to_have_value(NOTE)
    assert not Answer.objects.filter(assessment=draft).exists()
    assert_accessible(page, context="session ended while saving")
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375, "no sideways scrolling"
    page.set_viewport_size({"width": 1280, "height": 720})

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    ended.get_by_role("link", name="Log in again").click()
    expect(page.get_by_role("heading", level=1, name="Log in")).to_be_visible()
    assert dialogs == [], "the answers are kept: leaving for the login page does not need a warning"
    expect(page.get_by_role("note")).to_contain_text("kept in this browser")
    assert_accessible(page, context="login page on the way back to the questionnaire")
    log_in_here(page, editor)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Area 1")
    restored = page.get_by_role("status").filter(has_text="were restored")
    expect(restored).to_be_visible()
    expect(restored).to_contain_text("Press “Save draft” to keep them")
    question = first_question(page)
    expect(question.get_by_label("Note or evidence (optional)")).to_have_value(NOTE)
    expect(question.get_by_label(re.compile(r"^2 · "))).to_be_checked()
    expect(question.get_by_text("Restored from this browser, not saved yet")).to_be_visible()
    assert_accessible(page, context="answers restored after logging in again")
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375, "no sideways scrolling"
    page.set_viewport_size({"width": 1280, "height": 720})

    save(page)
    expect(page.get_by_role("status").filter(has_text="1 answer saved")).to_be_visible()
    answer = Answer.objects.get(assessment=draft)
    assert (answer.level, answer.note, answer.answered_by) == (2, NOTE, editor)

    # Confirmed by the server: the browser's copy is gone and nothing comes back on the next visit.
    assert kept_in_browser(page) == []
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Area 1")
    expect(page.get_by_text("were restored")).to_be_hidden()


def test_a_save_refused_after_logging_in_again_in_another_tab_keeps_the_answers(page, draft, editor):
    log_in(page, editor)
    page.goto(area_url(draft))
    type_an_answer(page)
    # Logging out and in again elsewhere gives the browser a new CSRF token: this page's is stale.
    log_out_in_another_tab(page)
    other = page.context.new_page()
    log_in(other, editor)
    # Closed only once logged in: closing mid-request would leave the login to chance.
    expect(other.get_by_role("button", name=re.compile("Log out"))).to_be_visible()
    other.close()

    save(page)
    refused = page.get_by_role("alert").filter(has_text="The server refused this save")
    expect(refused).to_be_visible()
    assert not Answer.objects.filter(assessment=draft).exists()
    assert_accessible(page, context="save refused")
    refused.get_by_role("link", name="Reload this area").click()
    expect(page.get_by_role("status").filter(has_text="were restored")).to_be_visible()
    save(page)
    expect(page.get_by_role("status").filter(has_text="1 answer saved")).to_be_visible()
    assert Answer.objects.get(assessment=draft).note == NOTE


def test_another_account_on_the_same_browser_never_sees_the_kept_answers(page, draft, editor, lead):
    log_in(page, editor)
    page.goto(area_url(draft))
    type_an_answer(page)
    let_the_session_expire(page)
    save(page)
    expect(page.get_by_role("alert").filter(has_text="Your session has ended")).to_be_visible()

    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, lead)
    page.goto(area_url(draft))
    expect(first_question(page).get_by_label("Note or evidence (optional)")).to_have_value("")
    expect(page.get_by_text("were restored")).to_be_hidden()
    page.get_by_role("button", name=re.compile("Log out")).click()

    log_in(page, editor)
    page.goto(area_url(draft))
    expect(first_question(page).get_by_label("Note or evidence (optional)")).to_have_value(NOTE)


@pytest.mark.parametrize("then", ["keep mine", "show theirs"])
def test_restored_answers_still_meet_a_colleagues_change_as_a_conflict(page, draft, editor, lead, then):
    log_in(page, editor)
    page.goto(area_url(draft))
    type_an_answer(page, note="Mine")
    let_the_session_expire(page)
    save(page)
    expect(page.get_by_role("alert").filter(has_text="Your session has ended")).to_be_visible()

    # Meanwhile a colleague answers the same question.
    question_id = int(first_question(page).get_attribute("id").removeprefix("q-"))
    answers.answers_save(
        assessment=draft, user=lead, inputs=[answers.AnswerInput(question_id, 3, False, "", "Theirs", 0)]
    )

    page.get_by_role("link", name="Log in again").click()
    log_in_here(page, editor)
    expect(first_question(page).get_by_label("Note or evidence (optional)")).to_have_value("Mine")
    save(page)
    expect(
        page.get_by_role("status").filter(has_text="A colleague changed 1 of these answers")
    ).to_be_visible()
    expect(first_question(page)).to_contain_text("Alice Lead changed this answer")
    expect(first_question(page)).to_contain_text("Theirs")
    assert Answer.objects.get(assessment=draft).note == "Theirs"
    assert_accessible(page, context="conflict after restoring")

    if then == "keep mine":
        # The person has now seen the colleague's answer: saving again replaces it with theirs.
        save(page)
        expect(page.get_by_role("status").filter(has_text="1 answer saved")).to_be_visible()
        assert Answer.objects.get(assessment=draft).note == "Mine"
    else:
        first_question(page).get_by_role("link", name="discard your changes on this page").click()
        expect(first_question(page).get_by_label("Note or evidence (optional)")).to_have_value("Theirs")
        expect(page.get_by_text("were restored")).to_be_hidden()
        assert Answer.objects.get(assessment=draft).note == "Theirs"


def test_a_server_error_during_a_save_keeps_the_answers(page, draft, editor, monkeypatch):
    log_in(page, editor)
    page.goto(area_url(draft))
    type_an_answer(page)

    # What killing the database connections under load does to a save at that instant.
    def connection_killed(**kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr("assessment.views.assessments.answers_save", connection_killed)
    save(page)
    failed = page.get_by_role("alert").filter(has_text="could not be saved just now")
    expect(failed).to_be_visible()
    expect(failed).to_contain_text("Nothing you typed is lost")
    expect(first_question(page).get_by_label("Note or evidence (optional)")).to_have_value(NOTE)
    assert not Answer.objects.filter(assessment=draft).exists()
    assert_accessible(page, context="save failed with a server error")

    # Even a reload (the old advice) keeps them now.
    page.on("dialog", lambda dialog: dialog.accept())
    page.reload()
    expect(page.get_by_role("status").filter(has_text="were restored")).to_be_visible()
    expect(first_question(page).get_by_label("Note or evidence (optional)")).to_have_value(NOTE)

    monkeypatch.undo()
    page.get_by_role("button", name="Save and go to the next area").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Area 2")
    expect(page.get_by_role("status").filter(has_text="1 answer saved")).to_be_visible()
    assert Answer.objects.get(assessment=draft).note == NOTE
    assert kept_in_browser(page) == []


def test_a_dropped_connection_during_a_save_keeps_the_answers(page, draft, editor):
    log_in(page, editor)
    page.goto(area_url(draft))
    type_an_answer(page)

    def drop_posts(route):
        if route.request.method == "POST":
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r".*/areas/1/$"), drop_posts)
    save(page)
    expect(page.get_by_role("alert").filter(has_text="could not be saved just now")).to_be_visible()
    expect(first_question(page).get_by_label("Note or evidence (optional)")).to_have_value(NOTE)

    page.unroute(re.compile(r".*/areas/1/$"))
    save(page)
    expect(page.get_by_role("status").filter(has_text="1 answer saved")).to_be_visible()
    assert Answer.objects.get(assessment=draft).note == NOTE


def test_a_note_the_browser_accepts_at_its_limit_is_saved(page, draft, editor):
    log_in(page, editor)
    page.goto(area_url(draft))
    # 1,000 lines of four letters: 4,999 characters and line breaks as the textarea counts them.
    note = "\n".join(["abcd"] * 1000) + "."
    type_an_answer(page, note=note)
    field = first_question(page).get_by_label("Note or evidence (optional)")
    assert field.evaluate("el => [el.value.length, el.maxLength, el.validity.tooLong]") == [5000, 5000, False]
    save(page)
    expect(page.get_by_role("status").filter(has_text="1 answer saved")).to_be_visible()
    assert Answer.objects.get(assessment=draft).note == note


def test_restored_answers_can_be_discarded(page, draft, editor):
    log_in(page, editor)
    page.goto(area_url(draft))
    type_an_answer(page)
    page.on("dialog", lambda dialog: dialog.accept())
    page.reload()
    restored = page.get_by_role("status").filter(has_text="were restored")
    expect(restored).to_be_focused()

    restored.get_by_role("button", name="Discard them and show the saved answers").click()
    expect(page.get_by_text("were restored")).to_be_hidden()
    expect(first_question(page).get_by_label("Note or evidence (optional)")).to_have_value("")
    expect(first_question(page).get_by_label(re.compile(r"^2 · "))).not_to_be_checked()
    assert kept_in_browser(page) == []

"""Every page a museum member and a NEMO admin reach, on a 375 px wide phone: nothing scrolls sideways.

The first screen of every page is saved under /tmp/museumai-phone/ for a person to look at.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessment import answers, plan
from assessment.models import Assessment, Membership, Role
from recommendations.models import Question
from tests.conftest import assert_accessible, log_in, questions_of, submitted_assessment

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
SCREENSHOTS = Path("/tmp/museumai-phone")
LONG_NOTE = "Evidence: https://museum.example.org/policies/ai/2024-inventory-of-systems-in-use.pdf"


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def overflow(page) -> dict:
    """How wide the page is, and the elements that stick out past the right edge of the screen."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const culprits = [];
          for (const el of document.querySelectorAll("body *")) {
            const box = el.getBoundingClientRect();
            if (box.width && box.right > width + 0.5) {
              let inScroller = false;
              for (let p = el.parentElement; p; p = p.parentElement) {
                const style = getComputedStyle(p);
                if (["auto", "scroll", "hidden"].includes(style.overflowX)) { inScroller = true; break; }
              }
              if (!inScroller) {
                const classes = typeof el.className === "string" ? el.className.trim().split(" ") : [];
                culprits.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                  + classes.map(c => c && "." + c).join("") + " right=" + Math.round(box.right));
              }
            }
          }
          return {scrollWidth: document.documentElement.scrollWidth, culprits: culprits.slice(0, 8)};
        }"""
    )


def words_broken_in_tables(page) -> list[str]:
    """Words of up to 20 letters in our tables that wrap onto two lines ("Novemb / er").

    Longer runs (a web address in a note) may break anywhere.
    """
    return page.evaluate(
        r"""() => {
          const broken = [];
          const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!node.parentElement.closest("table")) { continue; }
            // Each run of up to 20 non-spaces, in parts between hyphens (where lines may break).
            for (const run of node.textContent.matchAll(/(?<!\S)\S{2,20}(?!\S)/g)) {
              for (const part of run[0].matchAll(/[^-]+/g)) {
                const range = document.createRange();
                range.setStart(node, run.index + part.index);
                range.setEnd(node, run.index + part.index + part[0].length);
                const boxes = [...range.getClientRects()].filter(r => r.width);
                const lines = new Set(boxes.map(r => Math.round(r.top)));
                if (lines.size > 1) { broken.push(part[0]); }
              }
            }
          }
          return broken.slice(0, 8);
        }"""
    )


def check(page, name: str, path: str, problems: list[str], *, axe: bool = True) -> None:
    """Open the page; note it if it is wider than the phone (or, with ``axe``, fails WCAG on a phone)."""
    page.goto(path)
    page.wait_for_load_state("load")
    page.wait_for_timeout(100)  # charts draw after load
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))  # the first screen: whole pages run to 50,000 px
    found = overflow(page)
    if found["scrollWidth"] > PHONE["width"]:
        problems.append(f"{name} ({path}): {found['scrollWidth']} px wide; {found['culprits']}")
    if not path.startswith("/admin/") and (broken := words_broken_in_tables(page)):
        problems.append(f"{name} ({path}): words broken mid-word: {broken}")
    if axe:
        try:
            assert_accessible(page, context=f"{name} on a phone")
        except AssertionError as error:
            problems.append(str(error))


@pytest.fixture
def museum_with_history(framework, museum_a, lead, editor, viewer, outsider, museum_b):
    """Museum A: two submitted assessments and a draft with long notes; its lead also leads museum B."""
    Membership.objects.create(user=lead, museum=museum_b, role=Role.LEAD)
    submitted_assessment(museum_a, lead, lambda q: 1, days_ago=400)
    last = submitted_assessment(museum_a, lead, lambda q: 1 if q.legal_duty else 2, days_ago=30)
    draft = answers.assessment_start(museum=museum_a, user=editor, copy_previous=True)
    question = questions_of(draft)[0]
    current = draft.answers.get(question=question)
    for version, level in enumerate([3, 4, 2], start=current.version):
        answers.answers_save(
            assessment=draft,
            user=editor,
            inputs=[answers.AnswerInput(question.pk, level, False, "", LONG_NOTE, version)],
        )
    return {"last": last, "draft": draft, "question": question, "editor": editor}


def test_no_page_scrolls_sideways_on_a_phone(phone, museum_with_history, museum_a, lead, nemo_admin, sector):
    problems: list[str] = []
    draft, last, question = (museum_with_history[k] for k in ("draft", "last", "question"))
    museum = museum_a.pk

    for name, path in [
        ("home", "/"),
        ("login", reverse("login")),
        ("signup", reverse("signup")),
        ("password-reset", reverse("password_reset")),
        ("framework", reverse("recommendations:framework")),
    ]:
        check(phone, name, path, problems)

    log_in(phone, lead)
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    a = {"museum_id": museum, "assessment_id": draft.pk}
    action = plan.action_create(
        museum=museum_a,
        user=lead,
        data=plan.ActionInput(
            title="Publish the list of AI systems in use on the website",
            owner_name="Jan Peeters (volunteer, communications)",
            due_date=datetime.date(2020, 1, 31),
            dimension_id=question.dimension_id,
            question_id=question.pk,
            status_note=LONG_NOTE,
        ),
    )
    pages = [
        ("museum-list", reverse("assessment:museum_list")),
        ("museum-home", reverse("assessment:museum_home", args=[museum])),
        ("museum-edit", reverse("assessment:museum_edit", args=[museum])),
        ("museum-create", reverse("assessment:museum_create")),
        ("team", reverse("assessment:team", args=[museum])),
        (
            "membership-remove",
            reverse(
                "assessment:membership_remove",
                args=[museum, Membership.objects.filter(museum=museum_a).exclude(user=lead).first().pk],
            ),
        ),
        ("assessment-list", reverse("assessment:assessment_list", args=[museum])),
        ("review", reverse("assessment:assessment_detail", kwargs=a)),
        *[
            (f"area-{number}", reverse("assessment:area", kwargs={**a, "number": number}))
            for number in draft.framework.recommendations.values_list("number", flat=True)
        ],
        ("history", reverse("assessment:answer_history", kwargs={**a, "question_id": question.pk})),
        ("targets", reverse("assessment:targets", kwargs=a)),
        ("results-draft", reverse("assessment:results", kwargs=a)),
        ("submit", reverse("assessment:assessment_submit", kwargs=a)),
        ("discard", reverse("assessment:assessment_discard", kwargs=a)),
        ("results", reverse("assessment:results", kwargs={**a, "assessment_id": last.pk})),
        ("area-submitted", reverse("assessment:area", kwargs={**a, "assessment_id": last.pk, "number": 1})),
        ("password-change", reverse("password_change")),
        ("plan", reverse("assessment:plan", args=[museum])),
        ("action-new", reverse("assessment:action_create", args=[museum]) + f"?question={question.pk}"),
        ("action-edit", reverse("assessment:action_edit", args=[museum, action.pk])),
    ]
    for name, path in pages:
        check(phone, name, path, problems)
    # The start page: offering to copy the last answers into a colleague's empty draft, then its form.
    Assessment.objects.filter(pk=draft.pk).delete()
    empty = answers.assessment_start(museum=museum_a, user=museum_with_history["editor"], copy_previous=False)
    check(phone, "start-into-empty-draft", reverse("assessment:assessment_start", args=[museum]), problems)
    empty.delete()
    check(phone, "start", reverse("assessment:assessment_start", args=[museum]), problems)

    phone.context.clear_cookies()
    log_in(phone, nemo_admin)
    for name, path in [
        ("sector-overview", reverse("nemo_overview")),
        ("admin-index", reverse("admin:index")),
        ("admin-assessments", reverse("admin:assessment_assessment_changelist")),
        ("admin-assessment", reverse("admin:assessment_assessment_change", args=[last.pk])),
    ]:
        # Django admin's own pages are not ours to make accessible; they must still fit.
        check(phone, name, path, problems, axe=name == "sector-overview")

    assert not problems, "Pages that do not fit a 375 px phone:\n" + "\n".join(problems)


def test_target_menus_are_whole_on_a_phone(phone, museum_with_history, museum_a, lead):
    log_in(phone, lead)
    draft = museum_with_history["draft"]
    phone.goto(reverse("assessment:targets", args=[museum_a.pk, draft.pk]))
    menus = phone.locator("main select")
    expect(menus.first).to_be_visible()
    for index in range(menus.count()):
        box = menus.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
            f"target menu {index} is cut off at the screen's edge: {box}"
        )


def test_radar_labels_fit_and_do_not_overlap_on_a_phone(phone, museum_with_history, museum_a, lead):
    log_in(phone, lead)
    last = museum_with_history["last"]
    phone.goto(reverse("assessment:results", args=[museum_a.pk, last.pk]))
    expect(phone.locator("#radar-chart")).to_be_visible()
    labels = phone.evaluate(
        """() => {
          const chart = Chart.getChart(document.querySelector('#radar-chart'));
          return {
            width: chart.width, height: chart.height,
            items: chart.scales.r._pointLabelItems.map(
              i => ({left: i.left, right: i.right, top: i.top, bottom: i.bottom})
            )
          };
        }"""
    )
    assert Question.objects.exists()
    for item in labels["items"]:
        assert item["left"] >= 0 and item["right"] <= labels["width"], f"a label is cut off: {item}"
        assert item["top"] >= 0 and item["bottom"] <= labels["height"], f"a label is cut off: {item}"
    items = labels["items"]
    for i, one in enumerate(items):
        for other in items[i + 1 :]:
            apart = (
                one["right"] <= other["left"]
                or other["right"] <= one["left"]
                or one["bottom"] <= other["top"]
                or other["bottom"] <= one["top"]
            )
            assert apart, f"radar labels overlap: {one} and {other}"

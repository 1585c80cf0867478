from __future__ import annotations

from playwright.sync_api import expect

from recommendations.models import PolicyPassage
from tests.conftest import assert_accessible


def test_framework_page_is_accessible_and_links_questions_to_their_quotes(page, framework):
    page.goto("/framework/")
    expect(page.get_by_role("heading", level=1)).to_have_text(framework.title)
    assert_accessible(page, context="framework page")

    first_question = page.locator(".question").first
    first_question.get_by_role("link").first.click()
    target = page.locator(":target")
    passage = PolicyPassage.objects.get(framework=framework, slug=page.url.split("#passage-")[1])
    expect(target.locator("blockquote")).to_contain_text(passage.text[:60])
    expect(target.locator("figcaption")).to_contain_text(passage.attribution)


def test_framework_prints_without_navigation(page, framework, tmp_path):
    page.goto("/framework/")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    pdf = tmp_path / "framework.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.stat().st_size > 50_000

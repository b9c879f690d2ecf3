"""A user's tour in a real headless browser (Debian's chromium driven by playwright):
the story list, a story, a compare. Saves screenshots under tests/artifacts/."""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SAMESTORY_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent.parent / "artifacts"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no browser at {CHROMIUM} (make test installs Debian's chromium where it can)")


@pytest.fixture(scope="module")
def page():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        pg = browser.new_page(viewport={"width": 1280, "height": 900})
        yield pg
        browser.close()


def test_a_user_browses_a_story_and_compares(server, page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server + "/")
    items = page.locator(".story-item")
    assert items.count() >= 3
    assert "stories" in page.locator("#count").inner_text()
    page.screenshot(path=str(ARTIFACTS / "stories.png"), full_page=True)
    # search narrows the list
    page.fill("input[name=q]", "Lohan")
    page.click("button[type=submit]")
    assert page.locator(".story-item").count() >= 1
    assert "Lohan" in page.locator("#count").inner_text()
    # the biggest Lohan story: open it
    page.locator(".story-link").first.click()
    page.wait_for_selector("#story-title")
    assert page.locator(".timeline tbody tr").count() >= 2
    assert page.get_by_role("heading", name="Timeline").is_visible()
    if page.locator("#coverage-chart").count():  # a story of two dated articles or more has its chart
        assert page.locator("#coverage-chart svg rect").count() >= 2
        assert page.locator("#firsts tbody tr").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "story.png"), full_page=True)
    story_url = page.url
    # compare the second article with the first
    page.locator("a", has_text="compare with the first").first.click()
    page.wait_for_selector("#verdict")
    verdict = page.locator("#verdict h2").inner_text()
    assert verdict in ("Same story", "Different stories")
    assert page.locator("#aligned tbody tr").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)
    # the story at phone width: the chart scales, nothing scrolls sideways
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(story_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "story-phone.png"), full_page=True)
    # a source's page, from the story's timeline: its stories, and how often it was first
    page.goto(server + page.locator("a[href^='/source/']").first.get_attribute("href"))
    page.wait_for_selector("#source-name")
    assert page.locator(".story-item").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "source-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    page.screenshot(path=str(ARTIFACTS / "source.png"), full_page=True)


def test_the_page_fits_a_phone(server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling
    page.screenshot(path=str(ARTIFACTS / "stories-phone.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


def test_markup_and_script_urls_render_inert(server, page):
    """Stored XSS: a title with markup and a javascript: url, posted like any article, show as text in a real
    browser: no dialog opens, no element is injected, the url is no link."""
    import httpx

    evil = {"id": "xss", "title": '"><img src=x onerror=alert(1)>', "url": "javascript:alert(2)",
            "text": "A quiet town council met on Monday and approved the budget for the new library after a long debate."}
    placed = httpx.post(server + "/articles", json=evil, params={"wait": 60}, timeout=120).json()["articles"][0]
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{server}/story/{placed['story']}")
    page.wait_for_selector("#story-title")
    assert page.locator("img[src=x]").count() == 0 and page.locator("a[href^=javascript]").count() == 0
    assert '"><img src=x onerror=alert(1)>' in page.inner_text("body")
    page.goto(f"{server}/?q=council")
    assert dialogs == []


def test_a_user_fixes_a_story_from_its_page(server, page):
    """Tick an article, split it off into a story of its own, then merge it back: the story page's buttons."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + "/?q=Lohan")
    page.locator("details.filters summary").click()  # the filters narrow a search too: by language here
    page.select_option("#language-filter", "en")
    page.click("button[type=submit]")
    assert "with an article in en" in page.locator("#count").inner_text() and page.locator(".story-item").count() >= 1
    page.locator(".story-link").first.click()
    page.wait_for_selector("#story-title")
    first_story, rows = page.url, page.locator(".timeline tbody tr").count()
    assert rows >= 2
    box = page.locator(".timeline input[type=checkbox]").first
    ticked = box.get_attribute("value")
    box.check()
    page.locator("#fix summary").click()
    page.click("#split-button")
    page.wait_for_selector("#story-title")
    assert page.url != first_story and page.locator(".timeline tbody tr").count() == 1
    assert page.locator(".timeline input[type=checkbox]").first.get_attribute("value") == ticked
    page.screenshot(path=str(ARTIFACTS / "story-split.png"), full_page=True)
    split_id = page.url.rstrip("/").rsplit("/", 1)[1]
    page.goto(first_story)
    assert page.locator(".timeline tbody tr").count() == rows - 1
    page.locator("#fix summary").click()
    page.fill("#fix input[name=other]", split_id)
    page.click("#merge-button")
    page.wait_for_selector("#story-title")
    assert page.url == first_story and page.locator(".timeline tbody tr").count() == rows

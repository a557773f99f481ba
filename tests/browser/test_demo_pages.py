"""The demo's public pages in a real browser: what a reader sees after ``make demo``.

With ``TAGFEED_SCREENSHOTS=<folder>`` the test also saves the screenshots of the docs.
"""

import io

import pytest
from django.core.management import call_command

from tests.browser.test_import_e2e import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_reader_sees_dates_ellipses_and_each_lead_once(browser_page, live_server, settings):
    settings.ROOT_URLCONF = "tests.browser.urls"
    call_command("load_demo", stdout=io.StringIO())
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 1100})

    page.goto(f"{live_server.url}/news/tag/turkey/")
    items = page.locator("article.tagfeed-item")
    assert items.count() == 10
    first = items.first
    assert first.locator("time").inner_text().strip()
    assert first.locator(".tagfeed-item__summary").inner_text().endswith("strategic,…")
    image = first.locator("picture img")
    image.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0
    assert image.evaluate("img => img.currentSrc").rsplit(".", 1)[-1] in ("avif", "webp", "jpg")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "tag-listing.png")

    first.locator("h3 a").click()
    page.wait_for_url("**/news/lavrov-turkey-is-not-russias-strategic-ally/")
    main = page.locator("main")
    assert main.locator(".tagfeed-article__summary").count() == 0
    lead = "Russia does not and has never considered Turkey a strategic ally"
    assert main.inner_text().count(lead) == 1
    assert main.locator("time").inner_text().strip()
    page.wait_for_load_state("networkidle")
    screenshot(page, "article-page.png")

"""End to end in a real browser: import the seed page from the admin, see it published.

With ``TAGFEED_SCREENSHOTS=<folder>`` the test also saves the screenshots of the docs.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.admin.conftest import seed_body
from tests.admin.factories import UserFactory
from tests.factories import TagIndexPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def screenshot(page, name: str, **options) -> None:
    folder = os.environ.get("TAGFEED_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), **options)


def test_import_from_the_admin_and_see_the_listing(
    browser_page, live_server, http_server, settings
):
    settings.TAGFEED_ALLOW_PRIVATE_HOSTS = True
    http_server.route(
        "/news/tag/turkey?page=1", seed_body(http_server, "tag-listing-turkey-page2.html")
    )
    source = http_server.route("/news/tag/turkey", seed_body(http_server))
    news = TagIndexPageFactory(title="News", slug="news")
    UserFactory(username="admin", is_superuser=True)
    page = browser_page

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/tagfeed_import/")
    page.fill("input[name=url]", source)
    # The only tag index is chosen already.
    expect(page.locator("#id_parent")).to_have_value(str(news.pk))
    page.get_by_role("button", name="Preview").click()

    page.wait_for_url("**/preview/**")
    boxes = page.locator("input[name=items]")
    assert boxes.count() == 10
    assert page.locator("input[name=items]:checked").count() == 10
    assert "turkey" in page.locator("[data-tagfeed-tags]").inner_text()
    select_all = page.locator("[data-tagfeed-select-all]")
    select_all.uncheck()
    assert page.locator("input[name=items]:checked").count() == 0
    select_all.check()
    assert page.locator("input[name=items]:checked").count() == 10
    boxes.first.uncheck()
    assert page.locator("input[name=items]:checked").count() == 9
    assert select_all.evaluate("box => box.indeterminate")
    page.set_viewport_size({"width": 1280, "height": 1500})
    screenshot(page, "import-preview.png")

    page.get_by_role("button", name="Import ticked items").click()
    page.wait_for_url("**/tagfeed_runs/inspect/**")
    assert page.locator("[data-run-status]").get_attribute("data-run-status") == "succeeded"
    assert "9 created" in page.locator("[data-run-counts]").inner_text()
    assert page.locator("[data-run-report] tbody tr").count() == 9

    page.goto(f"{live_server.url}/admin/pages/{news.pk}/")
    assert page.locator("main table tbody tr").count() == 9

    page.goto(f"{live_server.url}/news/tag/turkey/")
    assert page.locator("article.tagfeed-item").count() == 9
    assert page.locator("h1").first.inner_text().strip() != ""

"""The imported XSS corpus in a real browser: public pages, feeds and the Wagtail admin.

Chromium (Debian's, driven by Playwright) gets an init script in every frame that defines
``__pwned`` (which every payload calls) and replaces ``alert``/``confirm``/``prompt``/``print``;
both report to the test through an exposed function, and dialogs are recorded too. A
deliberately unsafe page proves that the hook does catch an execution.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import TagIndexPageFactory
from tests.support.browser import chromium
from wagtail_tagfeed.models import ArticlePage

from .test_xss import import_corpus

HOOK = """
(() => {
  const report = (what) => { try { window.__tagfeedReport(String(what)); } catch (e) {} };
  window.__xss = [];
  window.__pwned = (id) => { window.__xss.push(String(id)); report("pwned " + id); };
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => { window.__xss.push(name); report(name + " " + args.join(",")); };
  }
})();
"""
UNSAFE_CONTROL = """<!DOCTYPE html><title>control</title>
<img src="/missing.png" onerror="__pwned(0)"><script>alert("control")</script>
<iframe srcdoc="<script>__pwned('frame')</script>"></iframe>"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
]
pytest.importorskip("playwright.sync_api")


@pytest.fixture
def browser_page(live_server):
    executions: list[str] = []
    with chromium() as browser:
        context = browser.new_context()
        context.expose_function("__tagfeedReport", lambda what: executions.append(what))
        context.add_init_script(HOOK)
        page = context.new_page()
        page.on(
            "dialog",
            lambda dialog: (executions.append(f"dialog {dialog.message}"), dialog.dismiss()),
        )
        yield page, executions


def visit(page, url: str) -> None:
    page.goto(url, wait_until="load")
    # Let error events of broken images and queued timers fire before moving on.
    page.wait_for_timeout(150)


def test_the_hook_detects_an_unsafe_page(browser_page, live_server):
    page, executions = browser_page
    page.route(
        "**/unsafe-control/",
        lambda route: route.fulfill(status=200, content_type="text/html", body=UNSAFE_CONTROL),
    )
    visit(page, live_server.url + "/unsafe-control/")
    assert "pwned 0" in executions
    assert "alert control" in executions
    assert "pwned frame" in executions


def test_no_payload_runs_on_any_page(browser_page, live_server, committed_db, tmp_path):
    page, executions = browser_page
    index = TagIndexPageFactory()
    outcomes = import_corpus(index, tmp_path)
    assert list(outcomes.values()).count("imported") >= 150
    type(index).objects.filter(pk=index.pk).update(per_page=200)
    articles = list(ArticlePage.objects.filter(slug__startswith="hostile").order_by("pk"))
    base = live_server.url + index.url
    for url in (base, f"{base}?page=2", f"{base}?page=3", f"{base}tag/turkey/"):
        visit(page, url)
    for kind in ("rss", "atom"):
        visit(page, f"{base}feed/{kind}/")
    for article in articles:
        visit(page, live_server.url + article.url)
    assert executions == []

    user = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    visit(page, f"{live_server.url}/admin/pages/{index.pk}/")
    for article in articles[::8]:
        edit = f"{live_server.url}/admin/pages/{article.pk}/edit/"
        visit(page, edit)
        assert page.locator("form[data-edit-form]").count() == 1, edit
        status = page.evaluate(
            """async (url) => {
                const form = document.querySelector("form[data-edit-form]");
                const response = await fetch(url, {method: "POST", body: new FormData(form)});
                return response.status;
            }""",
            edit + "preview/",
        )
        assert status == 200, edit
        visit(page, edit + "preview/?mode=")
    assert executions == []

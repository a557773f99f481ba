"""Chromium through Playwright, for the end-to-end tests; skipped only without chromium."""

import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def chromium_path() -> str | None:
    return next(
        (
            path
            for path in ("/usr/bin/chromium", shutil.which("chromium"))
            if path and os.path.exists(path)
        ),
        None,
    )


@pytest.fixture
def browser_page():
    """A fresh Playwright page in headless Debian chromium."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("chromium not found: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
    # test are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()

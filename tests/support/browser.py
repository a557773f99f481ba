"""Debian's chromium through Playwright, for the tests that need a real browser."""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connections

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


@contextmanager
def chromium() -> Iterator:
    """A headless chromium; skips the test only when chromium is not installed.

    Playwright's sync API runs an event loop in the test's thread, so the Django connections
    the test opens meanwhile are that loop's own, not the ones pytest-django closes: they are
    closed here, or the test database could not be dropped at the end of the run.
    """
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        pytest.skip("chromium not found: apt-get install -y chromium")
    # Django's ORM calls from the test are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()

"""Debian's chromium through Playwright, for the tests that need a real browser."""

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


def launch(playwright):
    """A headless chromium; skips the test only when chromium is not installed."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("chromium not found: apt-get install -y chromium")
    # Playwright's sync API runs an event loop in the test's thread; Django's ORM calls
    # from the test are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return playwright.chromium.launch(
        executable_path=executable, headless=True, args=CHROMIUM_ARGS
    )

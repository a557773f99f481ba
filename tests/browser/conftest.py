"""Chromium through Playwright, for the end-to-end tests; skipped only without chromium."""

import pytest

from tests.support.browser import chromium


@pytest.fixture
def browser_page():
    """A fresh Playwright page in headless Debian chromium."""
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page

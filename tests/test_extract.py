"""The extraction API and its command line need no database and no Django settings."""

import json
import os
import subprocess
import sys
from pathlib import Path

from wagtail_tagfeed import extract

SEED = Path(__file__).parent / "data" / "seed" / "tag-listing-turkey.html"
ARTICLE = Path(__file__).parent / "data" / "articles" / "wordpress-twentytwentyone" / "page.html"


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "wagtail_tagfeed", *args],
        input=stdin,
        capture_output=True,
        encoding="utf-8",
        env=env,
        check=False,
    )


def test_listing_reads_the_seed_page():
    listing = extract.listing(SEED.read_bytes(), "https://news.example/tags/turkey")
    assert listing.tag == "turkey"
    assert len(listing.items) == 10


def test_article_text_is_the_body_as_plain_text():
    content = extract.article(ARTICLE.read_text(), "https://blog.example/post/")
    assert content.blocks
    assert "\n\n" in content.text
    assert "<" not in content.text


def test_command_line_prints_the_listing_as_json_without_django_settings():
    result = run_cli(
        "extract", "listing", str(SEED), "--base-url", "https://news.example/tags/turkey"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["tag"] == "turkey"
    assert len(data["items"]) == 10


def test_command_line_reads_standard_input_as_text():
    result = run_cli("extract", "article", "-", "--format", "text", stdin=ARTICLE.read_text())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_command_line_reports_an_unreadable_source():
    result = run_cli("extract", "article", "/no/such/file.html")
    assert result.returncode == 1
    assert "file not found" in result.stderr

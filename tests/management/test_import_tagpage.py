"""The import_tagpage command on the seed page, over real HTTP, and on bad input."""

import contextlib
import io
import json
import os
import select
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models.signals import post_save
from django.utils.html import escape
from wagtail.models import Page, Revision

from tests.factories import TagIndexPageFactory
from wagtail_tagfeed.models import ArticlePage, TagIndexPage

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[1] / "data" / "seed"
PAGE1 = SEED / "tag-listing-turkey.html"
PAGE2 = SEED / "tag-listing-turkey-page2.html"
EXPECTED = json.loads((SEED / "tag-listing-turkey.expected.json").read_text())


def run(*args, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    extra = {"stdin": io.BytesIO(stdin)} if stdin is not None else {}
    call_command("import_tagpage", *map(str, args), stdout=out, stderr=err, **extra)
    return out.getvalue()


def fails(*args) -> CommandError:
    with pytest.raises(CommandError) as info:
        run(*args)
    message = str(info.value)
    assert "\n" not in message.strip()
    assert not ArticlePage.objects.exists()
    return info.value


def test_imports_the_seed_page(tag_index):
    out = run(PAGE1)
    assert "turkey: 10 created, 0 updated, 0 unchanged, 0 failed" in out
    pages = ArticlePage.objects.child_of(tag_index)
    assert sorted(p.source_url for p in pages) == sorted(i["url"] for i in EXPECTED["items"])
    lavrov = pages.get(source_url=EXPECTED["items"][0]["url"])
    assert lavrov.title == "Lavrov: Turkey is not Russia’s strategic ally"
    assert [t.name for t in lavrov.tags.all()] == ["turkey"]
    assert lavrov.summary.startswith("<p>Russia does not and has never considered Turkey")
    assert "…" not in lavrov.summary
    assert lavrov.live


def test_reimport_changes_nothing(tag_index):
    run(PAGE1)
    revisions = Revision.objects.count()
    assert "turkey: 0 created, 0 updated, 10 unchanged, 0 failed" in run(PAGE1)
    assert Revision.objects.count() == revisions


def test_follows_pagination_over_http(tag_index, http_server):
    for path, file in (("/news/tag/turkey", PAGE1), ("/news/tag/turkey?page=1", PAGE2)):
        body = file.read_bytes().replace(b"https://news.example", http_server.url("").encode())
        http_server.route(path, body=body, headers={"Content-Type": "text/html; charset=utf-8"})
    out = run(http_server.url("/news/tag/turkey"), "--pages", 3)
    assert "turkey: 13 created" in out
    assert ArticlePage.objects.count() == 13


def test_dry_run_json_prints_the_listing(tag_index):
    payload = json.loads(run(PAGE1, "--dry-run", "--format", "json"))
    assert set(payload) == {"source", "page_url", "heading", "tag", "next_page", "items"}
    assert payload["page_url"] == EXPECTED["page_url"]
    assert payload["tag"] == "turkey"
    assert payload["next_page"] == EXPECTED["next_page"]
    assert [item["title"] for item in payload["items"]] == [i["title"] for i in EXPECTED["items"]]
    first = payload["items"][0]
    assert set(first) == {
        "title",
        "url",
        "summary_html",
        "summary_text",
        "published",
        "image",
        "tags",
        "truncated",
        "outcome",
        "page_id",
    }
    assert {item["outcome"] for item in payload["items"]} == {"created"}
    assert first["published"] is None
    assert not ArticlePage.objects.exists()


def test_dry_run_reports_what_would_happen(tag_index):
    run(PAGE1)
    out = run(PAGE1, "--dry-run")
    assert "(dry run) turkey: 0 created, 0 updated, 10 unchanged" in out


def test_json_report(tag_index):
    report = json.loads(run(PAGE1, "--format", "json"))
    assert report["counts"]["created"] == 10
    assert all(result["page_id"] for result in report["results"])


def test_reads_stdin_with_base_url_and_explicit_tag(tag_index):
    out = run("-", "--tag", "Ankara", "--base-url", EXPECTED["page_url"], stdin=PAGE1.read_bytes())
    assert "Ankara: 10 created" in out
    assert ArticlePage.objects.filter(tags__name="Ankara").count() == 10


def test_draft_option(tag_index):
    run(PAGE1, "--draft")
    assert not ArticlePage.objects.filter(live=True).exists()


def test_creates_an_index_when_there_is_none(db):
    assert not TagIndexPage.objects.exists()
    out = run(PAGE1)
    assert "Created the tag index “News”" in out
    assert ArticlePage.objects.child_of(TagIndexPage.objects.get()).count() == 10


def test_several_indexes_need_parent(tag_index):
    other = TagIndexPageFactory(title="Other")
    error = fails(PAGE1)
    assert "choose one:" in str(error) and "--parent" in str(error)
    run(PAGE1, "--parent", other.url)
    assert ArticlePage.objects.child_of(other).count() == 10


def test_unknown_parent(tag_index):
    assert "No page matches “/nowhere/”" in str(fails(PAGE1, "--parent", "/nowhere/"))


def test_a_parent_that_is_not_a_tag_index_is_named(tag_index):
    home = tag_index.get_parent()
    error = str(fails(PAGE1, "--parent", str(home.pk)))
    assert f"“{home.title}” ({home.pk}) is not a tag index page" in error


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not HTML"),
        (b'{"items": []}', "not HTML"),
        (b"<html><body><h1>Nothing here</h1><p>Just a paragraph.</p></body></html>", "--item"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(tag_index, tmp_path, content, message):
    source = tmp_path / "input.html"
    source.write_bytes(content)
    error = fails(source)
    assert error.returncode == 1
    assert message.lower() in str(error).lower()


def test_missing_file(tag_index, tmp_path):
    assert "input.html" in str(fails(tmp_path / "input.html"))


def test_invalid_selector_is_a_usage_error(tag_index):
    assert fails(PAGE1, "--item", "div[[").returncode == 2


def test_no_tag_found(tag_index, tmp_path):
    page = PAGE1.read_bytes().replace(b"Contents tagged with turkey", b"Latest")
    page = page.replace(b"/news/tag/turkey", b"/news/latest").replace(b"page-tag", b"page")
    source = tmp_path / "latest.html"
    source.write_bytes(page)
    assert "--tag" in str(fails(source))


def test_unreachable_url_and_http_errors(tag_index, http_server):
    http_server.route("/gone", body=b"gone", status=404)
    assert "404" in str(fails(http_server.url("/gone")))
    assert "127.0.0.1:9" in str(fails("http://127.0.0.1:9/tag/turkey"))


def test_tree_is_sound_after_import(tag_index):
    run(PAGE1)
    assert Page.find_problems() == ([], [], [], [], [])


def test_listing_keeps_the_source_order_of_undated_items(client, tag_index):
    run(PAGE1)
    html = client.get(f"{tag_index.url}tag/turkey/").content.decode()
    html = html[html.index("<main") : html.index("</main>")]
    positions = [html.find(escape(item["title"])) for item in EXPECTED["items"]]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_a_failed_first_import_leaves_no_tag_index_behind(db):
    def fail(sender, instance, **kwargs):
        raise RuntimeError("disk on fire")

    post_save.connect(fail, sender=ArticlePage)
    try:
        assert "disk on fire" in str(fails(PAGE1))
    finally:
        post_save.disconnect(fail, sender=ArticlePage)
    assert not TagIndexPage.objects.exists()


def test_progress_bar_on_a_terminal_only(tag_index):
    """A real pseudo-terminal as stderr gets the bar; a pipe or file gets nothing."""
    controller, terminal = os.openpty()
    with os.fdopen(terminal, "w") as stderr:
        call_command("import_tagpage", str(PAGE1), stdout=io.StringIO(), stderr=stderr)
    shown = b""
    with contextlib.suppress(OSError):  # EIO: everything written has been read
        while select.select([controller], [], [], 0.2)[0]:
            shown += os.read(controller, 4096)
    os.close(controller)
    frames = shown.decode().replace("\r\n", "\n").split("\r")
    assert frames == [
        "",
        *(f"[{'#' * 3 * n:.<30}] {n}/10" for n in range(1, 10)),
        f"[{'#' * 30}] 10/10\n",
    ]

    piped = io.StringIO()
    call_command(
        "import_tagpage",
        str(PAGE2),
        "--parent",
        str(tag_index.pk),
        stdout=io.StringIO(),
        stderr=piped,
    )
    assert piped.getvalue() == ""


def test_help_explains_every_option_with_its_default():
    from wagtail_tagfeed.management.commands.import_tagpage import Command

    parser = Command().create_parser("manage.py", "import_tagpage")
    for action in parser._actions:
        if action.option_strings and action.dest not in ("help", "version"):
            assert action.help, action.option_strings
    text = " ".join(parser.format_help().split())
    assert (
        "--timeout TIMEOUT Seconds allowed for each page (TAGFEED_TIMEOUT). (default: 10.0)"
        in text
    )
    assert "--pages N Listing pages to read" in text and "(default: 1)" in text

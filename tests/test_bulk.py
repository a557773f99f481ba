"""The bulk path of syncing stores exactly what the standard Wagtail calls store."""

import dataclasses
import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.models import IndexEntry

from tests.factories import DraftFactory, TagIndexPageFactory
from wagtail_tagfeed.listing import Outcome
from wagtail_tagfeed.models import ArticlePage
from wagtail_tagfeed.options import ImportOptions
from wagtail_tagfeed.parsing.urls import source_key
from wagtail_tagfeed.syncing import sync
from wagtail_tagfeed.writing import CHUNK_SIZE, fingerprint

pytestmark = pytest.mark.django_db

VOLATILE = {
    "pk",
    "id",  # of pages, and of stream blocks (random)
    "page_ptr",
    "path",
    "url_path",
    "translation_key",
    "content_object",
    "source_url",
    "source_key",
    "latest_revision_created_at",
    "first_published_at",
    "last_published_at",
}


def entries(site: str, count: int = 4, tags=("turkey", "NATO"), *, bodies: bool = False):
    """Drafts of ``count`` articles; with ``bodies``, every other one has an author and a
    body of a heading, a paragraph and a quote."""
    return [
        DraftFactory(
            title=f"Zebra crossing {n}" if n % 2 else "Same title",
            listing_url=f"https://{site}/story-{n}",
            summary=f'<p>Teaser {n} with a <a href="https://news.example/">link</a>.</p>',
            published=datetime.date(2020, 10, 1) + datetime.timedelta(days=n),
            tags=tuple(tags),
            author=f"Author {n}" if bodies and n % 2 else None,
            body=(
                {"type": "heading", "value": {"text": f"Ferries {n}", "level": "h2"}},
                {"type": "paragraph", "value": f"<p>Body <b>{n}</b> &amp; more.</p>"},
                {"type": "quote", "value": {"text": "Said so.", "attribution": "Someone"}},
            )
            if bodies and n % 2
            else None,
        )
        for n in range(count)
    ]


def run(index, drafts, user=None, **options):
    return sync(index, drafts, options=ImportOptions(**options), user=user)


def standard_import(index, drafts, user, *, draft=False):
    """What an editor's "Publish" (or "Save draft") in the admin stores, page by page."""
    tags = {}
    for entry in drafts:
        page = ArticlePage(
            **entry.page_fields(),
            source_url=entry.source_url,
            source_key=source_key(entry.source_url),
            import_fingerprint=fingerprint(entry),
            live=not draft,
            owner=user,
        )
        page.tags.add(*(tags.get(n) or Tag.objects.get_or_create(name=n)[0] for n in entry.tags))
        index.add_child(instance=page)
        revision = page.save_revision(user=user, log_action=True)
        if not draft:
            revision.publish(user=user)
        ArticlePage.objects.filter(pk=page.pk).update(imported_revision=revision)


def normalise(value):
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def snapshot(index) -> list[dict]:
    """Everything about the articles below ``index`` that does not depend on ids or time."""
    index.refresh_from_db()
    rows = []
    for page in ArticlePage.objects.child_of(index).order_by("path"):
        revisions = list(Revision.page_revisions.filter(object_id=str(page.pk)))
        logs = PageLogEntry.objects.filter(page=page).order_by("timestamp", "pk")
        references = ReferenceIndex.objects.filter(object_id=str(page.pk))
        rows.append(
            {
                "tree": (page.depth, page.numchild, page.path.removeprefix(index.path)),
                "url_path": page.url_path.removeprefix(index.url_path),
                "fields": (page.title, page.draft_title, page.slug, page.summary, page.date),
                "owner": page.owner_id,
                "locale": page.locale_id,
                "content_type": page.content_type_id,
                "state": (page.live, page.has_unpublished_changes, page.expired),
                "published": (
                    page.first_published_at is not None,
                    page.first_published_at == page.last_published_at,
                ),
                "revision_ids": (
                    [r.pk for r in revisions] == [page.latest_revision_id],
                    page.live_revision_id == (page.latest_revision_id if page.live else None),
                    page.imported_revision_id == page.latest_revision_id,
                    page.latest_revision_created_at == revisions[0].created_at,
                ),
                "revisions": [
                    (
                        r.content_type_id,
                        r.base_content_type_id,
                        r.user_id,
                        r.object_str,
                        # The body is stored as JSON text, its blocks with random ids.
                        normalise({**r.content, "body": json.loads(r.content["body"])}),
                    )
                    for r in revisions
                ],
                "tags": sorted(t.name for t in page.tags.all()),
                "history": [
                    (
                        log.action,
                        log.label,
                        log.user_id,
                        log.revision_id == page.latest_revision_id,
                        log.content_changed,
                        log.data,
                        log.content_type_id,
                    )
                    for log in logs
                ],
                "search": sorted(
                    (
                        entry.content_type_id,
                        str(entry.title),
                        str(entry.autocomplete),
                        str(entry.body),
                        # Plain texts for fuzzy search, where the backend writes them.
                        *(str(getattr(entry, name, "")) for name in ("title_text", "body_text")),
                    )
                    for entry in IndexEntry.objects.filter(object_id=str(page.pk))
                ),
                "references": sorted(
                    (*row[:-1], re.sub(r"\.\d+\.", ".<id>.", row[-1]))
                    for row in references.values_list(
                        "content_type",
                        "base_content_type",
                        "to_content_type",
                        "to_object_id",
                        "model_path",
                        "content_path",
                    )
                ),
            }
        )
    return rows


@pytest.mark.parametrize("draft", [False, True], ids=["published", "draft"])
def test_bulk_import_stores_what_the_standard_path_stores(
    django_user_model, django_capture_on_commit_callbacks, draft
):
    user = django_user_model.objects.create_superuser("editor", "e@example.com", "x")
    standard, bulk = TagIndexPageFactory(), TagIndexPageFactory()
    with django_capture_on_commit_callbacks(execute=True):
        standard_import(standard, entries("a.example", bodies=True), user, draft=draft)
        # A second round lands after existing siblings.
        standard_import(standard, entries("a.example", 6, bodies=True)[4:], user, draft=draft)
    with django_capture_on_commit_callbacks(execute=True):
        run(bulk, entries("b.example", bodies=True), user=user, draft=draft)
        run(bulk, entries("b.example", 6, bodies=True), user=user, draft=draft)

    expected, got = snapshot(standard), snapshot(bulk)
    assert len(got) == 6
    assert [row["fields"][2] for row in got] == [
        "same-title",
        "zebra-crossing-1",
        "same-title-2",
        "zebra-crossing-3",
        "same-title-3",
        "zebra-crossing-5",
    ]
    for want, have in zip(expected, got, strict=True):
        assert have == want
    assert expected[0]["history"][0][0] == "wagtail.create"
    assert "teaser" in str(expected[0]["search"]).lower()
    assert "ferri" in str(expected[1]["search"]).lower()  # stemmed on PostgreSQL
    assert "author" in str(expected[1]["search"]).lower()
    assert (standard.numchild, bulk.numchild) == (6, 6)
    assert Page.find_problems() == ([], [], [], [], [])
    live = ArticlePage.objects.live()
    for query in ("Zebra crossing", "Teaser 4", "Ferries"):
        found_a = sorted(p.title for p in live.child_of(standard).search(query))
        found_b = sorted(p.title for p in live.child_of(bulk).search(query))
        assert found_b == found_a
        assert bool(found_b) is not draft


def test_bulk_import_is_reachable_and_listed(client, tag_index):
    run(tag_index, entries("b.example", 3))
    page = ArticlePage.objects.get(source_url="https://b.example/story-1")
    assert client.get(page.url).status_code == 200
    html = client.get(f"{tag_index.url}tag/turkey/").content.decode()
    assert "Zebra crossing 1" in html


def test_bulk_import_takes_a_few_queries_per_chunk_not_per_article(tag_index):
    run(tag_index, entries("a.example", 1))
    with CaptureQueriesContext(connection) as captured:
        run(tag_index, entries("b.example", 200))
    # Batches follow the database's limit on query parameters (tight on SQLite).
    assert len(captured) < 200 / 5


def test_unchanged_reimport_writes_nothing_in_two_queries_per_chunk(tag_index):
    items = entries("a.example", CHUNK_SIZE + 20)
    run(tag_index, items)
    with CaptureQueriesContext(connection) as captured:
        results = run(tag_index, items)
    assert {result.outcome for result in results} == {Outcome.UNCHANGED}
    statements = [q["sql"].split()[0].upper() for q in captured]
    assert not {"INSERT", "UPDATE", "DELETE"} & set(statements)
    selects = [q["sql"] for q in captured if q["sql"].upper().startswith("SELECT")]
    # The locked parent and language, the tags, fingerprints and tags once per chunk, and
    # the imported pages the teasers link to.
    assert len(selects) == 3 + 2 * 2 + 1


def test_new_and_changed_items_mix_in_one_chunk(tag_index):
    run(tag_index, entries("a.example", 3))
    changed = [
        dataclasses.replace(draft, summary="<p>New.</p>") for draft in entries("a.example", 5)
    ]
    results = run(tag_index, changed)
    assert [r.outcome for r in results] == [Outcome.UPDATED] * 3 + [Outcome.CREATED] * 2
    assert ArticlePage.objects.filter(summary="<p>New.</p>").count() == 5
    tag_index.refresh_from_db()
    assert tag_index.numchild == 5
    assert Page.find_problems() == ([], [], [], [], [])


def test_a_bulk_failure_writes_nothing(tag_index):
    too_long = entries("a.example", 3)
    too_long[1] = DraftFactory(title="x" * 300, listing_url="https://a.example/long")
    with pytest.raises(Exception, match=r"a.example/long: title: .*nothing was imported"):
        run(tag_index, too_long)
    assert not ArticlePage.objects.exists()
    tag_index.refresh_from_db()
    assert tag_index.numchild == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's"
)
def test_large_bulk_imports_refresh_planner_statistics(monkeypatch):
    from wagtail_tagfeed import syncing

    monkeypatch.setattr(syncing, "ANALYZE_AFTER", 5)
    run(TagIndexPageFactory(), DraftFactory.create_batch(6))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = %s",
            ["wagtail_tagfeed_articlepagetag"],
        )
        assert cursor.fetchone()[0] is not None


def test_a_failed_self_check_falls_back_to_the_standard_calls(tag_index, monkeypatch, caplog):
    from wagtail_tagfeed import internals

    monkeypatch.setattr(internals, "problems", lambda: ("treebeard paths: changed",))
    with CaptureQueriesContext(connection) as captured:
        results = run(tag_index, entries("c.example", 3))
    assert [r.outcome for r in results] == [Outcome.CREATED] * 3
    assert "bulk path's checks failed (treebeard paths: changed)" in caplog.text
    # Wagtail's own calls: one INSERT of each page row, not one for all.
    inserts = [q for q in captured if q["sql"].startswith('INSERT INTO "wagtailcore_page"')]
    assert len(inserts) == 3
    assert Page.find_problems() == ([], [], [], [], [])


def test_the_private_apis_pass_their_checks_on_the_installed_versions():
    from wagtail_tagfeed import internals

    assert internals.problems() == ()

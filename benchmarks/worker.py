"""One benchmark step in its own process: ``python -m benchmarks.worker STEP FOLDER [N]``.

Prints one JSON object. The database is the one ``DATABASE_URL`` names, already migrated.
"""

from __future__ import annotations

import dataclasses
import datetime
import gc
import io
import json
import os
import pickle
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django

django.setup()

from django.core.files.images import ImageFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from taggit.models import Tag  # noqa: E402
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision  # noqa: E402
from wagtail.search.models import IndexEntry  # noqa: E402

from tests.factories import ImageFactory, TagIndexPageFactory  # noqa: E402
from tests.support.images import image_bytes  # noqa: E402
from wagtail_tagfeed.cleaning import clean_listing  # noqa: E402
from wagtail_tagfeed.drafting import draft_article  # noqa: E402
from wagtail_tagfeed.listing import ArticleDraft, Document  # noqa: E402
from wagtail_tagfeed.models import ArticlePage  # noqa: E402
from wagtail_tagfeed.options import ImportOptions  # noqa: E402
from wagtail_tagfeed.parsing import parse_listing  # noqa: E402
from wagtail_tagfeed.parsing.urls import hostname, source_key  # noqa: E402
from wagtail_tagfeed.syncing import sync as sync_drafts  # noqa: E402
from wagtail_tagfeed.writing import fingerprint  # noqa: E402


def sync(parent, drafts: list[ArticleDraft]):
    return sync_drafts(parent, drafts, options=ImportOptions())


def entries(folder: Path, count: int) -> list[ArticleDraft]:
    """The first ``count`` items of the listings in ``folder``, parsed, cleaned, drafted."""
    found: list[ArticleDraft] = []
    for path in sorted(folder.glob("tag-turkey-*.html")):
        if len(found) >= count:
            break
        page = int(path.stem.rsplit("-", 1)[1])
        document = Document(
            path.read_bytes(), str(path), url=f"https://news.example/tag/turkey?page={page}"
        )
        listing = clean_listing(parse_listing(document))
        found.extend(draft_article(item, (listing.tag or "turkey",)) for item in listing.items)
    return found[:count]


def index(slug: str):
    return TagIndexPageFactory(title=slug.title(), slug=slug)


def timed(func) -> float:
    """Seconds ``func`` takes, from a collected heap: what an earlier step left for the
    garbage collector is not this step's cost, as it would not be in a process of its own."""
    gc.collect()
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def standard(folder: Path, count: int) -> dict:
    """Wagtail's standard page creation, page by page: the baseline of imports."""
    items = entries(folder, count)
    parent = index("standard")
    tag = Tag.objects.get_or_create(name="turkey")[0]

    def run():
        with transaction.atomic():
            for draft in items:
                page = ArticlePage(
                    **draft.page_fields(),
                    source_url=draft.source_url,
                    source_key=source_key(draft.source_url),
                    import_fingerprint=fingerprint(draft),
                )
                page.tags.add(tag)
                parent.add_child(instance=page)
                page.save_revision().publish()

    return {"articles": len(items), "seconds": timed(run)}


def bulk(folder: Path, count: int) -> dict:
    """``syncing.sync`` of parsed listings into an empty index, then the same again."""
    items = entries(folder, count)
    parent = index("news")
    first = timed(lambda: sync(parent, items))

    def reimport():
        # A re-import is another run: nothing of the first one is known.
        source_key.cache_clear()
        hostname.cache_clear()
        sync(parent, items)

    # An unchanged re-import writes nothing and takes under a second, where one pause of a
    # shared machine weighs a tenth: the median of three.
    again = statistics.median(timed(reimport) for _ in range(3))
    assert ArticlePage.objects.child_of(parent).count() == len(items)
    return {
        "articles": len(items),
        "seconds": first,
        "reimport_seconds": again,
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def written_models() -> list:
    """Every table an import writes to, parents before children."""
    through = ArticlePage.tags.through
    return [Tag, Page, ArticlePage, through, Revision, PageLogEntry, ReferenceIndex, IndexEntry]


def last_keys() -> dict[str, int]:
    return {
        model._meta.db_table: model.objects.order_by("-pk").values_list("pk", flat=True).first()
        or 0
        for model in written_models()
    }


def rows(folder: Path, count: int) -> dict:
    """Import ``count`` articles (not timed) and save the rows it wrote, table by table, for
    :func:`raw` to insert into a fresh database."""
    items = entries(folder, count)
    parent = index("news")
    before = last_keys()
    sync(parent, items)
    tables = []
    with connection.cursor() as cursor:
        for model in written_models():
            table, key = model._meta.db_table, model._meta.pk.column
            cursor.execute(
                f"SELECT * FROM {connection.ops.quote_name(table)} "
                f"WHERE {connection.ops.quote_name(key)} > %s ORDER BY 1",
                [before[table]],
            )
            columns = [column[0] for column in cursor.description]
            tables.append((table, columns, cursor.fetchall()))
    (folder.parent / f"rows-{connection.vendor}.pickle").write_bytes(pickle.dumps(tables))
    return {"articles": len(items), "rows": sum(len(found) for *_, found in tables)}


def raw(folder: Path, count: int) -> dict:
    """The rows :func:`rows` saved, inserted with one ``executemany`` per table in one
    transaction, without Django models or Wagtail: the floor of what an import can cost."""
    index("news")
    tables = pickle.loads((folder.parent / f"rows-{connection.vendor}.pickle").read_bytes())
    quote = connection.ops.quote_name

    def run():
        with transaction.atomic(), connection.cursor() as cursor:
            for table, columns, found in tables:
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) "
                    f"VALUES ({', '.join(['%s'] * len(columns))})",
                    found,
                )

    return {
        "articles": count,
        "rows": sum(len(found) for *_, found in tables),
        "seconds": timed(run),
    }


def render(folder: Path, count: int) -> dict:
    """Median time and queries of a tag page with ``count`` articles and with 100."""
    big = index("big")
    small = index("small")
    items = entries(folder, count)
    sync(big, items)
    sync(
        small,
        [
            dataclasses.replace(
                draft,
                listing_url=draft.listing_url + "?copy",
                source_url=draft.source_url + "?copy",
            )
            for draft in items[:100]
        ],
    )
    client = Client()
    urls = {"big": f"{big.url}tag/turkey/", "small": f"{small.url}tag/turkey/"}
    times: dict[str, list[float]] = {"big": [], "small": []}
    queries = {}
    for name, url in urls.items():
        for _ in range(3):
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries[name] = len(captured)
    for _ in range(25):
        for name, url in urls.items():
            start = time.perf_counter()
            client.get(url)
            times[name].append(time.perf_counter() - start)
    return {
        "big": statistics.median(times["big"]),
        "small": statistics.median(times["small"]),
        "queries_big": queries["big"],
        "queries_small": queries["small"],
    }


SITE_IMAGES = 10
TAG_EVERY = 5
BODY = (
    "<p>Ankara sees the attack as an attack on Turkey, the deputy head of the ruling party "
    "said on Tuesday, after talks on gas, drones and the Black Sea.</p>",
    "<p>Observers said the ministry's position had not changed since the spring; the talks "
    "are to go on next month in Baku, with the foreign ministers of both countries.</p>",
)


def site(folder: Path, count: int) -> dict:
    """The load test's site: ``count`` articles below /news/, one in five tagged "turkey".

    Each article has a date (three a day), a body and a listing image (one of a few, so
    that their renditions are made once, when the load test warms up); the others are
    spread over 40 other tags, two each.
    """
    images = [
        ImageFactory(
            file=ImageFile(
                io.BytesIO(image_bytes("JPEG", colour, size=(1200, 675))), name=f"{colour}.jpg"
            )
        ).pk
        for colour in (
            "teal",
            "navy",
            "olive",
            "maroon",
            "purple",
            "gray",
            "orange",
            "pink",
            "gold",
            "brown",
        )[:SITE_IMAGES]
    ]
    body = tuple({"type": "paragraph", "value": text} for text in BODY)
    first_day = datetime.date(2015, 1, 1)
    drafts = [
        dataclasses.replace(
            draft,
            tags=(("turkey",) if n % TAG_EVERY == 0 else ())
            + (f"topic {n % 40}", f"topic {(n + 13) % 40}"),
            published=first_day + datetime.timedelta(days=n // 3),
            body=body,
            image_id=images[n % len(images)],
        )
        for n, draft in enumerate(entries(folder, count))
    ]
    parent = index("news")
    sync(parent, drafts)
    newest = ArticlePage.objects.child_of(parent).order_by("-date", "-pk").first()
    return {
        "articles": len(drafts),
        "tagged": sum("turkey" in draft.tags for draft in drafts),
        "index": parent.url,
        "per_page": parent.per_page,
        "article": newest.url,
    }


def main(argv: list[str]) -> None:
    step, folder, count = argv[0], Path(argv[1]), int(argv[2])
    steps = {
        "standard": standard,
        "bulk": bulk,
        "rows": rows,
        "raw": raw,
        "render": render,
        "site": site,
    }
    result = steps[step](folder, count)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])

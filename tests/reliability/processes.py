"""``manage.py`` commands in child processes on the test database, watched from PostgreSQL.

Each child is named through ``PGAPPNAME``, so its server backend can be found in
``pg_stat_activity``: whether it is inside a transaction that wrote, what it ran last, and
whether it waits for a lock.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.db.models import F
from wagtail.models import Page

from wagtail_tagfeed.models import ArticlePage

from .pages import item, tag_page

ROOT = Path(__file__).resolve().parents[2]
MANAGE = ROOT / "example_site" / "manage.py"
WAIT_SECONDS = 60

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (DATABASE_URL=postgres://...): SQLite has no row locks and no "
    "server to see another process's transaction; run under scripts/postgres.sh",
)


def database_url() -> str:
    """The test database as a ``DATABASE_URL`` that ``example_site.settings`` reads."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{quote(db['NAME'], safe='')}"


def start_manage(name: str, *args: str, output=subprocess.PIPE, **env: str) -> subprocess.Popen:
    """``manage.py ARGS`` in a child process whose backend is named ``name``, with ``env``
    added to its environment; its output and errors go to ``output`` (pipes by default)."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "example_site.settings",
        "DATABASE_URL": database_url(),
        "PGAPPNAME": name,
        **env,
    }
    return subprocess.Popen(
        [sys.executable, str(MANAGE), *args],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=output if output is not subprocess.PIPE else subprocess.PIPE,
        text=True,
    )


def start_import(name: str, *args: str) -> subprocess.Popen:
    """``import_tagpage ARGS`` in a child process whose backend is named ``name``."""
    return start_manage(name, "import_tagpage", *args)


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    """Wait for ``process``; its exit status, output and errors."""
    out, err = process.communicate(timeout=WAIT_SECONDS * 2)
    return process.returncode, out, err


def backend(name: str, where: str = "TRUE") -> dict | None:
    """The child's backend in ``pg_stat_activity`` matching ``where``, or None."""
    with connection.cursor() as cursor:
        # Statistics are a snapshot per transaction: drop it to see the present.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pid, state, wait_event_type, backend_xid::text, query "
            f"FROM pg_stat_activity WHERE application_name = %s AND ({where})",
            [name],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip(("pid", "state", "wait_event_type", "xid", "query"), row, strict=True))


def wait_until(check: Callable[[], object], what: str, process=None, *, every: float = 0.002):
    """Poll ``check`` (each ``every`` seconds) until it returns something true; fail if
    ``process`` exits first."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        if process is not None and process.poll() is not None:
            return None
        time.sleep(every)
    pytest.fail(f"gave up waiting for {what}")


def wait_for_lock(name: str, process: subprocess.Popen) -> None:
    """Wait until the child's backend waits for a lock held by another transaction."""
    found = wait_until(
        lambda: backend(name, "wait_event_type = 'Lock'"), f"{name} to wait for a lock", process
    )
    assert found, f"{name} ended before waiting for a lock"


def wait_gone(name: str) -> None:
    """Wait until no backend named ``name`` is left: its transaction has ended."""
    wait_until(lambda: backend(name) is None, f"the backend of {name} to end")


def write_listing(folder: Path, count: int, *, per_page: int = 1000, **fields) -> list[str]:
    """``count`` items on pages of up to ``per_page`` items; the files' paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for start in range(0, count, per_page):
        path = folder / f"listing-{start // per_page}.html"
        entries = [item(n, **fields) for n in range(start, min(count, start + per_page))]
        path.write_text(tag_page(entries), encoding="utf-8")
        paths.append(str(path))
    return paths


def children_count(parent) -> int:
    return type(parent).objects.get(pk=parent.pk).get_children().count()


def assert_tree_sound(parent) -> None:
    assert all(not problems for problems in Page.find_problems())
    assert Page.objects.get(pk=parent.pk).numchild == children_count(parent)


def assert_complete(parent, tag: str) -> set[str]:
    """Every article is whole and below ``parent``: revision, tag, url_path; its source URLs."""
    articles = ArticlePage.objects.all()
    count = articles.count()
    assert ArticlePage.objects.child_of(parent).count() == count
    assert not articles.filter(latest_revision=None).exists()
    assert not articles.exclude(imported_revision=F("latest_revision")).exists()
    assert not articles.exclude(url_path__startswith=parent.url_path).exists()
    tagged = ArticlePage.tags.through.objects.filter(tag__name__iexact=tag)
    assert tagged.values("content_object_id").distinct().count() == count
    urls = set(articles.values_list("source_url", flat=True))
    assert len(urls) == count
    return urls

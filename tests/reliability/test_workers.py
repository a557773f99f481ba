"""Background runs on the database task backend, run by real ``db_worker`` processes.

The test process queues syncs the way a site does (``sync_tagsources``, on the database
backend); ``manage.py db_worker`` child processes on the PostgreSQL test database run them,
reading listings from HTTP servers on 127.0.0.1. Workers are killed with ``SIGKILL`` too,
and two ``sync_tagsources --due`` race for the same sources.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import time
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from tests.factories import TagIndexPageFactory
from tests.support.http import HTTPTestServer
from wagtail_tagfeed.models import ArticlePage, ImportRun, TagSource
from wagtail_tagfeed.tasks import run_import

from .pages import SITE, item, tag_page
from .processes import (
    assert_tree_sound,
    finish,
    needs_postgresql,
    start_manage,
    wait_for_lock,
    wait_until,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    needs_postgresql,
]

SOURCES = 20
PER_SOURCE = 10
STEP = 5
"""Source n lists stories 5n to 5n + 9: all but the first and last five are on two listings."""


@pytest.fixture
def database_tasks(settings):
    """Runs queued here wait in the database for the workers."""
    if not settings.DATABASE_TASKS_APP:
        pytest.skip("needs the database task backend (django-tasks<0.12, in the test extra)")
    settings.TASKS = {"default": {"BACKEND": f"{settings.DATABASE_TASKS_APP}.DatabaseBackend"}}
    # The runs' options carry it to the workers: the listings are on 127.0.0.1.
    settings.TAGFEED_ALLOW_PRIVATE_HOSTS = True


@pytest.fixture
def servers():
    started = [HTTPTestServer() for _ in range(4)]
    for server in started:
        server.start()
    yield started
    for server in started:
        server.stop()


@pytest.fixture
def workers(tmp_path):
    """``start(name)``: a ``db_worker`` process, once it polls the queue; every one is stopped
    after the test (SIGTERM: it finishes its task, then exits)."""
    started: list[subprocess.Popen] = []

    def start(name: str) -> subprocess.Popen:
        log = tmp_path / f"{name}.log"
        with log.open("w") as output:
            process = start_manage(
                name,
                "db_worker",
                "--no-startup-delay",
                "--interval=0.1",
                output=output,
                TASK_BACKEND="database",
                DEBUG="0",  # no reloading on code changes
            )
        started.append(process)
        ready = wait_until(
            lambda: "Starting worker" in log.read_text(), f"{name} to start", process, every=0.1
        )
        assert ready, f"{name} exited: {log.read_text()}"
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
    for process in started:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def owner():
    return get_user_model().objects.create_superuser(
        f"owner{get_user_model().objects.count()}", password="x"
    )


def sync(*args: str) -> str:
    out = io.StringIO()
    call_command("sync_tagsources", *args, stdout=out, stderr=out)
    return out.getvalue()


def wait_for_runs(what: str = "every run to finish") -> None:
    wait_until(
        lambda: not ImportRun.objects.filter(status__in=ImportRun.ACTIVE).exists(),
        what,
        every=0.2,
    )


def test_workers_sync_twenty_sources_that_share_articles(database_tasks, servers, workers):
    parent = TagIndexPageFactory()
    user = owner()
    listed: dict[int, set[str]] = {}
    for n in range(SOURCES):
        server, tag = servers[n % len(servers)], f"topic-{n}"
        path = f"/news/tag/{tag}"
        stories = [item(k, tags=[]) for k in range(STEP * n, STEP * n + PER_SOURCE)]
        url = server.route(path, tag_page(stories, tag=tag, page_url=server.url(path)))
        source = TagSource.objects.create(name=tag, url=url, parent=parent, owner=user)
        listed[source.pk] = {story.url for story in stories}
    for n in range(3):
        workers(f"tagfeed-worker-{n}")

    out = sync()
    wait_for_runs()

    assert out.count(": Queued") == SOURCES
    runs = list(ImportRun.objects.select_related("source"))
    assert len(runs) == SOURCES
    created = Counter()
    for run in runs:
        assert run.status == ImportRun.Status.SUCCEEDED, run.error
        outcomes = {result["url"]: result["outcome"] for result in run.report["results"]}
        assert set(outcomes) == listed[run.source_id]
        assert set(outcomes.values()) <= {"created", "updated"}
        assert (run.created + run.updated, run.unchanged, run.failed) == (PER_SOURCE, 0, 0)
        assert run.report["tags"] == [run.source.name]
        assert run.started_at <= run.finished_at
        created.update(url for url, outcome in outcomes.items() if outcome == "created")
    stories = set().union(*listed.values())
    assert len(stories) == STEP * (SOURCES - 1) + PER_SOURCE
    assert created == Counter(stories), "each article created once, by one run"
    articles = ArticlePage.objects.child_of(parent).prefetch_related("tags")
    assert sorted(article.source_url for article in articles) == sorted(stories)
    names = {source.pk: source.name for source in TagSource.objects.all()}
    for article in articles:
        expected = {names[pk] for pk, urls in listed.items() if article.source_url in urls}
        assert {tag.name for tag in article.tags.all()} == expected, article.source_url
    assert_tree_sound(parent)
    worker_ids = [getattr(run_import.get_result(run.task_id), "worker_ids", None) for run in runs]
    if all(ids is not None for ids in worker_ids):  # django-tasks 0.8 and later record them
        assert len({worker for ids in worker_ids for worker in ids}) >= 2


def test_a_worker_killed_mid_run_leaves_a_run_given_up_then_synced_again(
    database_tasks, servers, workers, settings
):
    settings.TAGFEED_STALE_RUN_AFTER = 3
    server = servers[0]
    path = "/news/tag/slow"
    page = tag_page([item(k) for k in range(PER_SOURCE)], tag="slow").encode()

    def slow(request) -> None:
        """The listing, once the test lets it go (after the kill)."""
        while server.sleep(0.05) and not released:
            pass
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(len(page)))
        request.end_headers()
        request.wfile.write(page)

    released = False
    url = server.handler(path, slow)
    source = TagSource.objects.create(
        name="slow", url=url, parent=TagIndexPageFactory(), owner=owner()
    )
    doomed = workers("tagfeed-worker-doomed")
    sync()
    wait_until(lambda: server.requests, "the worker to ask for the listing", doomed, every=0.05)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.RUNNING

    os.kill(doomed.pid, signal.SIGKILL)
    doomed.wait()
    released = True

    # Until the stale time has passed, the run counts as running and blocks its source.
    assert sync(str(source.pk)) == "“slow” is already queued or running.\n"
    assert ImportRun.objects.get().status == ImportRun.Status.RUNNING
    time.sleep(max(0, (run.started_at - timezone.now()).total_seconds() + 3.1))
    out = sync(str(source.pk))
    assert "1 abandoned import runs marked failed." in out
    assert "slow: Queued" in out
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert run.error == "Abandoned: the worker running it stopped before it finished."
    assert not ArticlePage.objects.exists()

    workers("tagfeed-worker-after")
    wait_for_runs("the new run to finish")
    again = ImportRun.objects.exclude(pk=run.pk).get()
    assert (again.status, again.created) == (ImportRun.Status.SUCCEEDED, PER_SOURCE)
    assert ArticlePage.objects.count() == PER_SOURCE


def test_two_due_commands_at_once_queue_each_source_once(database_tasks):
    parent, user = TagIndexPageFactory(), owner()
    sources = [
        TagSource.objects.create(
            name=f"source-{n}",
            url=f"{SITE}/news/tag/source-{n}",
            parent=parent,
            owner=user,
            sync_interval=TagSource.SYNC_INTERVALS[0][0],
        )
        for n in range(5)
    ]
    names = ("tagfeed-due-1", "tagfeed-due-2")
    with transaction.atomic():
        # A run of the first source, never committed: both commands find every source due,
        # then wait at the first one's run until this transaction ends.
        ImportRun.objects.create(source=sources[0])
        processes = [
            start_manage(name, "sync_tagsources", "--due", TASK_BACKEND="database")
            for name in names
        ]
        for name, process in zip(names, processes, strict=True):
            wait_for_lock(name, process)
        transaction.set_rollback(True)
    results = [finish(process) for process in processes]

    for status, _out, err in results:
        assert status == 0, err
    output = "".join(out for _status, out, _err in results)
    for source in sources:
        assert output.count(f"{source.name}: Queued") == 1
        assert output.count(f"“{source.name}” is already queued or running.") == 1
    runs = ImportRun.objects.all()
    assert sorted(runs.values_list("source__name", flat=True)) == [s.name for s in sources]
    assert set(runs.values_list("status", flat=True)) == {ImportRun.Status.QUEUED}

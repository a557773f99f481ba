"""``sync_tagsources --due``: the sources whose interval has passed, each queued once; and
runs whose worker stopped, given up so they block nothing."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.admin.conftest import make_editor
from wagtail_tagfeed.errors import RunPendingError
from wagtail_tagfeed.models import ImportRun, TagSource
from wagtail_tagfeed.tasks import fail_abandoned_runs, queue_sync, run_import

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def queued_only(settings):
    """Runs are queued and stay so: nothing is fetched."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def make_source(tag_index):
    owner = make_editor(tag_index)

    def make(name: str, interval=HOUR, last_run_ago=None, **fields) -> TagSource:
        source = TagSource.objects.create(
            name=name,
            url=f"https://news.example/news/tag/{name}",
            parent=tag_index,
            owner=owner,
            sync_interval=interval,
            **fields,
        )
        if last_run_ago is not None:
            run = ImportRun.objects.create(source=source, status=ImportRun.Status.SUCCEEDED)
            ImportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - last_run_ago)
        return source

    return make


def sync(*args: str) -> str:
    out = io.StringIO()
    call_command("sync_tagsources", *args, stdout=out, stderr=out)
    return out.getvalue()


def queued() -> list[str]:
    runs = ImportRun.objects.filter(status=ImportRun.Status.QUEUED)
    return sorted(runs.values_list("source__name", flat=True))


def test_due_queues_the_sources_whose_interval_has_passed(make_source):
    make_source("never-synced")
    make_source("synced-long-ago", last_run_ago=2 * HOUR)
    make_source("synced-lately", last_run_ago=HOUR / 2)
    make_source("weekly", interval=datetime.timedelta(days=7), last_run_ago=2 * HOUR)
    make_source("by-hand-only", interval=None)
    make_source("disabled", enabled=False)

    out = sync("--due")

    assert queued() == ["never-synced", "synced-long-ago"]
    assert "never-synced: Queued" in out and "synced-long-ago: Queued" in out
    assert sync("--due") == ""
    assert queued() == ["never-synced", "synced-long-ago"]


def test_due_with_ids_queues_only_those_that_are_due(make_source):
    due = make_source("due")
    make_source("also-due")
    not_due = make_source("not-due", last_run_ago=HOUR / 2)
    sync("--due", str(due.pk), str(not_due.pk))
    assert queued() == ["due"]


def test_without_due_every_enabled_source_is_queued_but_not_twice(make_source):
    make_source("lately", last_run_ago=HOUR / 2)
    make_source("by-hand-only", interval=None)
    make_source("disabled", enabled=False)
    assert "lately: Queued" in sync()
    assert queued() == ["by-hand-only", "lately"]

    out = sync()

    assert "“lately” is already queued or running." in out
    assert "“by-hand-only” is already queued or running." in out
    assert queued() == ["by-hand-only", "lately"]


def test_the_database_refuses_a_second_pending_run_of_a_source(make_source):
    source = make_source("turkey")
    run = queue_sync(source)
    with pytest.raises(RunPendingError, match="already queued or running"):
        queue_sync(source)
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportRun.objects.create(source=source, status=ImportRun.Status.RUNNING)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.FAILED)
    assert queue_sync(source).status == ImportRun.Status.QUEUED


def test_a_run_no_longer_queued_is_not_run(make_source):
    run = queue_sync(make_source("turkey"))
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.FAILED, error="Given up")
    assert run_import.call(run.pk) == ImportRun.Status.FAILED
    run.refresh_from_db()
    assert (run.started_at, run.error) == (None, "Given up")


def started(source: TagSource, ago: datetime.timedelta) -> ImportRun:
    run = ImportRun.objects.create(
        source=source, status=ImportRun.Status.RUNNING, started_at=timezone.now() - ago
    )
    ImportRun.objects.filter(pk=run.pk).update(created_at=run.started_at)
    return run


def test_a_run_running_past_the_stale_time_is_given_up(make_source, settings):
    settings.TAGFEED_STALE_RUN_AFTER = 3600
    stuck = started(make_source("stuck"), ago=HOUR + datetime.timedelta(seconds=1))
    busy = started(make_source("busy"), ago=HOUR - datetime.timedelta(seconds=60))

    assert fail_abandoned_runs() == 1

    stuck.refresh_from_db()
    assert stuck.status == ImportRun.Status.FAILED
    assert stuck.error == "Abandoned: the worker running it stopped before it finished."
    assert stuck.finished_at is not None
    assert ImportRun.objects.get(pk=busy.pk).status == ImportRun.Status.RUNNING


def test_due_gives_up_abandoned_runs_before_choosing(make_source, settings):
    settings.TAGFEED_STALE_RUN_AFTER = 3600
    source = make_source("stuck")
    stuck = started(source, ago=2 * HOUR)
    out = sync("--due")
    assert "1 abandoned import runs marked failed." in out
    assert ImportRun.objects.get(pk=stuck.pk).status == ImportRun.Status.FAILED
    assert queued() == ["stuck"]


def test_a_queued_run_is_given_up_only_once_its_task_is_not_waiting(make_source, settings):
    """The dummy backend cannot tell whether a task waits: a run queued past the stale
    time is taken as lost. The database backend can: a task still waiting is left be."""
    settings.TAGFEED_STALE_RUN_AFTER = 60
    run = queue_sync(make_source("turkey"))
    assert fail_abandoned_runs() == 0
    assert fail_abandoned_runs(now=timezone.now() + HOUR) == 1
    run.refresh_from_db()
    assert run.error == "Abandoned: its task was no longer waiting to run."


def test_the_database_backend_tells_a_waiting_task_from_a_lost_one(make_source, settings):
    if not settings.DATABASE_TASKS_APP:
        pytest.skip("needs the database task backend (django-tasks<0.12, in the test extra)")
    settings.TASKS = {
        "default": {
            "BACKEND": f"{settings.DATABASE_TASKS_APP}.DatabaseBackend",
            # Queued now, not when the test's transaction commits (which it never does).
            "ENQUEUE_ON_COMMIT": False,
        }
    }
    settings.TAGFEED_STALE_RUN_AFTER = 60
    queue_sync(make_source("waiting"))
    taken = queue_sync(make_source("taken"))
    pruned = queue_sync(make_source("pruned"))
    tasks = apps.get_model("django_tasks_database", "DBTaskResult").objects
    # A worker took the task and stopped before the run started; the other's result is gone.
    tasks.filter(id=taken.task_id).update(status="RUNNING")
    tasks.filter(id=pruned.task_id).delete()

    assert fail_abandoned_runs(now=timezone.now() + HOUR) == 2

    statuses = dict(ImportRun.objects.values_list("source__name", "status"))
    assert statuses == {"waiting": "queued", "taken": "failed", "pruned": "failed"}

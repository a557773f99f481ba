"""Imports in the background: an :class:`~.models.ImportRun` is queued, then a task runs it.

A run stores everything its import needs as JSON: the :class:`~.options.ImportOptions`, and
either the sources to read or, for an import previewed in the admin, the listings exactly as
the editor reviewed them. A ``django-tasks`` worker (or the immediate backend, inside the
request) runs it with nothing but the run's id, with the rights of the run's user.

A tag source has at most one run queued or running (a database constraint), so schedules
and "Sync now" never queue it twice; :func:`fail_abandoned_runs` gives up the runs of a
worker that stopped, which would otherwise block their source for ever. A sync sends the
``ETag``/``Last-Modified`` its source's first page had at the last sync of the same kind,
and an unchanged page ends the run there, writing nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from .conf import get_setting
from .errors import RunPendingError, TagfeedError
from .errors import gettext as _
from .fetching import Crawl, Validators
from .importer import Reading, import_listings, read_listings
from .listing import ImportReport, Listing, Outcome
from .models import AbstractTagIndexPage, ImportRun, TagSource
from .options import ImportOptions

try:
    from django_tasks.exceptions import TaskResultDoesNotExist
except ImportError:  # django-tasks before 0.9 (Wagtail 7.0 and 7.1)
    from django_tasks.exceptions import ResultDoesNotExist as TaskResultDoesNotExist

WAITING = {"READY", "NEW"}
"""django-tasks' status of a task not started yet ("NEW" before django-tasks 0.8)."""


def queue_import(
    options: ImportOptions,
    *,
    parent,
    user=None,
    sources: Sequence[str] = (),
    listings: Sequence[Listing] = (),
    label: str = "",
    source: TagSource | None = None,
) -> ImportRun:
    """Record an import as queued and hand it to the task backend; returns the run.

    The run reads ``sources``, or writes ``listings`` already read (a preview's). Raises
    :class:`RunPendingError` when ``source`` already has a run queued or running.
    """
    try:
        with transaction.atomic():
            run = ImportRun.objects.create(
                source=source,
                user=user,
                parent=parent,
                urls=list(sources) or [label],
                options=options.as_json(),
                listings=[listing.as_json() for listing in listings],
            )
    except IntegrityError:
        if source is None or not source.runs.filter(status__in=ImportRun.ACTIVE).exists():
            raise
        raise RunPendingError(
            _("“%(source)s” is already queued or running.") % {"source": source}
        ) from None
    result = run_import.enqueue(run.pk)
    ImportRun.objects.filter(pk=run.pk).update(task_id=result.id)
    run.refresh_from_db()
    return run


def queue_sync(source: TagSource, user=None) -> ImportRun:
    """Queue an import of a tag source's current page(s), by ``user`` or the source's owner."""
    return queue_import(
        source.import_options(),
        parent=source.parent,
        user=user or source.owner,
        sources=[source.url],
        source=source,
    )


def check_parent(run: ImportRun) -> AbstractTagIndexPage:
    """The run's tag index, if it still exists and its user may still add pages below it."""
    parent = run.parent.specific if run.parent else None
    if not isinstance(parent, AbstractTagIndexPage):
        raise TagfeedError(_("The tag index of this import no longer exists."))
    if run.user is None and run.source is not None:
        raise TagfeedError(
            _("The tag source “%(source)s” has no responsible user; choose one to sync it.")
            % {"source": run.source}
        )
    if run.user and not parent.permissions_for_user(run.user).can_add_subpage():
        raise TagfeedError(
            _("%(user)s may not add pages below “%(title)s”.")
            % {"user": run.user, "title": parent.title}
        )
    return parent


def perform(run: ImportRun) -> ImportReport:
    """The run's import: its previewed listings, or a fresh read of its sources.

    A tag source's sync that imported everything it read leaves the validators of the
    source's first page on the source, for the next sync of the same kind to send.
    """
    options = ImportOptions.from_json(run.options)
    parent = check_parent(run)
    if run.listings:
        reading = Reading(tuple(Listing.from_json(data) for data in run.listings))
        return import_listings(reading, parent=parent, options=options, user=run.user)
    crawl = Crawl(options.fetch)
    key = sync_key(run)
    reading = read_listings(run.urls, options, crawl=crawl, validators=known_validators(run, key))
    report = import_listings(reading, parent=parent, options=options, user=run.user, crawl=crawl)
    if run.source and not report.count(Outcome.FAILED):
        remember_validators(run.source, reading.validators, key)
    return report


def sync_key(run: ImportRun) -> str:
    """What a page's validators are good for: an unchanged page makes nothing new only for
    a run of the same sources, options, tag index and user."""
    data = [run.urls, run.options, run.parent_id, run.user_id]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def known_validators(run: ImportRun, key: str) -> dict[str, Validators]:
    """The validators the run's source keeps from a sync of the same kind, by page URL."""
    stored = run.source.listing_validators if run.source else {}
    return {
        url: Validators(value.get("etag"), value.get("last_modified"))
        for url, value in stored.items()
        if value.get("sync") == key
    }


def remember_validators(source: TagSource, validators: Mapping[str, Validators], key: str) -> None:
    """Keep the validators a sync read, in place of the source's (no write when the same)."""
    stored = {
        url: {"etag": value.etag, "last_modified": value.last_modified, "sync": key}
        for url, value in validators.items()
    }
    if stored != source.listing_validators:
        TagSource.objects.filter(pk=source.pk).update(listing_validators=stored)


RESULT_FIELDS = [
    "status",
    "error",
    "report",
    "created",
    "updated",
    "unchanged",
    "kept",
    "skipped",
    "failed",
    "not_modified",
    "finished_at",
]


@task()
def run_import(run_id: int) -> str:
    """Run a queued import and record its outcome on the run; returns the final status.

    A run that is no longer queued (run already, or given up as abandoned) is left as it is.
    """
    started = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, started_at=timezone.now()
    )
    run = ImportRun.objects.select_related("user", "parent", "source").get(pk=run_id)
    if not started:
        return run.status
    try:
        report = perform(run)
    except TagfeedError as error:
        run.status, run.error = ImportRun.Status.FAILED, str(error)
    except (SystemExit, KeyboardInterrupt):
        run.status, run.error = (
            ImportRun.Status.FAILED,
            _("Interrupted: the worker running it was stopped."),
        )
        raise
    except Exception as error:
        run.status, run.error = ImportRun.Status.FAILED, f"{type(error).__name__}: {error}"
        raise
    else:
        run.status = ImportRun.Status.SUCCEEDED
        run.report = report.as_json()
        run.created = report.count(Outcome.CREATED)
        run.updated = report.count(Outcome.UPDATED)
        run.unchanged = report.count(Outcome.UNCHANGED)
        run.kept = report.count(Outcome.KEPT)
        run.skipped = report.count(Outcome.SKIPPED)
        run.failed = report.count(Outcome.FAILED)
        run.not_modified = bool(report.not_modified) and not report.results
    finally:
        run.finished_at = timezone.now()
        run.save(update_fields=RESULT_FIELDS)
    return run.status


def fail_abandoned_runs(now: datetime.datetime | None = None) -> int:
    """Mark failed the runs that nothing will finish any more; returns how many.

    A run still running ``TAGFEED_STALE_RUN_AFTER`` seconds after it started has lost its
    worker (killed, or cut off from the database): its fetches end at the run's deadline,
    ``TAGFEED_RUN_TIMEOUT``, which the setting should exceed by the time writing takes. A run
    queued that long whose task the task backend no longer has waiting was lost too. Called
    before scheduled syncs are queued and when the admin lists runs.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=get_setting("TAGFEED_STALE_RUN_AFTER"))
    failed = ImportRun.objects.filter(
        status=ImportRun.Status.RUNNING, started_at__lt=cutoff
    ).update(
        status=ImportRun.Status.FAILED,
        error=_("Abandoned: the worker running it stopped before it finished."),
        finished_at=now,
    )
    queued = ImportRun.objects.filter(status=ImportRun.Status.QUEUED, created_at__lt=cutoff)
    lost = [run.pk for run in queued.only("pk", "task_id") if not task_waiting(run.task_id)]
    if lost:
        failed += ImportRun.objects.filter(pk__in=lost, status=ImportRun.Status.QUEUED).update(
            status=ImportRun.Status.FAILED,
            error=_("Abandoned: its task was no longer waiting to run."),
            finished_at=now,
        )
    return failed


def task_waiting(task_id: str) -> bool:
    """Whether the task backend has the task waiting to run (False when it cannot tell)."""
    if not (task_id and run_import.get_backend().supports_get_result):
        return False
    try:
        return str(run_import.get_result(task_id).status) in WAITING
    except TaskResultDoesNotExist:
        return False

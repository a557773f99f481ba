"""Imports in the background: an :class:`~.models.ImportRun` is queued, then a task runs it.

The admin and tag sources describe an import as JSON-friendly ``options`` stored on the run,
so that a ``django-tasks`` worker (or the immediate backend, inside the request) can run it
with nothing but the run's id. Pasted and uploaded HTML is stashed in the default storage,
so the import reads exactly what the preview read.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .conf import get_setting
from .errors import TagfeedError
from .importer import ReadOptions, import_tagpage
from .listing import ImportReport, Listing, Outcome, Selectors
from .models import AbstractTagIndexPage, ImportRun, TagSource

STASH_FOLDER = "tagfeed/imports"
SELECTOR_NAMES = ("item", "title", "summary", "date", "image", "next")


def stash_html(content: bytes) -> str:
    """Keep pasted or uploaded HTML until it is imported; returns its storage name."""
    return default_storage.save(f"{STASH_FOLDER}/{uuid.uuid4().hex}.html", ContentFile(content))


def discard_stash(options: dict) -> None:
    name = options.get("source", {}).get("file")
    if name and default_storage.exists(name):
        default_storage.delete(name)


def read_options(options: dict) -> ReadOptions:
    """The :class:`ReadOptions` of an admin or tag-source import, under the site's limits.

    Hosts on private networks are refused unless ``TAGFEED_ALLOW_PRIVATE_HOSTS`` is set:
    these URLs come from editors, not from whoever runs the server.
    """
    return ReadOptions(
        base_url=options.get("source", {}).get("base_url") or None,
        pages=options.get("pages", 1),
        fetch_articles=options.get("fetch_articles", False),
        images=options.get("images", False),
        selectors=Selectors(**{k: v for k, v in options.get("selectors", {}).items() if v}),
        allow_private=get_setting("TAGFEED_ALLOW_PRIVATE_HOSTS"),
    )


def import_with_options(
    options: dict,
    *,
    parent: AbstractTagIndexPage,
    user=None,
    dry_run: bool = False,
    on_listing: Callable[[Listing], None] | None = None,
) -> ImportReport:
    """Run :func:`~.importer.import_tagpage` for the JSON ``options`` of a run or preview."""
    source = options["source"]
    arguments = {
        "parent": parent,
        "tags": options.get("tags", ()),
        "options": read_options(options),
        "dry_run": dry_run,
        "user": user,
        "exclude": options.get("exclude", ()),
        "on_listing": on_listing,
    }
    if "file" not in source:
        return import_tagpage([source["url"]], **arguments)
    with default_storage.open(source["file"], "rb") as stash:
        return import_tagpage(["-"], stdin=stash, **arguments)


def source_options(source: TagSource) -> dict:
    """The import options of a tag source."""
    return {
        "source": {"url": source.url},
        "tags": source.tag_list,
        "pages": source.pages,
        "fetch_articles": source.fetch_articles,
        "images": source.download_images,
        "selectors": {name: getattr(source, f"{name}_selector") for name in SELECTOR_NAMES},
    }


def queue_import(
    options: dict, *, parent, user=None, label: str = "", source: TagSource | None = None
) -> ImportRun:
    """Record an import as queued and hand it to the task backend; returns the run."""
    run = ImportRun.objects.create(
        source=source,
        user=user,
        parent=parent,
        urls=[options["source"].get("url") or label],
        options=options,
    )
    result = run_import.enqueue(run.pk)
    ImportRun.objects.filter(pk=run.pk).update(task_id=result.id)
    run.refresh_from_db()
    return run


def queue_sync(source: TagSource, user=None) -> ImportRun:
    """Queue an import of a tag source's current page(s)."""
    return queue_import(source_options(source), parent=source.parent, user=user, source=source)


def check_parent(run: ImportRun) -> AbstractTagIndexPage:
    """The run's tag index, if it still exists and its user may still add pages below it."""
    parent = run.parent.specific if run.parent else None
    if not isinstance(parent, AbstractTagIndexPage):
        raise TagfeedError(_("The tag index of this import no longer exists."))
    if run.user and not parent.permissions_for_user(run.user).can_add_subpage():
        raise TagfeedError(
            _("%(user)s may not add pages below “%(title)s”.")
            % {"user": run.user, "title": parent.title}
        )
    return parent


@task()
def run_import(run_id: int) -> str:
    """Run a queued import and record its outcome on the run; returns the final status."""
    run = ImportRun.objects.select_related("user", "parent").get(pk=run_id)
    run.status, run.started_at = ImportRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    try:
        report = import_with_options(run.options, parent=check_parent(run), user=run.user)
    except TagfeedError as error:
        run.status, run.error = ImportRun.Status.FAILED, str(error)
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
        run.failed = report.count(Outcome.FAILED)
    finally:
        run.finished_at = timezone.now()
        run.save()
        discard_stash(run.options)
    return run.status

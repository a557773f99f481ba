"""``manage.py sync_tagsources``: queue syncs of tag sources (``--due``: for cron or a timer)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ...errors import RunPendingError
from ...models import ImportRun, TagSource
from ...tasks import fail_abandoned_runs, queue_sync


class Command(BaseCommand):
    help = (
        "Sync every enabled tag source (or only those due, by their sync interval) through "
        "the task backend, recording an import run for each; fails when any finished run "
        "failed. A source with a run queued or running is not queued again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "sources", nargs="*", type=int, metavar="ID", help="Only these tag sources."
        )
        parser.add_argument(
            "--due",
            action="store_true",
            help="Only the sources whose sync interval has passed since their last run.",
        )

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        abandoned = fail_abandoned_runs(now)
        if abandoned:
            self.stderr.write(f"{abandoned} abandoned import runs marked failed.")
        sources = TagSource.objects.filter(enabled=True)
        if options["due"]:
            sources = sources.due(now)
        if options["sources"]:
            sources = sources.filter(pk__in=options["sources"])
        failed = []
        # In name order, which queries grouped for --due would otherwise lose.
        for source in sources.select_related("parent", "owner").order_by("name", "pk"):
            try:
                run = queue_sync(source)
            except RunPendingError as error:
                self.stdout.write(str(error))
                continue
            line = f"{source}: {run.get_status_display()}"
            if run.status == ImportRun.Status.SUCCEEDED:
                if run.not_modified:
                    line += " (not modified)"
                else:
                    line += f" ({run.created} created, {run.updated} updated, {run.failed} failed)"
                self.stdout.write(self.style.SUCCESS(line))
            elif run.status == ImportRun.Status.FAILED:
                failed.append(source)
                self.stdout.write(self.style.ERROR(f"{line}: {run.error}"))
            else:
                self.stdout.write(line)
        if failed:
            raise CommandError(f"{len(failed)} tag sources failed to sync.")

"""``manage.py sync_tagsources``: queue an import of every enabled tag source (for cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...models import ImportRun, TagSource
from ...tasks import queue_sync


class Command(BaseCommand):
    help = (
        "Sync every enabled tag source through the task backend, recording an import run "
        "for each; fails when any finished run failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "sources", nargs="*", type=int, metavar="ID", help="Only these tag sources."
        )

    def handle(self, *args, **options) -> None:
        sources = TagSource.objects.filter(enabled=True).select_related("parent")
        if options["sources"]:
            sources = sources.filter(pk__in=options["sources"])
        failed = []
        for source in sources:
            run = queue_sync(source)
            line = f"{source}: {run.get_status_display()}"
            if run.status == ImportRun.Status.SUCCEEDED:
                line += f" ({run.created} created, {run.updated} updated, {run.failed} failed)"
                self.stdout.write(self.style.SUCCESS(line))
            elif run.status == ImportRun.Status.FAILED:
                failed.append(source)
                self.stdout.write(self.style.ERROR(f"{line}: {run.error}"))
            else:
                self.stdout.write(line)
        if failed:
            raise CommandError(f"{len(failed)} tag sources failed to sync.")

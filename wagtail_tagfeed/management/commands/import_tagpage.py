"""``manage.py import_tagpage``: a thin front door over :func:`importer.import_tagpage`."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...errors import SelectorError, TagfeedError
from ...importer import ReadOptions, import_tagpage, read_listing
from ...listing import Outcome, Selectors


class Command(BaseCommand):
    help = "Import tag-listing pages (files, URLs, or - for stdin) as tagged article pages."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sources", nargs="+", metavar="SOURCE")
        parser.add_argument("--parent", help="Tag index to import into: page id or URL path.")
        parser.add_argument("--tag", action="append", default=[], dest="tags", metavar="NAME")
        parser.add_argument("--base-url", help="URL of a file or stdin source.")
        pages = parser.add_mutually_exclusive_group()
        pages.add_argument("--pages", type=int, default=1, metavar="N")
        pages.add_argument("--all-pages", action="store_true")
        for name in ("item", "title", "summary", "date", "image", "next"):
            parser.add_argument(f"--{name}", metavar="SELECTOR", help=f"CSS selector: {name}.")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--draft", action="store_true", help="Create unpublished pages.")
        parser.add_argument("--force", action="store_true", help="Overwrite local edits.")
        parser.add_argument(
            "--keep-going", action="store_true", help="Import what can be, report failures."
        )
        parser.add_argument("--encoding")
        parser.add_argument("--timeout", type=float)
        parser.add_argument("--max-bytes", type=int)
        parser.add_argument(
            "--fetch-articles",
            action="store_true",
            help="Read each article's own page for its body, author, date and tags.",
        )
        parser.add_argument(
            "--images", action="store_true", help="Download images into the image library."
        )
        parser.add_argument("--collection", metavar="NAME", help="Collection for the images.")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Fail, writing nothing, when an article or image cannot be read.",
        )

    def handle(self, *args, **options) -> None:
        if options["pages"] < 1:
            raise CommandError("--pages must be at least 1.", returncode=2)
        read = ReadOptions(
            base_url=options["base_url"],
            pages=options["pages"],
            all_pages=options["all_pages"],
            selectors=Selectors(
                **{
                    name: options[name]
                    for name in ("item", "title", "summary", "date", "image", "next")
                }
            ),
            encoding=options["encoding"],
            timeout=options["timeout"],
            max_bytes=options["max_bytes"],
            fetch_articles=options["fetch_articles"],
            images=options["images"],
            strict=options["strict"],
            # Whoever runs the command runs the server: local files and hosts are theirs.
            allow_private=True,
        )
        as_json = options["format"] == "json"
        stdin = options.get("stdin") or sys.stdin.buffer
        try:
            if options["dry_run"] and as_json:
                listings = [
                    listing
                    for source in options["sources"]
                    for listing in read_listing(source, read, stdin=stdin)
                ]
                payload = [listing.as_json() for listing in listings]
                self.stdout.write(
                    json.dumps(
                        payload[0] if len(payload) == 1 else payload, indent=2, ensure_ascii=False
                    )
                )
                return
            report = import_tagpage(
                options["sources"],
                parent=options["parent"],
                tags=options["tags"],
                options=read,
                dry_run=options["dry_run"],
                draft=options["draft"],
                force=options["force"],
                keep_going=options["keep_going"],
                stdin=stdin,
                progress=self.progress_bar(options["verbosity"]),
                collection=options["collection"],
            )
        except SelectorError as error:
            raise CommandError(str(error), returncode=2) from error
        except TagfeedError as error:
            raise CommandError(str(error)) from error
        if as_json:
            self.stdout.write(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
            return
        for message in report.messages:
            self.stdout.write(message)
        if options["verbosity"] >= 2 or report.dry_run:
            for result in report.results:
                self.stdout.write(f"{result.outcome}: {result.title} <{result.url}>")
            for url, target in report.links_rewritten:
                self.stdout.write(f"link rewritten: {url} -> {target}")
            for url in report.links_external:
                self.stdout.write(f"link left external: {url}")
        failed = report.count(Outcome.FAILED)
        line = ("(dry run) " if report.dry_run else "") + report.summary_line()
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.WARNING(line) if failed else self.style.SUCCESS(line))
        if failed:
            raise CommandError(f"{failed} items failed to import.")

    def progress_bar(self, verbosity: int):
        """A progress bar on stderr when it is a terminal; nothing otherwise or with -v 0."""
        stream = self.stderr._out
        if verbosity < 1 or not stream.isatty():
            return None

        def show(done: int, total: int) -> None:
            width = 30
            filled = width * done // max(total, 1)
            stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            if done == total:
                stream.write("\n")
            stream.flush()

        return show

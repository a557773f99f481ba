"""``manage.py import_tagpage``: a thin front door over :func:`importer.import_tagpage`."""

from __future__ import annotations

import argparse
import json
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...conf import get_setting
from ...errors import NoItemsError, NoTagError, ParentError, SelectorError, TagfeedError
from ...importer import import_listings, read_listings
from ...listing import Outcome, Selectors
from ...options import ImportOptions

HINTS = {
    NoTagError: "Name it with --tag.",
    NoItemsError: "Give the items' CSS selector with --item.",
    ParentError: "Choose the tag index with --parent (a page id or URL path).",
}
"""What to try next, for errors whose fix is an option of this command."""


class Command(BaseCommand):
    help = (
        "Import tag-listing pages (files, URLs, or - for standard input) as tagged article "
        "pages below a tag index page."
    )
    stealth_options = ("stdin",)

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        kwargs.setdefault("formatter_class", argparse.ArgumentDefaultsHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = ImportOptions.from_settings()
        parser.add_argument(
            "sources", nargs="+", metavar="SOURCE", help="A file, an http(s) URL, or -."
        )
        parser.add_argument(
            "--parent",
            help="The tag index to import into, by page id or URL path (default: the only "
            "one; a new 'News' index when there is none).",
        )
        parser.add_argument(
            "--tag",
            action="append",
            default=[],
            dest="tags",
            metavar="NAME",
            help="A tag for every item, repeatable (default: the tag the page names).",
        )
        parser.add_argument("--base-url", help="The address of a file or stdin source.")
        pages = parser.add_mutually_exclusive_group()
        pages.add_argument(
            "--pages",
            type=int,
            default=1,
            metavar="N",
            help="Listing pages to read, following 'next page' links.",
        )
        pages.add_argument(
            "--all-pages",
            action="store_true",
            help=f"Follow 'next page' links up to TAGFEED_MAX_PAGES ({defaults.max_pages}).",
        )
        for name in Selectors.names():
            parser.add_argument(
                f"--{name}", metavar="SELECTOR", help=f"CSS selector of the {name}s."
            )
        parser.add_argument(
            "--dry-run", action="store_true", help="Read the listing, report, write nothing."
        )
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="Report format; with --dry-run, json prints the listings and outcomes.",
        )
        parser.add_argument("--draft", action="store_true", help="Create unpublished pages.")
        parser.add_argument("--force", action="store_true", help="Overwrite local edits.")
        parser.add_argument(
            "--keep-going", action="store_true", help="Import what can be, report failures."
        )
        parser.add_argument(
            "--encoding", help="The sources' encoding, when they declare none or a wrong one."
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=defaults.timeout,
            help="Seconds allowed for each page (TAGFEED_TIMEOUT).",
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=defaults.max_bytes,
            help="Largest page read, in bytes (TAGFEED_MAX_BYTES).",
        )
        parser.add_argument(
            "--fetch-articles",
            action="store_true",
            help="Read each article's own page for its body, author, date and tags.",
        )
        parser.add_argument(
            "--images", action="store_true", help="Download images into the image library."
        )
        parser.add_argument(
            "--collection",
            metavar="NAME",
            help="Collection for the images (default: TAGFEED_IMAGE_COLLECTION, else the root).",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Fail, writing nothing, when an article or image cannot be read.",
        )

    def handle(self, *args, **options) -> None:
        if options["pages"] < 1:
            raise CommandError("--pages must be at least 1.", returncode=2)
        import_options = ImportOptions.from_settings(
            base_url=options["base_url"],
            encoding=options["encoding"],
            pages=get_setting("TAGFEED_MAX_PAGES") if options["all_pages"] else options["pages"],
            selectors=Selectors(**{name: options[name] for name in Selectors.names()}),
            tags=tuple(options["tags"]),
            fetch_articles=options["fetch_articles"],
            images=options["images"],
            collection=options["collection"],
            draft=options["draft"],
            force=options["force"],
            keep_going=options["keep_going"],
            strict=options["strict"],
            timeout=options["timeout"],
            max_bytes=options["max_bytes"],
            # Whoever runs the command runs the server: local files and hosts are theirs.
            allow_private=True,
        )
        as_json = options["format"] == "json"
        stdin = options.get("stdin") or sys.stdin.buffer
        try:
            reading = read_listings(options["sources"], import_options, stdin=stdin)
            try:
                report = import_listings(
                    reading,
                    parent=options["parent"],
                    options=import_options,
                    dry_run=options["dry_run"],
                    progress=self.progress_bar(options["verbosity"]),
                )
            except ParentError:
                if not (options["dry_run"] and as_json):
                    raise
                report = None  # The listings are printed without outcomes.
        except SelectorError as error:
            raise CommandError(str(error), returncode=2) from error
        except TagfeedError as error:
            hint = HINTS.get(type(error))
            raise CommandError(f"{error} {hint}" if hint else str(error)) from error
        if as_json:
            self.write_json(reading.listings, report)
            return
        self.write_text(report, options["verbosity"])

    def write_json(self, listings, report) -> None:
        """The report; a dry run prints each listing instead, with each item's outcome."""
        if report is not None and not report.dry_run:
            self.stdout.write(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
            return
        outcomes = {result.url: result for result in report.results} if report else {}
        payload = []
        for listing in listings:
            data = listing.as_json()
            for item in data["items"]:
                result = outcomes.get(item["url"])
                item["outcome"] = str(result.outcome) if result else None
                item["page_id"] = result.page_id if result else None
            payload.append(data)
        self.stdout.write(
            json.dumps(payload[0] if len(payload) == 1 else payload, indent=2, ensure_ascii=False)
        )

    def write_text(self, report, verbosity: int) -> None:
        for message in report.messages:
            self.stdout.write(message)
        if verbosity >= 2 or report.dry_run:
            for result in report.results:
                reason = f" ({result.reason})" if result.reason else ""
                self.stdout.write(f"{result.outcome}: {result.title} <{result.url}>{reason}")
            for url, target in report.links_rewritten:
                self.stdout.write(f"link rewritten: {url} -> {target}")
            for url in report.links_external:
                self.stdout.write(f"link left external: {url}")
        failed = report.count(Outcome.FAILED)
        line = ("(dry run) " if report.dry_run else "") + report.summary_line()
        if verbosity >= 1:
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

"""``python -m wagtail_tagfeed extract listing|article SOURCE``: what the importer would store.

SOURCE is a file, ``-`` for standard input, or an http(s) URL. No Django project is needed.
"""

from __future__ import annotations

import argparse
import json
import sys

from wagtail_tagfeed import extract
from wagtail_tagfeed.errors import TagfeedError
from wagtail_tagfeed.fetching import FetchPolicy, fetch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wagtail_tagfeed")
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("extract", help="Print what the importer reads from a page.")
    command.add_argument("kind", choices=("listing", "article"))
    command.add_argument("source", metavar="SOURCE", help="A file, - for stdin, or a URL.")
    command.add_argument("--base-url", help="The page's address, for a file or stdin.")
    command.add_argument("--encoding", help="The page's encoding, when it does not say.")
    command.add_argument("--format", choices=("json", "text"), default="json")
    args = parser.parse_args(argv)
    try:
        document = fetch(
            args.source,
            base_url=args.base_url,
            encoding=args.encoding,
            policy=FetchPolicy(allow_private=True),
        )
        extractor = extract.listing if args.kind == "listing" else extract.article
        result = extractor(document.content, document.url, encoding=document.encoding)
    except TagfeedError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.format == "json":
        json.dump(result.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.kind == "article":
        sys.stdout.write(result.text + "\n")
    else:
        for item in result.items:
            sys.stdout.write(f"{item.title}\n{item.url}\n{item.summary_text}\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

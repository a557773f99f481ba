"""Parse pages sent on standard input, one at a time, and report time and peak memory.

Run by ``test_parse_bounds`` as a child process, so that a page that made parsing loop or
grow without end costs the child (limited by ``RLIMIT_AS``), not the test run. Each request
is a 4-byte big-endian length and the page's bytes; each answer is one JSON line:
``{"outcome": "items"|"error"|"crash", "detail": ..., "seconds": ..., "peak_bytes": ...}``.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import tracemalloc

from wagtail_tagfeed.errors import TagfeedError
from wagtail_tagfeed.listing import Document
from wagtail_tagfeed.parsing import parse_listing

ADDRESS_SPACE = 3 * 1024**3
DEADLINE_SECONDS = 10


def answer(content: bytes) -> dict:
    tracemalloc.reset_peak()
    started = time.monotonic()
    document = Document(content, "fuzz", "https://news.example/tag/x")
    try:
        listing = parse_listing(document, deadline=started + DEADLINE_SECONDS)
        outcome, detail = "items", len(listing.items)
    except TagfeedError as error:
        outcome, detail = "error", type(error).__name__
    except Exception as error:  # reported to the test, which fails on it
        outcome, detail = "crash", f"{type(error).__name__}: {error}"
    return {
        "outcome": outcome,
        "detail": detail,
        "seconds": time.monotonic() - started,
        "peak_bytes": tracemalloc.get_traced_memory()[1],
    }


def main() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    tracemalloc.start()
    source, sink = sys.stdin.buffer, sys.stdout
    while header := source.read(4):
        content = source.read(int.from_bytes(header, "big"))
        sink.write(json.dumps(answer(content)) + "\n")
        sink.flush()


if __name__ == "__main__":
    main()

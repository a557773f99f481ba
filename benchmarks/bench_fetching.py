"""``fetch_many`` with 4 requests per host against the same fetches one at a time.

A threaded server on 127.0.0.1 answers every article page after 100 ms (a slow site, or a
far one) with a real article page (``tests/data/articles/wordpress-twentytwentyone``), and
counts the most requests it ever has under way at once: never more than the per-host limit,
or the row fails whatever the speed. Both sides fetch the same pages in the same process,
under the same policy (address checks, robots.txt, deadlines), one after the other.

Run ``python benchmarks/bench_fetching.py [--quick]`` for the row alone.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from wagtail_tagfeed.fetching import Crawl, FetchPolicy, fetch, fetch_many

ARTICLE = (
    Path(__file__).resolve().parent.parent
    / "tests"
    / "data"
    / "articles"
    / "wordpress-twentytwentyone"
    / "page.html"
)
DELAY = 0.1
PER_HOST = 4
TARGET = 3.5


class SlowSite(ThreadingHTTPServer):
    """Answers each request after DELAY seconds, counting how many it is working on at once."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.body = ARTICLE.read_bytes()
        self.lock = threading.Lock()
        self.under_way = 0
        self.most_at_once = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SlowSite

    def do_GET(self) -> None:
        site = self.server
        with site.lock:
            site.under_way += 1
            site.most_at_once = max(site.most_at_once, site.under_way)
        try:
            time.sleep(DELAY)
        finally:
            # Done before answering: once the answer is out, the client may send its next
            # request before this thread runs again.
            with site.lock:
                site.under_way -= 1
        found = self.path != "/robots.txt"
        body = site.body if found else b""
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


def timed(urls: list[str], policy: FetchPolicy, together: bool) -> float:
    crawl = Crawl(policy)
    start = time.perf_counter()
    if together:
        results = fetch_many(urls, crawl, lambda url: fetch(url, crawl=crawl))
    else:
        results = [fetch(url, crawl=crawl) for url in urls]
    seconds = time.perf_counter() - start
    failed = [result for result in results if isinstance(result, Exception)]
    assert not failed, failed[:3]
    return seconds


def run(quick: bool = False) -> dict:
    pages = 40 if quick else 200
    policy = FetchPolicy(allow_private=True, per_host=PER_HOST, concurrency=8)
    site = SlowSite()
    thread = threading.Thread(target=site.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        urls = [site.url(f"/2024/05/article-{n}/") for n in range(pages)]
        sequential = timed(urls, policy, together=False)
        site.most_at_once = 0
        together = timed(urls, policy, together=True)
        most = site.most_at_once
    finally:
        site.shutdown()
        site.server_close()
        thread.join()
    ours, baseline = pages / together, pages / sequential
    ratio = ours / baseline
    return {
        "name": "fetch_articles_concurrent",
        "unit": "pages/s",
        "ours": ours,
        "baseline": baseline,
        "ratio": ratio,
        "target": TARGET,
        "met": ratio >= TARGET and most <= PER_HOST,
        "note": f"{pages} article pages, server answers after {DELAY * 1000:.0f} ms; "
        f"{PER_HOST} per host vs one at a time; most at once seen by the server: {most} "
        f"(limit {PER_HOST})",
        "most_at_once": most,
    }


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv[1:]), indent=2))

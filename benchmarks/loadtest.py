"""The load test: the example site under gunicorn on PostgreSQL, driven over HTTP.

``make loadtest`` (not part of CI) runs ``python -m benchmarks.loadtest`` with the PostgreSQL
server of ``scripts/postgres.sh`` (``DATABASE_URL``). It migrates, loads 10,000 articles
(one in five tagged "turkey", dated, with a body and a listing image), starts two gunicorn
servers of 2 sync workers each on 127.0.0.1 with ``benchmarks.serve_settings``: one serves
this tree, the other the package as it was at ``BASELINE`` (``--baseline REF``), on the same
database. Then 8 clients, each one request at a time, ask each route of both servers in
turns, a few rounds of some seconds each, so that both meet the same load on the machine.
Every answer must be a 200. The rows (requests/s, p50 and p99 per route; queries per
request as PostgreSQL counted them) go to ``benchmarks/results.json``.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import data
from .results import print_table, row, save

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "9882698"
"""The package before the listing cache, conditional GET and the tag resolved to its id."""
WORKERS = 2
CLIENTS = 8
ARTICLES = 10_000
TARGET = 3.0
"""Each route at three times the requests per second of the baseline."""
DEEP_PAGE = 50
DEEP_TARGET = 1.2
"""Page 50 of the tag within 1.2 times the time of its page 1."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def django(database_url: str, media: Path, *args: str) -> str:
    """``python -m ARGS`` with the benchmark settings; its standard output."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "MEDIA_ROOT": str(media),
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def package_at(ref: str, folder: Path) -> Path:
    """The ``wagtail_tagfeed`` package as it was at ``ref``, extracted into ``folder``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "wagtail_tagfeed"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


class Server:
    """gunicorn serving the example site, importing the package from ``code`` first."""

    def __init__(self, name: str, code: Path, database_url: str, media: Path, log: Path):
        self.name = name
        self.port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "benchmarks.serve_settings",
            "MEDIA_ROOT": str(media),
            "PYTHONPATH": str(ROOT),
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            f"--workers={WORKERS}",
            f"--bind=127.0.0.1:{self.port}",
            f"--chdir={code}",
            "example_site.wsgi",
        ]
        self.log = log.open("w")
        self.process = subprocess.Popen(
            command, env=env, cwd=code, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} server exited; see {self.log.name}")
            try:
                get(self.port, path)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} server did not answer in {timeout} s")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass
class Sample:
    """The requests of one route on one server, over all rounds."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    queries: float | None = None

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def drive(port: int, path: str, seconds: float, sample: Sample) -> None:
    """``CLIENTS`` clients asking for ``path`` one request after another for ``seconds``."""
    deadline = time.monotonic() + seconds
    failures = []

    def client() -> None:
        while time.monotonic() < deadline:
            start = time.perf_counter()
            status, _ = get(port, path)
            sample.latencies.append(time.perf_counter() - start)
            if status != 200:
                failures.append(status)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sample.seconds += time.perf_counter() - start
    if failures:
        raise RuntimeError(f"{len(failures)} answers to {path} were not 200: {set(failures)}")


def transactions(database_url: str) -> int:
    """Transactions committed in the database: one per query of a request in autocommit."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        return connection.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()[0]


STATS_DELAY = 11
"""Seconds until an idle PostgreSQL backend has reported its statistics (10 in PostgreSQL
15: the servers keep their connections open, idle, between requests)."""


def count_queries(database_url: str, port: int, path: str, requests: int = 20) -> float:
    """Queries per request, as PostgreSQL counts them: sequential requests, statistics
    read once its backends have reported them."""
    time.sleep(STATS_DELAY)
    before = transactions(database_url)
    for _ in range(requests):
        get(port, path)
    time.sleep(STATS_DELAY)
    after = transactions(database_url)
    return (after - before - 1) / requests


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.loadtest")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of one round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--baseline", default=BASELINE, help="git ref of the baseline package")
    args = parser.parse_args(argv)
    database_url = os.environ["DATABASE_URL"]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tagfeed-loadtest-") as tmp:
        folder = Path(tmp)
        media = folder / "media"
        listings = folder / "listings"
        data.write_listings(listings, args.articles // 20)
        django(database_url, media, "django", "migrate", "--noinput", "-v", "0")
        site = json.loads(
            django(
                database_url, media, "benchmarks.worker", "site", str(listings), str(args.articles)
            ).splitlines()[-1]
        )
        index = site["index"]
        deep = min(DEEP_PAGE, -(-site["tagged"] // site["per_page"]))
        routes = {
            "serve_tag_page": f"{index}tag/turkey/",
            "serve_tag_page_50": f"{index}tag/turkey/?page={deep}",
            "serve_tag_feed": f"{index}tag/turkey/feed/rss/",
            "serve_article": site["article"],
        }
        baseline_code = package_at(args.baseline, folder / "baseline")
        servers = [
            Server("baseline", baseline_code, database_url, media, folder / "baseline.log"),
            Server("ours", ROOT, database_url, media, folder / "ours.log"),
        ]
        samples = {(s.name, name): Sample() for s in servers for name in routes}
        try:
            for server in servers:
                server.wait(index)
                for path in routes.values():  # renditions, caches, connections
                    for _ in range(WORKERS * 4):
                        get(server.port, path)
            for server in servers:
                for name, path in routes.items():
                    samples[server.name, name].queries = count_queries(
                        database_url, server.port, path
                    )
            for _ in range(args.rounds):
                for name, path in routes.items():
                    for server in servers:
                        drive(server.port, path, args.seconds, samples[server.name, name])
        finally:
            for server in servers:
                server.stop()
    rows = [
        route_row(name, samples["ours", name], samples["baseline", name], args.baseline)
        for name in routes
    ]
    rows.append(
        deep_page_row(
            samples["ours", "serve_tag_page"], samples["ours", "serve_tag_page_50"], deep
        )
    )
    save(rows)
    print_table(rows)
    print(
        f"\n{site['articles']} articles, {site['tagged']} tagged turkey; {CLIENTS} clients, "
        f"{WORKERS} workers, {args.rounds} rounds of {args.seconds:g} s; "
        f"{time.perf_counter() - started:.0f} s in all"
    )
    return 0 if all(r["met"] for r in rows) else 1


def milliseconds(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def latencies(sample: Sample) -> str:
    return (
        f"p50 {milliseconds(sample.percentile(0.5))}, "
        f"p99 {milliseconds(sample.percentile(0.99))}, {sample.queries:.0f} queries"
    )


def route_row(name: str, ours: Sample, baseline: Sample, ref: str) -> dict:
    return row(
        name,
        "requests/s",
        ours.rate,
        baseline.rate,
        ours.rate / baseline.rate,
        TARGET,
        note=f"{latencies(ours)}; baseline ({ref}): {latencies(baseline)}",
    ) | {
        "p50_ms": ours.percentile(0.5) * 1000,
        "p99_ms": ours.percentile(0.99) * 1000,
        "queries": ours.queries,
        "baseline_p50_ms": baseline.percentile(0.5) * 1000,
        "baseline_p99_ms": baseline.percentile(0.99) * 1000,
        "baseline_queries": baseline.queries,
    }


def deep_page_row(first: Sample, deep: Sample, number: int) -> dict:
    return row(
        "serve_tag_page_50_vs_1",
        "s (per request)",
        1 / deep.rate,
        1 / first.rate,
        first.rate / deep.rate,
        DEEP_TARGET,
        higher_is_better=False,
        note=f"page {number} of the tag, {deep.rate:.0f} requests/s, against page 1, "
        f"{first.rate:.0f} requests/s",
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

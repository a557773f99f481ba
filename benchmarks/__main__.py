"""Run every benchmark on SQLite and PostgreSQL, print a table, write ``results.json``.

``python -m benchmarks`` is the full run (10,000 articles); ``--smoke`` a small one;
``--imports`` only the import rates and memory (with ``--smoke``, of 2,000 articles), printed.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from . import bench_articles, bench_fetching, bench_listing_devset, bench_truncation, data
from .results import RESULTS, print_table, row, save

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def django_env(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "PYTHONPATH": str(ROOT),
    }


def worker(database_url: str, step: str, folder: Path, count: int) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.worker", step, str(folder), str(count)],
        env=django_env(database_url),
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def migrate(database_url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"],
        env=django_env(database_url),
        cwd=ROOT,
        check=True,
    )


class SQLite:
    name = "sqlite"

    def __init__(self, folder: Path):
        self.folder = folder
        self.template = folder / "template.sqlite3"
        migrate(f"sqlite:///{self.template}")
        self.count = 0

    def fresh(self) -> str:
        self.count += 1
        path = self.folder / f"db{self.count}.sqlite3"
        shutil.copy(self.template, path)
        return f"sqlite:///{path}"


class Postgres:
    """A throwaway server on a loopback port, as scripts/postgres.sh starts one."""

    name = "postgres"

    def __init__(self, folder: Path):
        self.data = Path(tempfile.mkdtemp(prefix="tagfeed-bench-pg-"))
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        if os.getuid() == 0:
            shutil.chown(self.data, "postgres")
        self.run(
            "initdb", "-D", f"{self.data}/data", "-U", "postgres", "-A", "trust", "-E", "UTF8"
        )
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.data} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self.run(
            "pg_ctl",
            "-D",
            f"{self.data}/data",
            "-l",
            f"{self.data}/server.log",
            "-w",
            "-o",
            options,
            "start",
        )
        self.count = 0
        self.createdb("template")
        migrate(self.url("template"))

    def run(self, program: str, *args: str) -> None:
        command = [str(PG_BIN / program), *args]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True)

    def createdb(self, name: str, template: str | None = None) -> None:
        extra = ["-T", template] if template else []
        self.run(
            "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", *extra, name
        )

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def fresh(self) -> str:
        self.count += 1
        self.createdb(f"db{self.count}", "template")
        return self.url(f"db{self.count}")

    def stop(self) -> None:
        try:
            self.run("pg_ctl", "-D", f"{self.data}/data", "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.data, ignore_errors=True)


@contextmanager
def postgres(folder: Path):
    server = None
    try:
        server = Postgres(folder)
        yield server
    finally:
        if server:
            server.stop()


def import_rows(db, folder: Path, articles: int, sample: int) -> tuple[list[dict], dict]:
    standard = worker(db.fresh(), "standard", folder, sample)
    bulk = worker(db.fresh(), "bulk", folder, articles)
    worker(db.fresh(), "rows", folder, articles)
    raw = worker(db.fresh(), "raw", folder, articles)
    ours = bulk["articles"] / bulk["seconds"]
    baseline = standard["articles"] / standard["seconds"]
    floor = raw["articles"] / raw["seconds"]
    rows = [
        row(
            f"import_{db.name}",
            "articles/s",
            ours,
            baseline,
            ours / baseline,
            30,
            note=f"sync() of {bulk['articles']} parsed articles; "
            f"baseline add_child+publish of {standard['articles']}",
        ),
        row(
            f"import_{db.name}_raw",
            "articles/s",
            ours,
            floor,
            ours / floor,
            0.5,
            note=f"the same sync() against inserting the {raw['rows']} rows it writes "
            "(pages, revisions, log, tags, search and reference index) with executemany",
        ),
    ]
    return rows, bulk


def render_row(db, folder: Path, articles: int) -> dict:
    result = worker(db.fresh(), "render", folder, articles)
    return row(
        f"render_tag_page_{db.name}" if db.name != "sqlite" else "render_tag_page",
        "s (median)",
        result["big"],
        result["small"],
        result["big"] / result["small"],
        1.3,
        higher_is_better=False,
        note=f"{articles} vs 100 articles; queries {result['queries_big']} vs "
        f"{result['queries_small']}",
    ) | {"queries": [result["queries_big"], result["queries_small"]]}


def parse_row() -> dict:
    from bs4 import BeautifulSoup

    from wagtail_tagfeed.listing import Document
    from wagtail_tagfeed.parsing import parse_listing

    content = data.big_listing(500)
    document = Document(content, "big.html", url="https://news.example/tag/turkey")
    ours, baseline = [], []
    for _ in range(5):
        start = time.perf_counter()
        listing = parse_listing(document)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        BeautifulSoup(content, "lxml")
        baseline.append(time.perf_counter() - start)
    assert len(listing.items) == 500, len(listing.items)
    ours_s, baseline_s = statistics.median(ours), statistics.median(baseline)
    return row(
        "parse_listing",
        "s (median)",
        ours_s,
        baseline_s,
        ours_s / baseline_s,
        2.0,
        higher_is_better=False,
        note=f"{len(content) // 1024} KB, 500 items, against BeautifulSoup(lxml)",
    )


def memory_row(db, folder: Path, articles: int, bulk: dict) -> dict:
    small = worker(db.fresh(), "bulk", folder, articles // 10)
    return row(
        "import_memory",
        "peak RSS MB",
        bulk["maxrss_kb"] / 1024,
        small["maxrss_kb"] / 1024,
        bulk["maxrss_kb"] / small["maxrss_kb"],
        1.5,
        higher_is_better=False,
        note=f"{articles} against {articles // 10} articles, fresh processes (SQLite)",
    )


def run_imports(articles: int, sample: int) -> list[dict]:
    """Only the import rates against their baselines, on SQLite and PostgreSQL, and the
    import's memory."""
    with tempfile.TemporaryDirectory(prefix="tagfeed-bench-") as tmp:
        folder = Path(tmp)
        listings = folder / "listings"
        data.write_listings(listings, articles // 20)
        sqlite = SQLite(folder)
        rows, bulk = import_rows(sqlite, listings, articles, sample)
        rows.append(memory_row(sqlite, listings, articles, bulk))
        with postgres(folder) as server:
            rows += import_rows(server, listings, articles, sample)[0]
    return rows


def run(smoke: bool) -> list[dict]:
    articles = 200 if smoke else 10_000
    sample = 50 if smoke else 300
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="tagfeed-bench-") as tmp:
        folder = Path(tmp)
        listings = folder / "listings"
        data.write_listings(listings, articles // 20)
        sqlite = SQLite(folder)
        import_sqlite, bulk = import_rows(sqlite, listings, articles, sample)
        rows += import_sqlite
        first = bulk["articles"] / bulk["seconds"]
        again = bulk["articles"] / bulk["reimport_seconds"]
        rows.append(
            row(
                "reimport_unchanged",
                "items/s",
                again,
                first,
                again / first,
                10,
                note="the same articles again (median of three), against their first import "
                "(SQLite)",
            )
        )
        rows.append(memory_row(sqlite, listings, articles, bulk))
        rows.append(render_row(sqlite, listings, articles))
        with postgres(folder) as server:
            import_postgres, _ = import_rows(server, listings, articles, sample)
            rows += import_postgres
            rows.append(render_row(server, listings, articles))
    rows.append(parse_row())
    rows += bench_listing_devset.run()
    rows += bench_truncation.run(quick=smoke)
    rows.append(bench_fetching.run(quick=smoke))
    rows += bench_articles.run(quick=smoke)
    return rows


def main(argv: list[str]) -> int:
    smoke = "--smoke" in argv
    started = time.perf_counter()
    if "--imports" in argv:
        # Part of a run: printed, not written over the full run's results.
        print_table(run_imports(2_000 if smoke else 10_000, 50 if smoke else 300))
        return 0
    rows = run(smoke)
    save(rows)
    print_table(rows)
    print(
        f"\n{'smoke' if smoke else 'full'} run in {time.perf_counter() - started:.0f} s; "
        f"results in {RESULTS.relative_to(ROOT)}"
    )
    # The smoke run only proves the benchmarks still run: 200 articles say little about speed.
    return 0 if smoke or all(r["met"] is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

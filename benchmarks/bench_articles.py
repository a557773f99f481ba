"""``extract.article()`` on the article development set, beside trafilatura and readability-lxml.

Each page is given to every extractor in turn, in the same process, so load on the machine
affects them alike; a page's time is the fastest of the rounds (the extraction alone, not the
scoring). F1, precision and recall are the set's own metric (4-word shingles, see
``devsets/articles/README.md``), averaged over pages. The libraries compared are optional:
``pip install -e ".[bench]"`` installs them (``make bench`` does); a missing one is left out.

The goals: F1 >= 0.96 on the Readability pages with no empty body, in no more time per page
than trafilatura. ``python -m benchmarks.bench_articles [--quick]`` prints the table alone.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wagtail_tagfeed import extract

DEVSET = Path(__file__).resolve().parent / "devsets" / "articles"
GOAL_F1 = 0.96
GROUPS = {"article_devset": "Readability pages", "article_newspaper4k": "newspaper4k pages"}


def _scorer():
    """The development set's own scorer (standard library only), loaded from its file."""
    spec = importlib.util.spec_from_file_location("article_devset_score", DEVSET / "score.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@dataclass
class Page:
    name: str
    html: str
    url: str
    truth: str

    @property
    def group(self) -> str:
        return "article_newspaper4k" if self.name.startswith("newspaper4k-") else "article_devset"


@dataclass
class Scores:
    """One extractor's results on a group of pages."""

    f1: list[float] = field(default_factory=list)
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    empty: int = 0
    errors: int = 0

    def mean(self, name: str) -> float:
        values = getattr(self, name)
        return statistics.fmean(values) if values else 0.0


def load_pages(quick: bool) -> list[Page]:
    folders = sorted(p for p in (DEVSET / "pages").iterdir() if (p / "truth.txt").exists())
    if quick:
        folders = folders[::6]
    pages = []
    for folder in folders:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        html = gzip.decompress((folder / "page.html.gz").read_bytes()).decode("utf-8", "replace")
        truth = (folder / "truth.txt").read_text(encoding="utf-8")
        pages.append(Page(folder.name, html, meta["url"], truth))
    return pages


def extractors() -> dict[str, Callable[[str, str], str]]:
    """Ours and those of the compared libraries that are installed; each returns text."""
    found: dict[str, Callable[[str, str], str]] = {
        "ours": lambda html, url: extract.article(html, url).text
    }
    try:
        import trafilatura
    except ImportError:
        pass
    else:
        found["trafilatura"] = lambda html, url: trafilatura.extract(html, url=url) or ""
    try:
        from readability import Document
    except ImportError:
        pass
    else:
        found["readability-lxml"] = lambda html, url: Document(html, url=url).summary(
            html_partial=True
        )
    return found


def measure(quick: bool = False) -> dict[str, dict[str, Scores]]:
    """Scores by group, then by extractor."""
    scorer = _scorer()
    pages = load_pages(quick)
    runners = extractors()
    results: dict[str, dict[str, Scores]] = {
        group: {name: Scores() for name in runners} for group in GROUPS
    }
    for page in pages:
        for name, run in runners.items():
            best, output = float("inf"), ""
            for _ in range(1 if quick else 2):
                started = time.perf_counter()
                try:
                    output = run(page.html, page.url)
                except Exception:  # a failure scores 0 on that page
                    output = None
                best = min(best, time.perf_counter() - started)
            scores = results[page.group][name]
            if output is None:
                scores.errors += 1
                output = ""
            if scorer.looks_like_html(output):
                output = scorer.html_to_text(output)
            precision, recall, f1 = scorer.prf(output, page.truth)
            scores.f1.append(f1)
            scores.precision.append(precision)
            scores.recall.append(recall)
            scores.seconds.append(best)
            scores.empty += not scorer.tokens(output)
    return results


def run(quick: bool = False) -> list[dict]:
    """A row per group of pages (F1 against trafilatura's) and one for the time per page."""
    results = measure(quick)
    rows = []
    for group, label in GROUPS.items():
        by_name = results[group]
        ours = by_name["ours"]
        if not ours.f1:
            continue
        baseline = by_name.get("trafilatura")
        traf_f1 = baseline.mean("f1") if baseline else None
        fast_enough = baseline is None or ours.mean("seconds") <= baseline.mean("seconds")
        rows.append(
            {
                "name": group,
                "unit": "F1 (mean)",
                "ours": ours.mean("f1"),
                "baseline": traf_f1,
                "ratio": ours.mean("f1") / traf_f1 if traf_f1 else None,
                "target": None,
                "met": ours.mean("f1") >= GOAL_F1 and not ours.empty and fast_enough,
                "note": f"{len(ours.f1)} {label}, against trafilatura; goal F1 >= {GOAL_F1}, "
                "no empty body, time <= trafilatura's. " + _side_by_side(by_name),
                "extractors": {name: _summary(scores) for name, scores in by_name.items()},
            }
        )
    ours = [s for group in results.values() for s in group["ours"].seconds]
    traf = [s for group in results.values() for s in group.get("trafilatura", Scores()).seconds]
    if ours:
        ours_s = statistics.fmean(ours)
        traf_s = statistics.fmean(traf) if traf else None
        rows.append(
            {
                "name": "article_time_per_page",
                "unit": "s per page (mean)",
                "ours": ours_s,
                "baseline": traf_s,
                "ratio": ours_s / traf_s if traf_s else None,
                "target": 1.0 if traf_s else None,
                "met": ours_s <= traf_s if traf_s else None,
                "note": f"extract.article() against trafilatura.extract(), {len(ours)} pages",
            }
        )
    return rows


def _summary(scores: Scores) -> dict:
    return {
        "f1": scores.mean("f1"),
        "precision": scores.mean("precision"),
        "recall": scores.mean("recall"),
        "empty": scores.empty,
        "errors": scores.errors,
        "seconds_per_page": scores.mean("seconds"),
    }


def _side_by_side(by_name: dict[str, Scores]) -> str:
    return "; ".join(
        f"{name} F1 {s.mean('f1'):.3f}, {s.empty} empty, {s.mean('seconds') * 1000:.0f} ms/page"
        for name, s in by_name.items()
    )


def main(argv: list[str]) -> None:
    results = measure(quick="--quick" in argv)
    header = ("pages", "extractor", "F1", "P", "R", "empty", "ms/page")
    print("{:<22} {:<17} {:>6} {:>6} {:>6} {:>6} {:>8}".format(*header))
    for group, label in GROUPS.items():
        for name, scores in results[group].items():
            if scores.f1:
                print(
                    f"{label:<22} {name:<17} {scores.mean('f1'):>6.3f} "
                    f"{scores.mean('precision'):>6.3f} {scores.mean('recall'):>6.3f} "
                    f"{scores.empty:>6} {scores.mean('seconds') * 1000:>8.1f}"
                )


if __name__ == "__main__":
    main(sys.argv[1:])

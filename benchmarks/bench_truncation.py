"""``truncate_html`` against Django's ``Truncator(html)``, same process.

A cut by words is compared with ``Truncator.words(n, html=True)``, a cut by characters with
``Truncator.chars(n, html=True)``. Each case is timed in interleaved rounds (ours, then
Django's) and the medians compared, so load on the machine affects both sides alike. Django's
truncator is given ``truncate="…"``, the string its default resolves to, so that it needs no
settings.

Run ``python benchmarks/bench_truncation.py [--quick]`` for a table.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.utils.text import Truncator

from wagtail_tagfeed.truncation import truncate_html

SEED = Path(__file__).resolve().parent.parent / "tests" / "data" / "seed"
TARGETS = {
    "truncate_teaser": 2.0,
    "truncate_markup_heavy_400k": 10.0,
    "truncate_entities_16k_chars": 2.0,
}


def teaser() -> str:
    """The first two items of the seed listing, title links and teasers: about 2 KB."""
    html = (SEED / "tag-listing-turkey.html").read_text(encoding="utf-8")
    rows = re.findall(r'<div class="views-row[^"]*">.*?\n    </div>', html, re.S)
    return "\n".join(rows[:2])


def article() -> str:
    """About 200 KB of paragraphs with links, emphasis and the odd list."""
    sentence = (
        'Ankara <a href="/news/tag/turkey">sees</a> the attack on <em>Azerbaijan</em> as an '
        "attack on Turkey, said the deputy head of the ruling party&nbsp;&mdash; reports say. "
    )
    parts = []
    for index in range(575):
        parts.append(f"<p>{sentence * 2}</p>\n")
        if index % 10 == 0:
            parts.append("<ul><li>One <strong>point</strong></li><li>Another</li></ul>\n")
    return "<article>" + "".join(parts) + "</article>"


def markup_heavy() -> str:
    """400 KB of nested markup without any text, then the text."""
    row = (
        '<div class="views-row" data-id="12345"><div class="node node--type-article">'
        '<span class="icon icon-x"></span><a href="/x/y" class="link" aria-hidden="true"></a>'
        "</div></div>"
    )
    return row * (400_000 // len(row)) + "<p>" + "word " * 100 + "</p>"


def cases() -> list[tuple[str, str, dict[str, int]]]:
    """Name, HTML and limits of each case."""
    entities = "&amp; " * 200_000
    return [
        ("truncate_teaser", teaser(), {"words": 30}),
        ("truncate_article_200k", article(), {"words": 50}),
        ("truncate_markup_heavy_400k", markup_heavy(), {"words": 20}),
        (
            "truncate_unmatched_end_tags",
            "</b>" * 50_000 + "<p>" + "word " * 100 + "</p>",
            {"words": 20},
        ),
        (
            "truncate_deep_nesting",
            "<div>" * 10_000 + "word " * 100 + "</div>" * 10_000,
            {"words": 20},
        ),
        ("truncate_repeated_open_tag", "<a" * 100_000, {"words": 20}),
        ("truncate_entities_4k_chars", entities, {"chars": 4_000}),
        ("truncate_entities_16k_chars", entities, {"chars": 16_000}),
        ("truncate_entities_100k_chars", entities, {"chars": 100_000}),
    ]


def django_truncate(html: str, limits: dict[str, int]) -> str:
    """Django's truncator cutting ``html`` by the one limit in ``limits``."""
    [(unit, limit)] = limits.items()
    return getattr(Truncator(html), unit)(limit, html=True, truncate="…")


def median_times(
    ours: Callable[[], object], baseline: Callable[[], object], rounds: int
) -> tuple[float, float]:
    """Median seconds per call of each, timed alternately, each round long enough to measure."""
    start = time.perf_counter()
    ours()
    single = max(time.perf_counter() - start, 1e-7)
    number = max(1, int(0.02 / single))
    mine, theirs = [], []
    for _ in range(rounds):
        for func, times in ((ours, mine), (baseline, theirs)):
            start = time.perf_counter()
            for _ in range(number):
                func()
            times.append((time.perf_counter() - start) / number)
    return statistics.median(mine), statistics.median(theirs)


def run(quick: bool = False) -> list[dict]:
    """Time every case; a row per case, with the ratio and whether its target is met."""
    rows = []
    for name, html, limits in cases():
        ours, baseline = median_times(
            lambda html=html, limits=limits: truncate_html(html, **limits),
            lambda html=html, limits=limits: django_truncate(html, limits),
            rounds=3 if quick else 9,
        )
        ratio = baseline / ours
        target = TARGETS.get(name)
        [(unit, limit)] = limits.items()
        rows.append(
            {
                "name": name,
                "unit": "x faster than Django",
                "ours": ours,
                "baseline": baseline,
                "ratio": ratio,
                "target": target,
                "met": None if target is None else ratio >= target,
                "note": f"{unit}={limit} of {len(html) // 1024} KB, "
                f"against Truncator.{unit}(html=True)",
            }
        )
    return rows


def main(argv: list[str]) -> None:
    rows = run(quick="--quick" in argv)
    print(f"{'case':<30} {'ours':>11} {'Django':>11} {'ratio':>8} {'target':>7}  met")
    for row in rows:
        target = "" if row["target"] is None else f"{row['target']:.0f}x"
        met = "" if row["met"] is None else ("yes" if row["met"] else "NO")
        print(
            f"{row['name']:<30} {row['ours'] * 1e3:>9.3f}ms {row['baseline'] * 1e3:>9.3f}ms "
            f"{row['ratio']:>7.1f}x {target:>7}  {met}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])

"""How well ``extract.listing()`` reads real listing pages: the in-repo development set.

Each case of ``devsets/listings`` (a saved page and its hand-written truth) is parsed in this
process and scored with the set's own scorer (``devsets/listings/score.py``); the row is the
mean item F1, with each field's score and the time per page in its note.
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import time
from pathlib import Path

from wagtail_tagfeed import extract

DEVSET = Path(__file__).resolve().parent / "devsets" / "listings"
FIELDS = ("F1", "title", "url", "summary", "date", "image", "tag", "next")
TARGET_F1 = 0.95


def scorer():
    spec = importlib.util.spec_from_file_location("listing_devset_score", DEVSET / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score(folder: Path = DEVSET) -> tuple[dict[str, float], float]:
    """The mean of each field over the cases (where it applies), and the median seconds a
    page takes to extract."""
    score_py = scorer()
    results, seconds = [], []
    for truth_path in sorted(folder.glob("*/truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        content = (truth_path.parent / "page.html").read_bytes()
        started = time.perf_counter()
        try:
            predicted = extract.listing(content, truth["page_url"]).as_json()
        except Exception:  # a page that fails scores 0, as in the scorer's own runs
            predicted = None
        seconds.append(time.perf_counter() - started)
        results.append(score_py.score_case(truth, predicted))
    means = {
        name: statistics.mean(r[name] for r in results if r[name] is not None) for name in FIELDS
    }
    return means, statistics.median(seconds)


def run() -> list[dict]:
    """One row: the mean item F1 against a perfect 1.0, with every field and the time."""
    means, seconds = score()
    fields = " ".join(f"{name}={means[name]:.2f}" for name in FIELDS[1:])
    cases = len(list(DEVSET.glob("*/truth.json")))
    return [
        {
            "name": "listing_devset",
            "unit": "item F1",
            "ours": means["F1"],
            "baseline": 1.0,
            "ratio": means["F1"],
            "target": TARGET_F1,
            "met": means["F1"] >= TARGET_F1,
            "note": f"{cases} real pages; {fields}; {seconds * 1000:.0f} ms a page (median)",
            "fields": means,
            "seconds_per_page": seconds,
        }
    ]


if __name__ == "__main__":
    means, seconds = score()
    print(" ".join(f"{name}={value:.2f}" for name, value in means.items()), f"{seconds:.3f} s")

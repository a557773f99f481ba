"""Rows of ``benchmarks/results.json``: each a measure against a baseline of the same run."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"


def row(name, unit, ours, baseline, ratio, target, *, higher_is_better=True, note=""):
    met = ratio >= target if higher_is_better else ratio <= target
    return {
        "name": name,
        "unit": unit,
        "ours": ours,
        "baseline": baseline,
        "ratio": ratio,
        "target": target,
        "met": met,
        "note": note,
    }


def save(rows: list[dict]) -> None:
    """Write ``rows`` to the results, in place of the rows of the same name.

    ``make bench`` and ``make loadtest`` each measure their own rows; the other's stay.
    """
    kept = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    by_name = {r["name"]: r for r in rows}
    merged = [by_name.pop(r["name"], r) for r in kept]
    merged += by_name.values()
    RESULTS.write_text(json.dumps(merged, indent=2) + "\n")


def print_table(rows: list[dict]) -> None:
    print(
        f"{'benchmark':<30} {'unit':<22} {'ours':>12} {'baseline':>12} {'ratio':>8} "
        f"{'target':>8}  met"
    )
    for r in rows:
        sign = "<=" if r["unit"].startswith(("s ", "peak")) else ">="
        target = "" if r["target"] is None else f"{sign}{r['target']:g}"
        met = "" if r["met"] is None else ("yes" if r["met"] else "NO")
        baseline = "-" if r["baseline"] is None else f"{r['baseline']:.4g}"
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}"
        print(
            f"{r['name']:<30} {r['unit']:<22} {r['ours']:>12.4g} {baseline:>12} "
            f"{ratio:>8} {target:>8}  {met}"
        )
        if r.get("note"):
            print(f"{'':<30} {r['note']}")

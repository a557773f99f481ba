#!/usr/bin/env python3
"""Score a listing-page extractor against the cases in this directory.

Usage:
    python3 score.py --cmd 'COMMAND {page} {base_url}' [--verbose] [--case NAME ...]

For every case directory (one holding page.html and truth.json) the command is run once,
with {page} replaced by the path of page.html and {base_url} by the truth's page_url (both
shell-quoted). It must print one JSON object on stdout:

    {"tag": ..., "next_page": ...,
     "items": [{"title", "url", "summary_text", "published", "image"}]}

(A JSON list of such objects is accepted too; the first one is scored. Other keys are ignored.)

Standard library only; Python 3.11+.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import shlex
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
MATCH_THRESHOLD = 0.8
FIELDS = ("title", "url", "summary", "date", "image")


# --- normalisation ------------------------------------------------------------------------


def clean_text(value) -> str | None:
    """NFC, no control characters, non-breaking and other spaces collapsed; '' -> None."""
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    value = unicodedata.normalize("NFC", value)
    value = "".join(
        ch for ch in value if not (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    )
    value = re.sub(r"\s+", " ", value).strip()
    return value or None


_TRAILING_ELLIPSIS = re.compile(
    r"(?:\s+|\u2026|\.|\[\s*(?:\u2026|\.{2,})\s*\]|\(\s*(?:\u2026|\.{2,})\s*\))$"
)


def strip_ellipsis(value: str) -> str:
    """Drop trailing ellipses in their usual spellings: '…', '...', '..', '[…]', '[...]', '(…)'."""
    previous = None
    while previous != value:
        previous = value
        value = _TRAILING_ELLIPSIS.sub("", value)
    return value


def title_key(value) -> str:
    """The form used to pair predicted and true items (not for the exact-title score)."""
    value = clean_text(value) or ""
    return strip_ellipsis(value).casefold()


def norm_url(value, base: str) -> str | None:
    """Absolute URL, lower-case scheme and host, no #fragment, no trailing slash on the path."""
    value = clean_text(value)
    if not value:
        return None
    try:
        parts = urlsplit(urljoin(base, value))
    except ValueError:
        return value
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def slug(value) -> str | None:
    value = clean_text(value)
    if not value:
        return None
    value = unicodedata.normalize("NFKC", value).casefold()
    value = re.sub(r"[\W_]+", "-", value).strip("-")
    return value or None


def date10(value) -> str | None:
    value = clean_text(value)
    return value[:10] if value else None


def ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


# --- running the command ------------------------------------------------------------------


def parse_output(stdout: str) -> dict:
    text = stdout.strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        start = text.find("{")
        if start < 0:
            raise
        data, _ = json.JSONDecoder().raw_decode(text[start:])
    if isinstance(data, list):
        data = data[0] if data else {}
    if not isinstance(data, dict):
        raise ValueError("the output is not a JSON object")
    return data


def run_case(cmd: str, page: Path, base_url: str, timeout: float) -> tuple[dict | None, str]:
    command = cmd.replace("{page}", shlex.quote(str(page))).replace(
        "{base_url}", shlex.quote(base_url)
    )
    try:
        proc = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout:.0f} s"
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return None, f"exit status {proc.returncode}: " + " | ".join(tail)
    try:
        return parse_output(proc.stdout), ""
    except (ValueError, json.JSONDecodeError) as error:
        return None, f"unreadable output ({error})"


# --- scoring one case ---------------------------------------------------------------------


def match_items(truth_items: list[dict], pred_items: list[dict]) -> list[tuple[int, int, float]]:
    """Greedy one-to-one pairing by title similarity, best pairs first."""
    truth_keys = [title_key(item.get("title")) for item in truth_items]
    pred_keys = [title_key(item.get("title")) for item in pred_items]
    candidates = []
    for ti, tk in enumerate(truth_keys):
        for pi, pk in enumerate(pred_keys):
            if not tk or not pk:
                continue
            if tk == pk:
                score = 1.0
            else:
                matcher = difflib.SequenceMatcher(None, tk, pk, autojunk=False)
                if matcher.real_quick_ratio() < MATCH_THRESHOLD:
                    continue
                if matcher.quick_ratio() < MATCH_THRESHOLD:
                    continue
                score = matcher.ratio()
            if score >= MATCH_THRESHOLD:
                candidates.append((score, ti, pi))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_t, used_p, pairs = set(), set(), []
    for score, ti, pi in candidates:
        if ti in used_t or pi in used_p:
            continue
        used_t.add(ti)
        used_p.add(pi)
        pairs.append((ti, pi, score))
    pairs.sort()
    return pairs


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else None


def score_case(truth: dict, pred: dict | None) -> dict:
    base = truth["page_url"]
    truth_items = truth["items"]
    has_summary = any(clean_text(i.get("summary_text")) for i in truth_items)
    has_image = any(clean_text(i.get("image")) for i in truth_items)
    result = {
        "n_truth": len(truth_items),
        "n_pred": 0,
        "matched": 0,
        "P": 0.0,
        "R": 0.0,
        "F1": 0.0,
        "title": 0.0,
        "url": 0.0,
        "summary": 0.0 if has_summary else None,
        "date": 0.0,
        "image": 0.0 if has_image else None,
        "tag": 0.0,
        "next": 0.0,
        "details": [],
    }
    if pred is None:
        return result

    pred_items = [i for i in (pred.get("items") or []) if isinstance(i, dict)]
    result["n_pred"] = len(pred_items)
    pairs = match_items(truth_items, pred_items)
    result["matched"] = len(pairs)
    if pred_items:
        result["P"] = len(pairs) / len(pred_items)
    if truth_items:
        result["R"] = len(pairs) / len(truth_items)
    if result["P"] + result["R"]:
        result["F1"] = 2 * result["P"] * result["R"] / (result["P"] + result["R"])

    per_field = {name: [] for name in FIELDS}
    details = result["details"]
    for ti, pi, _similarity in pairs:
        t, p = truth_items[ti], pred_items[pi]
        problems = []

        ok = clean_text(t.get("title")) == clean_text(p.get("title"))
        per_field["title"].append(1.0 if ok else 0.0)
        if not ok:
            problems.append(("title", t.get("title"), p.get("title")))

        ok = norm_url(t.get("url"), base) == norm_url(p.get("url"), base)
        per_field["url"].append(1.0 if ok else 0.0)
        if not ok:
            problems.append(("url", t.get("url"), p.get("url")))

        if has_summary:
            ts, ps = clean_text(t.get("summary_text")), clean_text(p.get("summary_text"))
            if ts is None:
                value = 1.0 if ps is None else 0.0
            else:
                value = ratio(strip_ellipsis(ts), strip_ellipsis(ps)) if ps else 0.0
            per_field["summary"].append(value)
            if value < 0.9:
                problems.append((f"summary {value:.2f}", ts, ps))

        ok = date10(t.get("published")) == date10(p.get("published"))
        per_field["date"].append(1.0 if ok else 0.0)
        if not ok:
            problems.append(("date", t.get("published"), p.get("published")))

        if has_image:
            ok = norm_url(t.get("image"), base) == norm_url(p.get("image"), base)
            per_field["image"].append(1.0 if ok else 0.0)
            if not ok:
                problems.append(("image", t.get("image"), p.get("image")))

        if problems:
            details.append((t.get("title"), problems))

    for name in FIELDS:
        if result[name] is None:
            continue
        value = mean(per_field[name])
        result[name] = value if value is not None else 0.0

    truth_tags = {slug(truth.get("tag"))} | {slug(a) for a in truth.get("tag_aliases") or []}
    truth_tags.discard(None)
    pred_tag = slug(pred.get("tag"))
    result["tag"] = 1.0 if (pred_tag in truth_tags if truth_tags else pred_tag is None) else 0.0
    result["next"] = (
        1.0
        if norm_url(truth.get("next_page"), base) == norm_url(pred.get("next_page"), base)
        else 0.0
    )

    matched_t = {ti for ti, _, _ in pairs}
    matched_p = {pi for _, pi, _ in pairs}
    result["missed"] = [
        truth_items[i].get("title") for i in range(len(truth_items)) if i not in matched_t
    ]
    result["extra"] = [
        pred_items[i].get("title") for i in range(len(pred_items)) if i not in matched_p
    ]
    result["pred_tag"] = pred.get("tag")
    result["pred_next"] = pred.get("next_page")
    return result


# --- reporting ----------------------------------------------------------------------------


def fmt(value) -> str:
    return "-" if value is None else f"{value:.2f}"


def short(value, width: int = 110) -> str:
    text = clean_text(value) if isinstance(value, str) else repr(value)
    if text is None:
        return "null"
    return text if len(text) <= width else text[: width - 1] + "…"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cmd", required=True, help="command line with {page} and {base_url}")
    parser.add_argument("--verbose", action="store_true", help="show per-item disagreements")
    parser.add_argument("--case", action="append", help="score only this case (repeatable)")
    parser.add_argument(
        "--timeout", type=float, default=300, help="seconds per case (default 300)"
    )
    parser.add_argument("--dir", default=str(HERE), help="directory holding the cases")
    args = parser.parse_args(argv)

    root = Path(args.dir)
    cases = sorted(
        p.parent for p in root.glob("*/truth.json") if (p.parent / "page.html").exists()
    )
    if args.case:
        cases = [c for c in cases if c.name in set(args.case)]
    if not cases:
        print("no cases found", file=sys.stderr)
        return 2

    header = (
        f"{'case':28} {'items':>9} {'P':>5} {'R':>5} {'F1':>5} {'title':>5} {'url':>5} "
        f"{'summ':>5} {'date':>5} {'image':>5} {'tag':>4} {'next':>4}"
    )
    print(header)
    results = {}
    for case in cases:
        truth = json.loads((case / "truth.json").read_text(encoding="utf-8"))
        started = time.monotonic()
        pred, error = run_case(args.cmd, case / "page.html", truth["page_url"], args.timeout)
        elapsed = time.monotonic() - started
        r = score_case(truth, pred)
        results[case.name] = r
        counts = f"{r['matched']}/{r['n_truth']}/{r['n_pred']}"
        print(
            f"{case.name:28} {counts:>9} {fmt(r['P']):>5} {fmt(r['R']):>5} {fmt(r['F1']):>5} "
            f"{fmt(r['title']):>5} {fmt(r['url']):>5} {fmt(r['summary']):>5} {fmt(r['date']):>5} "
            f"{fmt(r['image']):>5} {fmt(r['tag']):>4} {fmt(r['next']):>4}"
            + (f"   ERROR: {error}" if error else "")
        )
        if args.verbose and pred is not None:
            print(
                f"    ({elapsed:.1f} s) tag: truth={truth.get('tag')!r} "
                f"predicted={r['pred_tag']!r}"
            )
            print(
                f"    next: truth={truth.get('next_page')!r}\n"
                f"          predicted={r['pred_next']!r}"
            )
            for title in r["missed"]:
                print(f"    MISSED  {short(title)}")
            for title in r["extra"]:
                print(f"    EXTRA   {short(title)}")
            for title, problems in r["details"]:
                print(f"    ITEM    {short(title)}")
                for field, want, got in problems:
                    pad = " " * len(field)
                    print(f"        {field}: truth={short(want)}")
                    print(f"        {pad}  pred ={short(got)}")

    def overall(name):
        return mean(r[name] for r in results.values() if r[name] is not None)

    print(
        "matched/truth/predicted items per case; summary and image '-' where the page shows none"
    )
    print(
        "overall: "
        + " ".join(
            f"{label}={fmt(overall(name))}"
            for label, name in (
                ("F1", "F1"),
                ("title", "title"),
                ("url", "url"),
                ("summary", "summary"),
                ("date", "date"),
                ("image", "image"),
                ("tag", "tag"),
                ("next", "next"),
            )
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

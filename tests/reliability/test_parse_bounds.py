"""Parsing ends, within a time and a memory bound, on random and mutated pages.

Every page goes to one child process (``parse_worker``) that parses it under a deadline,
measures the peak of Python's allocations with ``tracemalloc`` and runs with a capped
address space: a page that made parsing loop or grow forever kills or stalls the child and
fails the example, instead of taking the machine's memory.

The bounds are deliberately generous, so that a slow or busy machine never fails them: these
pages take well under a second and a few MB to parse here, and a runaway parse exceeds any
bound within seconds.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_fuzzing import PAGES, mutated_pages

WORKER = Path(__file__).with_name("parse_worker.py")
ROOT = Path(__file__).resolve().parents[2]
SECONDS = 10
"""Time bound for one page of these sizes (at most a few hundred KB)."""
ANSWER_SECONDS = 60
"""How long the test waits for the child before it counts the page as a hang."""
MEMORY_BASE = 64 * 1024**2
MEMORY_PER_BYTE = 400
"""Peak allocations allowed: a fixed 64 MB plus 400 bytes per byte of page (a parsed tree
takes tens of bytes per byte of HTML)."""
BOUNDS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


class Worker:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def parse(self, content: bytes) -> dict:
        assert self.process.poll() is None, "the parse worker died on an earlier page"
        self.process.stdin.write(len(content).to_bytes(4, "big") + content)
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], ANSWER_SECONDS)
        if not ready:
            self.process.kill()
            pytest.fail(f"parsing a {len(content)}-byte page did not end in {ANSWER_SECONDS} s")
        line = self.process.stdout.readline()
        if not line:
            pytest.fail(f"the parse worker died on a {len(content)}-byte page (memory?)")
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def worker():
    child = Worker()
    yield child
    child.close()


def assert_bounded(worker: Worker, content: bytes) -> None:
    result = worker.parse(content)
    assert result["outcome"] != "crash", result["detail"]
    assert result["seconds"] <= SECONDS, result
    assert result["peak_bytes"] <= MEMORY_BASE + MEMORY_PER_BYTE * len(content), result


CLASSES = st.lists(st.sampled_from(["card", "post", "wide", "dark", "row", "item", "x-1"]))
TEXT = st.sampled_from(["", "word", "A title of some length", "2024-05-01", "3 mai 2024", "»"])


@st.composite
def elements(draw, depth: int = 0) -> str:
    """A random element with random classes, links, headings and text, nested a few levels."""
    name = draw(st.sampled_from(["div", "article", "li", "section", "a", "h2", "p", "time"]))
    names = " ".join(draw(CLASSES))
    href = f' href="/p/{draw(st.integers(0, 30))}"' if name == "a" or draw(st.booleans()) else ""
    inner = draw(TEXT)
    if depth < 4:
        children = draw(st.lists(elements(depth + 1), max_size=5))
        inner += "".join(children)
    return f'<{name} class="{names}"{href}>{inner}</{name}>'


@st.composite
def random_pages(draw) -> bytes:
    """Pages of repeated random blocks: what grouping and scoring work on."""
    blocks = draw(st.lists(elements(), min_size=1, max_size=8))
    repeats = draw(st.integers(1, 6))
    body = "".join(blocks) * repeats
    return f"<html><body><main><h1>Tag: x</h1>{body}</main></body></html>".encode()


@BOUNDS
@given(random_pages())
def test_random_pages_parse_within_bounds(worker, content):
    assert_bounded(worker, content)


@BOUNDS
@given(mutated_pages())
def test_mutated_real_pages_parse_within_bounds(worker, content):
    assert_bounded(worker, content)


@pytest.mark.parametrize("number", range(len(PAGES)))
def test_each_fixture_parses_within_bounds(worker, number):
    assert_bounded(worker, PAGES[number])


def test_a_block_grouping_that_never_ended_now_ends(worker):
    """Each class is on most blocks but no block carries them all (a real forum's markup):
    grouping appended an empty group forever, until memory ran out."""
    rows = "".join(
        f'<div class="{names}"><a href="/t/{n}">Thread {n} title</a> text of thread {n}</div>'
        for n, names in enumerate(["row odd-x", "row-b odd-x", "row row-b"] * 4)
    )
    assert_bounded(worker, f"<html><body>{rows}</body></html>".encode())

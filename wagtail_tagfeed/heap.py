"""The process's objects kept out of the garbage collector's way while an import runs.

An import keeps thousands of new objects alive at once (a chunk of pages, their revisions,
the drafts of the rest), which makes the collector run full collections, and a full
collection walks every object of the process: with Django and Wagtail loaded, some 200,000
of them, each time (a tenth of the time of an import of 2,000 articles on SQLite).
:func:`frozen` moves the objects that exist when the import starts out of its reach
(``gc.freeze()``) and puts them back when it ends; the import's own objects are collected
as before.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0


@contextmanager
def frozen() -> Iterator[None]:
    """Leave the objects that exist now out of garbage collections until the block ends.

    Nested and concurrent blocks (imports in threads) share one freeze, lifted when the
    last of them ends.
    """
    global _depth
    with _lock:
        if not _depth:
            gc.freeze()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if not _depth:
                gc.unfreeze()

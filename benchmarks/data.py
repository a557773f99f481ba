"""Synthetic tag-listing pages shaped like the seed page: site chrome around 20 teasers."""

from __future__ import annotations

import re
from pathlib import Path

SEED = (
    Path(__file__).resolve().parent.parent / "tests" / "data" / "seed" / "tag-listing-turkey.html"
)
ITEM = """    <div class="views-row">
      <div class="node node--type-article node--view-mode-teaser">
        <h3 class="node__title"><a href="/{slug}" rel="bookmark">{title}</a></h3>
        <div class="node__content field--name-body field--type-text-with-summary">
          <p>Ankara sees the attack on <em>Azerbaijan</em> as an attack on Turkey, said the deputy
          head of the ruling party in story {n}, according to
          <a href="/sources/{n}">reports</a>.</p>
          <p>The statement came after talks on gas, drones and the Black Sea; observers said that
          the ministry's position on item {n} has not changed since the spring, …</p>
        </div>
      </div>
    </div>
"""


def chrome() -> tuple[str, str]:
    """The seed page before its first teaser and after its last one."""
    html = SEED.read_text(encoding="utf-8")
    rows = list(re.finditer(r'    <div class="views-row[^"]*">.*?\n    </div>\n', html, re.S))
    return html[: rows[0].start()], html[rows[-1].end() :]


def listing_page(page: int, per_page: int = 20) -> bytes:
    """Listing page number ``page`` (from 0): teasers of articles page*20 .. page*20+19."""
    head, tail = chrome()
    items = "".join(
        ITEM.format(n=n, slug=f"story-{n}", title=f"Story number {n}: Turkey and its neighbours")
        for n in range(page * per_page, (page + 1) * per_page)
    )
    return (head + items + tail).encode()


def write_listings(folder: Path, pages: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for page in range(pages):
        path = folder / f"tag-turkey-{page:04}.html"
        path.write_bytes(listing_page(page))
        paths.append(path)
    return paths


def big_listing(items: int = 500) -> bytes:
    """One page of ``items`` teasers (about 1 MB with padding chrome), for parsing."""
    head, tail = chrome()
    rows = "".join(
        ITEM.format(n=n, slug=f"story-{n}", title=f"Story number {n}: Turkey and its neighbours")
        for n in range(items)
    )
    padding = "<!-- " + "x" * 100 + " -->\n"
    html = head + rows + tail
    missing = max(0, 1_000_000 - len(html.encode()))
    return (head + rows + padding * (missing // len(padding)) + tail).encode()

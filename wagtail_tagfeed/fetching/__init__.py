"""Read pages and files from disk, standard input or the web, defensively.

The URL may come from an editor rather than an administrator, and the site at the other end
may be slow, broken or hostile, so every http(s) fetch:

- refuses hosts on loopback, private and other non-public addresses (unless the policy
  allows them), on every redirect hop, and connects to the very address it checked;
- stops at its own timeout and at the run's deadline, whatever the server trickles;
- caps the bytes read, also after gzip/deflate decoding;
- honours robots.txt and its ``Crawl-delay``, names itself in its User-Agent, and keeps to
  a few requests at once per host;
- tries again after connection errors, HTTP 429 and 503, within the run's deadline.

The modules: :mod:`.policy` (what a run may do), :mod:`.crawl` (one run's shared state and
:func:`fetch_many`), :mod:`.documents` (:func:`fetch`, :func:`fetch_bytes`), :mod:`.http`
(one request), :mod:`.addresses`, :mod:`.robots`, :mod:`.decoding` (all charset logic,
shared with the parser) and :mod:`.sniffing` (is it HTML?).
"""

from wagtail_tagfeed.listing import NotModified, Validators

from .crawl import Crawl, fetch_many
from .decoding import decode_html
from .documents import Response, fetch, fetch_bytes
from .policy import Deadline, FetchPolicy

__all__ = [
    "Crawl",
    "Deadline",
    "FetchPolicy",
    "NotModified",
    "Response",
    "Validators",
    "decode_html",
    "fetch",
    "fetch_bytes",
    "fetch_many",
]

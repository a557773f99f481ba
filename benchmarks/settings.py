"""Benchmark settings: the test settings, on the database named by ``DATABASE_URL``.

Unlike the tests, which must see every query, the benchmarks run with a real (local
memory) cache, as a production site does: tag counts and tag clouds are cached there.
Without the reader cache middleware: a tag page's time is that of a page Wagtail finds and
the package renders (the load test measures the stored pages).
Images go to ``MEDIA_ROOT`` when it is set, so that a server started on the same database
finds them.
"""

import os

from tests.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", MEDIA_ROOT)  # noqa: F405
MIDDLEWARE = [name for name in MIDDLEWARE if not name.startswith("wagtail_tagfeed.")]  # noqa: F405

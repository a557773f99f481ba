"""The settings the load test serves the example site with: as docs/performance.md advises.

Persistent database connections, and a cache. The cache is each process's own memory here,
which is right for a load test that changes nothing while it runs; a site whose pages are
published while several processes serve them needs a cache they share (Redis, Memcached).
"""

import importlib.util

from example_site.settings import *  # noqa: F403

DEBUG = False
DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

if importlib.util.find_spec("wagtail_tagfeed.middleware") is None:
    # The baseline package predates the middleware.
    MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("wagtail_tagfeed.")]  # noqa: F405

"""Test settings: the example site's, with fast hashing and media in a temporary folder."""

import tempfile

from example_site.settings import *  # noqa: F403

# A site's own page models on the abstract pages, and translations of pages.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp", "wagtail.contrib.simple_translation"]  # noqa: F405

# GraphQL through wagtail-grapple (the ``graphql`` extra, installed with ``test``).
INSTALLED_APPS += ["grapple", "graphene_django", "wagtail_headless_preview"]
# graphene-django adds its debug middleware when DEBUG is on; it leaves the database cursors
# wrapped after a query, which breaks the bulk writer's executemany in the same process.
GRAPHENE = {"SCHEMA": "grapple.schema.schema", "MIDDLEWARE": []}
GRAPPLE = {"APPS": ["wagtail_tagfeed"]}
ROOT_URLCONF = "tests.urls"
# Previews of the site's own articles (tests.testapp.Story) open in a separate front end.
WAGTAIL_HEADLESS_PREVIEW = {"CLIENT_URLS": {"default": "http://front-end.example/preview"}}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="tagfeed-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Wagtail caches site root paths; a cache shared between tests would leak page trees.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

# The package default: imports from the admin may not fetch private addresses.
TAGFEED_ALLOW_PRIVATE_HOSTS = False

# Tasks (imports from the admin, Wagtail's own search and reference index updates on
# Wagtail 7) run at once, also in tests, whose transactions never commit.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "ENQUEUE_ON_COMMIT": False,
    }
}

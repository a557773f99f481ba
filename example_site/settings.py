"""Settings of the example site: SQLite by default, any database through DATABASE_URL."""

import os
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = os.environ.get("SECRET_KEY", "example-site-not-secret")
DEBUG = os.environ.get("DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]


def database_from_url(url: str) -> dict:
    """A Django DATABASES entry from ``sqlite:///path`` or ``postgres://user:pw@host:port/name``."""
    parts = urlparse(url)
    if parts.scheme == "sqlite":
        name = unquote(parts.path[1:] if parts.path.startswith("//") else parts.path.lstrip("/"))
        if parts.path.startswith("//"):
            name = "/" + name.lstrip("/")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name or ":memory:"}
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
        }
    raise ValueError(f"Unsupported DATABASE_URL scheme: {parts.scheme}")


DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}

INSTALLED_APPS = [
    "example_site.home",
    "wagtail_tagfeed",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's search index has PostgreSQL full-text fields, which Django 6.1 checks for.
    INSTALLED_APPS.append("django.contrib.postgres")

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: readers get stored article pages before Wagtail's routing (docs/performance.md).
    "wagtail_tagfeed.middleware.ReaderCacheMiddleware",
]

ROOT_URLCONF = "example_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

WSGI_APPLICATION = "example_site.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

WAGTAIL_SITE_NAME = "Tagfeed example"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
TAGGIT_CASE_INSENSITIVE = True
# The demo imports from pages served on this machine; keep this False on a public site.
TAGFEED_ALLOW_PRIVATE_HOSTS = True

# Background imports run at once, inside the request that asks for them. With
# TASK_BACKEND=database they wait in the database for `manage.py db_worker` processes
# (docs/production.md). The database backend is part of django-tasks up to 0.11
# (`pip install wagtail-tagfeed[workers]`), and of the django-tasks-db package after.
DATABASE_TASKS_APP = next(
    (app for app in ("django_tasks.backends.database", "django_tasks_db") if find_spec(app)),
    None,
)
if DATABASE_TASKS_APP:
    # django_tasks itself too: its app resets the task backends when TASKS changes.
    INSTALLED_APPS += ["django_tasks", DATABASE_TASKS_APP]
if os.environ.get("TASK_BACKEND") == "database":
    if not DATABASE_TASKS_APP:
        raise RuntimeError("TASK_BACKEND=database needs django-tasks<0.12 (the workers extra)")
    TASKS = {"default": {"BACKEND": f"{DATABASE_TASKS_APP}.DatabaseBackend"}}

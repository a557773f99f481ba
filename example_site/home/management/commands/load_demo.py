"""Set up the example site: home page, the "News" tag index, the seed articles, a demo user.

The seed listing's articles are imported in full, with their images, from the article pages in
``demo/articles/`` and the images in ``demo/images/``: a small HTTP server on 127.0.0.1 serves
them in place of ``https://news.example/`` while the command runs, so no network is needed.
An article or image of the demo that cannot be read is imported without it, and the command
then fails listing each one: the demo is meant to be whole.
"""

import contextlib
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Page, Site

from example_site.home.models import HomePage
from wagtail_tagfeed.importer import import_tagpage
from wagtail_tagfeed.models import TagIndexPage
from wagtail_tagfeed.options import ImportOptions

DEMO_DIR = Path(__file__).resolve().parents[3] / "demo"
DEMO_USER = ("demo", "demo-password")
SOURCE_SITE = "https://news.example/"
SITE_HOSTNAME, SITE_PORT = "127.0.0.1", 8000
"""Where ``make demo`` serves the site: its absolute links (canonical, feeds) point there."""


class DemoSiteHandler(SimpleHTTPRequestHandler):
    """Serves ``demo/``: ``/<slug>`` is ``articles/<slug>.html``, other paths are files."""

    def translate_path(self, path: str) -> str:
        name = urlsplit(path).path.strip("/")
        if name and "/" not in name and "." not in name:
            path = f"/articles/{name}.html"
        return super().translate_path(path)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the import reports what it could not read."""


@contextlib.contextmanager
def demo_site() -> Iterator[str]:
    """Serve the demo's article pages and images on a free port; yields the base URL."""
    handler = partial(DemoSiteHandler, directory=str(DEMO_DIR))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class Command(BaseCommand):
    help = "Load the example site's demo content; running it again changes nothing."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            home = self.home_page()
            news = TagIndexPage.objects.child_of(home).filter(slug="news").first()
            if news is None:
                news = home.add_child(
                    instance=TagIndexPage(
                        title="News",
                        slug="news",
                        intro="<p>Articles imported from a news site's tag listing.</p>",
                    )
                )
                news.save_revision().publish()
        with demo_site() as base_url:
            report = import_tagpage(
                [str(DEMO_DIR / "tag-listing-turkey.html")],
                parent=news,
                options=ImportOptions.from_settings(
                    fetch_articles=True,
                    images=True,
                    url_map=((SOURCE_SITE, base_url),),
                    allow_private=True,
                ),
            )
        # The import is given its tag index and stops at any item it cannot write: each of
        # its messages is an article or image left out of the demo, listed by the error below.
        failures = report.messages
        if options["verbosity"]:
            line = report.summary_line()
            self.stdout.write(self.style.WARNING(line) if failures else self.style.SUCCESS(line))
        username, password = DEMO_USER
        User = get_user_model()
        if not User.objects.filter(username=username).exists():
            User.objects.create_superuser(username, "demo@example.com", password)
        self.stdout.write(
            f"Demo admin: http://127.0.0.1:8000/admin/  user: {username}  password: {password}"
        )
        if failures:
            raise CommandError(
                f"The demo is incomplete: {len(failures)} of its articles or images "
                "could not be imported.\n" + "\n".join(f"  {failure}" for failure in failures)
            )

    def home_page(self) -> HomePage:
        """The site's root as a HomePage, replacing Wagtail's placeholder welcome page."""
        home = HomePage.objects.first()
        if home:
            site = Site.objects.filter(is_default_site=True).first()
            if site and (site.hostname, site.port) != (SITE_HOSTNAME, SITE_PORT):
                site.hostname, site.port = SITE_HOSTNAME, SITE_PORT
                site.save()
            return home
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title="Tagfeed example",
                slug="tagfeed-home",
                intro="<p>The latest articles imported with wagtail-tagfeed.</p>",
            )
        )
        home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": SITE_HOSTNAME,
                "port": SITE_PORT,
                "root_page": home,
                "site_name": "Tagfeed example",
            },
        )
        if old_root and old_root.pk != home.pk and not old_root.get_children().exists():
            old_root.delete()
        return home

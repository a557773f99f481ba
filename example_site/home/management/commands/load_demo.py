"""Set up the example site: home page, the "News" tag index, the seed articles, a demo user."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page, Site

from example_site.home.models import HomePage
from wagtail_tagfeed.models import TagIndexPage

DEMO_DIR = Path(__file__).resolve().parents[3] / "demo"
DEMO_USER = ("demo", "demo-password")


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
        call_command(
            "import_tagpage",
            str(DEMO_DIR / "tag-listing-turkey.html"),
            parent=str(news.pk),
            verbosity=options["verbosity"],
            stdout=self.stdout,
        )
        username, password = DEMO_USER
        User = get_user_model()
        if not User.objects.filter(username=username).exists():
            User.objects.create_superuser(username, "demo@example.com", password)
        self.stdout.write(
            f"Demo admin: http://127.0.0.1:8000/admin/  user: {username}  password: {password}"
        )

    def home_page(self) -> HomePage:
        """The site's root as a HomePage, replacing Wagtail's placeholder welcome page."""
        home = HomePage.objects.first()
        if home:
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
                "hostname": "localhost",
                "port": 80,
                "root_page": home,
                "site_name": "Tagfeed example",
            },
        )
        if old_root and old_root.pk != home.pk and not old_root.get_children().exists():
            old_root.delete()
        return home

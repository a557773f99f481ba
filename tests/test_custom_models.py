"""A site's own pages on the abstract bases import like the package's own."""

import pytest
from django.core.management import call_command

from tests.factories import PageFactory
from tests.testapp.models import Newsroom, Story
from wagtail_tagfeed.forms import tag_index_chooser
from wagtail_tagfeed.importer import resolve_parent

pytestmark = pytest.mark.django_db

SEED = "tests/data/seed/tag-listing-turkey.html"


class NewsroomFactory(PageFactory):
    class Meta:
        model = Newsroom

    title = "Newsroom"
    slug = "newsroom"


def test_the_only_index_of_a_custom_model_is_found():
    newsroom = NewsroomFactory()
    assert resolve_parent(None) == (newsroom, "")
    assert resolve_parent(str(newsroom.pk)) == (newsroom, "")
    assert resolve_parent("/newsroom/") == (newsroom, "")


def test_an_import_into_a_custom_index_creates_its_article_model(capsys):
    newsroom = NewsroomFactory()
    call_command("import_tagpage", SEED, "--base-url", "https://news.example/news/tag/turkey")
    stories = Story.objects.child_of(newsroom)
    assert stories.count() == 10
    assert all(story.live and story.tags.filter(name="turkey").exists() for story in stories)
    assert newsroom.get_articles().count() == 10
    call_command("import_tagpage", SEED, "--base-url", "https://news.example/news/tag/turkey")
    assert "10 unchanged" in capsys.readouterr().out


def test_the_admin_chooser_offers_custom_indexes():
    assert Newsroom in tag_index_chooser().target_models

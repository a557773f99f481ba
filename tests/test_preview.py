"""An imported article previewed in a separate front end (wagtail-headless-preview)."""

import json

import pytest
from wagtail_headless_preview.models import PagePreview

from tests.admin.factories import UserFactory
from tests.factories import DraftFactory, PageFactory
from tests.testapp.models import Newsroom, Story
from wagtail_tagfeed.options import ImportOptions
from wagtail_tagfeed.syncing import sync

pytestmark = pytest.mark.django_db


class NewsroomFactory(PageFactory):
    class Meta:
        model = Newsroom

    title = "Newsroom"
    slug = "newsroom"


def test_a_front_end_previews_an_editors_draft_of_an_imported_article(client, rf):
    newsroom = NewsroomFactory()
    drafts = DraftFactory.create_batch(2, tags=("turkey", "nato"))
    sync(newsroom, drafts, options=ImportOptions())
    story, other = (Story.objects.get(source_url=draft.source_url) for draft in drafts)
    story.title = "Edited, not yet published"
    story.summary = f'<p>See <a linktype="page" id="{other.pk}">the other story</a></p>'
    story.save_revision(user=UserFactory(is_superuser=True))

    draft = story.get_latest_revision_as_object()
    request = rf.get("/")
    request.user = UserFactory(is_superuser=True)
    response = draft.serve_preview(request, draft.default_preview_mode)
    assert response.status_code == 200
    preview = PagePreview.objects.get()
    assert "http://front-end.example/preview/?content_type=testapp.story&amp;token=" in (
        response.content.decode()
    )

    data = client.get(
        "/api/v2/page_preview/1/",
        {"content_type": "testapp.story", "token": preview.token, "fields": "*"},
    ).json()
    assert data["id"] == story.pk
    assert data["title"] == "Edited, not yet published"
    assert data["summary"] == f'<p>See <a href="{other.url}">the other story</a></p>'
    assert data["source_url"] == drafts[0].source_url
    assert [tag["name"] for tag in data["tags"]] == ["nato", "turkey"]
    assert data["tags"][0]["url"] == f"{newsroom.url}tag/nato/"
    assert "linktype" not in json.dumps(data)
    assert Story.objects.get(pk=story.pk).title == drafts[0].title  # the live page is unchanged

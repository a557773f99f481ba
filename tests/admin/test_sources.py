"""Tag sources in the admin, "Sync now", and the sync_tagsources command."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.admin.conftest import SEED, make_editor, seed_body
from tests.factories import TagIndexPageFactory
from wagtail_tagfeed.models import ArticlePage, ImportRun, TagSource
from wagtail_tagfeed.tasks import queue_sync

pytestmark = pytest.mark.django_db

SOURCES_URL = "/admin/tagfeed_sources/"


def source_data(parent, url, **data):
    return {
        "name": "Turkey",
        "url": url,
        "parent": parent.pk,
        "tags": "",
        "pages": 1,
        "enabled": "on",
        **data,
    }


@pytest.fixture
def source(tag_index, seed_url):
    return TagSource.objects.create(name="Turkey", url=seed_url, parent=tag_index)


def make_source_editor(tag_index, **kwargs):
    from django.contrib.auth.models import Permission

    user = make_editor(tag_index, **kwargs)
    user.groups.first().permissions.add(
        *Permission.objects.filter(codename__in=["add_tagsource", "change_tagsource"])
    )
    return user


def test_create_a_source_in_the_admin(client, tag_index):
    client.force_login(make_source_editor(tag_index))
    response = client.post(
        f"{SOURCES_URL}new/", source_data(tag_index, "https://news.example/news/tag/turkey")
    )
    assert response.status_code == 302
    source = TagSource.objects.get()
    assert (source.parent_id, source.enabled) == (tag_index.pk, True)
    listing = client.get(SOURCES_URL).content.decode()
    assert "Turkey" in listing and f"{SOURCES_URL}sync/{source.pk}/" in listing
    edit = client.get(f"{SOURCES_URL}edit/{source.pk}/").content.decode()
    assert f"{SOURCES_URL}sync/{source.pk}/" in edit


def test_a_source_needs_add_permission_on_its_index_and_an_http_url(client, tag_index):
    client.force_login(make_source_editor(tag_index))
    other = TagIndexPageFactory(title="Elsewhere")
    response = client.post(f"{SOURCES_URL}new/", source_data(other, "ftp://news.example/"))
    html = response.content.decode()
    assert "You may not add pages below “Elsewhere”" in html
    assert "Enter a valid URL" in html
    assert not TagSource.objects.exists()


def test_sync_now_asks_then_records_a_run(editor_client, editor, source, allow_private):
    confirm = editor_client.get(f"{SOURCES_URL}sync/{source.pk}/")
    assert confirm.status_code == 200
    assert 'method="POST"' in confirm.content.decode()
    assert not ImportRun.objects.exists()
    response = editor_client.post(f"{SOURCES_URL}sync/{source.pk}/", follow=True)
    run = ImportRun.objects.get()
    assert response.redirect_chain[-1][0] == f"/admin/tagfeed_runs/inspect/{run.pk}/"
    assert (run.source, run.user, run.status, run.created) == (
        source,
        editor,
        ImportRun.Status.SUCCEEDED,
        10,
    )
    assert run.urls == [source.url]
    assert "10 created" in response.content.decode()


def test_sync_now_of_a_pending_source_shows_its_run(editor_client, editor, source, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    pending = queue_sync(source, user=editor)
    response = editor_client.post(f"{SOURCES_URL}sync/{source.pk}/", follow=True)
    assert response.redirect_chain[-1][0] == f"/admin/tagfeed_runs/inspect/{pending.pk}/"
    assert "“Turkey” is already queued or running." in response.content.decode()
    assert ImportRun.objects.get() == pending


def test_a_source_syncs_on_a_schedule_chosen_in_the_admin(client, tag_index):
    client.force_login(make_source_editor(tag_index))
    data = source_data(tag_index, "https://news.example/tag/turkey", sync_interval="1:00:00")
    response = client.post(f"{SOURCES_URL}new/", data)
    assert response.status_code == 302
    assert TagSource.objects.get().sync_interval == datetime.timedelta(hours=1)
    assert "every hour" in client.get(SOURCES_URL).content.decode()


def test_sync_imports_only_what_the_page_gained(editor_client, source, http_server, allow_private):
    page1 = seed_body(http_server).decode()
    first_item = re.search(
        r'<div class="views-row views-row-first">.*?(?=<div class="views-row)', page1, re.S
    )[0]
    http_server.route("/news/tag/turkey", page1.replace(first_item, ""))
    editor_client.post(f"{SOURCES_URL}sync/{source.pk}/")
    assert ArticlePage.objects.count() == 9
    http_server.route("/news/tag/turkey", page1)
    editor_client.post(f"{SOURCES_URL}sync/{source.pk}/")
    latest = ImportRun.objects.first()
    assert (latest.created, latest.updated, latest.unchanged) == (1, 0, 9)
    assert ArticlePage.objects.count() == 10


def test_sync_refuses_loopback_hosts_by_default(editor_client, source):
    editor_client.post(f"{SOURCES_URL}sync/{source.pk}/")
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert "127.0.0.1" in run.error
    assert not ArticlePage.objects.exists()


def test_sync_needs_the_import_permission_and_add_permission(client, source, allow_private):
    client.force_login(make_source_editor(source.parent.specific, can_import=False))
    assert client.post(f"{SOURCES_URL}sync/{source.pk}/").status_code == 403
    assert SOURCES_URL + f"sync/{source.pk}/" not in client.get(SOURCES_URL).content.decode()
    # A source of an index one may not import into is as good as missing: no hint that
    # it exists, nor of its URL.
    client.force_login(make_editor(TagIndexPageFactory(title="Elsewhere")))
    assert client.get(f"{SOURCES_URL}sync/{source.pk}/").status_code == 404
    assert client.post(f"{SOURCES_URL}sync/{source.pk}/").status_code == 404
    assert client.post(f"{SOURCES_URL}sync/{source.pk + 1}/").status_code == 404
    assert not ImportRun.objects.exists()


def test_sync_of_a_malformed_id_is_not_found(editor_client):
    assert editor_client.get(f"{SOURCES_URL}sync/abc/").status_code == 404


def test_sync_enforces_csrf(editor, source, allow_private):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(f"{SOURCES_URL}sync/{source.pk}/").status_code == 403
    assert not ImportRun.objects.exists()


def test_sync_tagsources_syncs_every_enabled_source(source, tag_index, editor, allow_private):
    TagSource.objects.create(name="Off", url=source.url, parent=tag_index, enabled=False)
    source.owner = editor
    source.save()
    out = io.StringIO()
    call_command("sync_tagsources", stdout=out)
    run = ImportRun.objects.get()
    assert (run.source, run.user, run.created) == (source, editor, 10)
    assert "Turkey: Succeeded (10 created, 0 updated, 0 failed)" in out.getvalue()
    call_command("sync_tagsources", stdout=out)
    assert ImportRun.objects.first().unchanged == 10


def test_sync_tagsources_fails_when_a_sync_fails(source, editor):
    source.owner = editor
    source.save()
    with pytest.raises(CommandError, match="1 tag sources failed"):
        call_command("sync_tagsources", stdout=io.StringIO())
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_a_source_without_a_responsible_user_does_not_sync(source, allow_private):
    with pytest.raises(CommandError, match="1 tag sources failed"):
        call_command("sync_tagsources", stdout=io.StringIO())
    run = ImportRun.objects.get()
    assert "has no responsible user" in run.error
    assert not ArticlePage.objects.exists()


def test_a_source_can_fetch_full_articles(editor, tag_index, seed_url, http_server, allow_private):
    articles = SEED.parents[2] / "example_site" / "demo" / "articles"
    for page in articles.glob("*.html"):
        http_server.route(f"/{page.stem}", page.read_bytes())
    source = TagSource.objects.create(
        name="Turkey", url=seed_url, parent=tag_index, fetch_articles=True
    )
    run = queue_sync(source, user=editor)
    assert run.status == ImportRun.Status.SUCCEEDED
    assert all(len(page.body) > 0 for page in ArticlePage.objects.child_of(tag_index))


def test_a_scheduled_sync_acts_with_its_owners_rights(tag_index, seed_url, allow_private):
    """The owner may import into another index only: the live article of the same address
    below this index is neither changed nor published again."""
    call_command("import_tagpage", seed_url, "--parent", str(tag_index.pk), stdout=io.StringIO())
    article = ArticlePage.objects.child_of(tag_index).order_by("pk").first()
    revision = article.latest_revision_id
    elsewhere = TagIndexPageFactory(title="Elsewhere")
    owner = make_editor(elsewhere)
    source = TagSource.objects.create(
        name="Turkey", url=seed_url, parent=elsewhere, owner=owner, tags="other"
    )
    call_command("sync_tagsources", str(source.pk), stdout=io.StringIO())
    run = ImportRun.objects.get()
    assert (run.user, run.skipped, run.created) == (owner, 10, 0)
    article.refresh_from_db()
    assert article.latest_revision_id == revision
    assert [tag.name for tag in article.tags.all()] == ["turkey"]
    assert not ArticlePage.objects.child_of(elsewhere).exists()


def test_a_new_source_is_owned_by_its_creator(client, tag_index, seed_url):
    creator = make_source_editor(tag_index)
    client.force_login(creator)
    response = client.post(
        f"{SOURCES_URL}new/", source_data(tag_index, seed_url, item_selector="article")
    )
    assert response.status_code == 302
    source = TagSource.objects.get()
    assert source.owner == creator
    assert source.selectors == {"item": "article"}

"""Import runs: a read-only listing and a status page, for importers only."""

import datetime
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from tests.admin.conftest import make_editor
from tests.admin.factories import UserFactory
from wagtail_tagfeed.models import ImportRun

pytestmark = pytest.mark.django_db

RUNS_URL = "/admin/tagfeed_runs/"


@pytest.fixture
def run(tag_index, editor):
    return ImportRun.objects.create(
        user=editor,
        parent=tag_index,
        urls=["https://news.example/news/tag/turkey"],
        status=ImportRun.Status.SUCCEEDED,
        created=2,
        report={
            "results": [
                {
                    "url": "https://news.example/a",
                    "title": "Gone",
                    "outcome": "created",
                    "page_id": None,
                    "reason": "",
                },
            ]
        },
    )


def test_listing_is_read_only(editor_client, run):
    html = editor_client.get(RUNS_URL).content.decode()
    assert f"{RUNS_URL}inspect/{run.pk}/" in html
    assert f"{RUNS_URL}new/" not in html
    assert f"{RUNS_URL}edit/{run.pk}/" not in html
    assert editor_client.get(f"{RUNS_URL}edit/{run.pk}/").status_code != 200
    assert editor_client.post(f"{RUNS_URL}delete/{run.pk}/").status_code != 200
    assert ImportRun.objects.filter(pk=run.pk).exists()


def test_status_page_shows_the_report(editor_client, run):
    html = editor_client.get(f"{RUNS_URL}inspect/{run.pk}/").content.decode()
    assert 'data-run-status="succeeded"' in html
    assert "2 created" in html and "Gone" in html
    assert 'http-equiv="refresh"' not in html


def test_status_page_cuts_long_source_urls_to_sixty_characters(editor_client, run):
    url = "https://news.example/haber/" + "türkiye-ve-azerbaycan-" * 4 + "?a=1&b=2"
    run.report["results"][0]["url"] = url
    run.save()
    html = editor_client.get(f"{RUNS_URL}inspect/{run.pk}/").content.decode()
    link = f'<a href="{escape(url)}" rel="noreferrer">'
    shown = unescape(html.split(link)[1].split("</a>")[0])
    assert len(shown) == 60 and shown.endswith("…")
    assert url.startswith(shown[:-1])


@pytest.mark.parametrize("status", [ImportRun.Status.QUEUED, ImportRun.Status.RUNNING])
def test_status_page_refreshes_until_finished(editor_client, run, status):
    ImportRun.objects.filter(pk=run.pk).update(status=status)
    html = editor_client.get(f"{RUNS_URL}inspect/{run.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert "refreshes itself" in html


def test_runs_need_the_import_permission(client, run, tag_index):
    client.force_login(make_editor(tag_index, can_import=False))
    assert client.get(f"{RUNS_URL}inspect/{run.pk}/").status_code == 403
    assert client.get(RUNS_URL).status_code != 200


def test_anonymous_users_are_sent_to_login(run):
    response = Client().get(f"{RUNS_URL}inspect/{run.pk}/")
    assert response.status_code == 302 and "/login/" in response.url


def test_the_permission_is_assignable_in_the_group_editor(client, db):
    client.force_login(UserFactory(is_superuser=True))
    html = client.get("/admin/groups/new/").content.decode()
    permission = Permission.objects.get(codename="import_tagpage")
    assert f'value="{permission.pk}"' in html
    assert "Can import tag-listing pages" in html


def test_a_run_whose_worker_stopped_shows_as_failed_in_the_list(editor_client, run, settings):
    settings.TAGFEED_STALE_RUN_AFTER = 3600
    started = timezone.now() - datetime.timedelta(hours=2)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING, started_at=started)
    editor_client.get(RUNS_URL)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    html = editor_client.get(f"{RUNS_URL}inspect/{run.pk}/").content.decode()
    assert "Abandoned: the worker running it stopped before it finished." in html


def test_status_page_of_a_sync_of_an_unchanged_listing(editor_client, run):
    ImportRun.objects.filter(pk=run.pk).update(
        not_modified=True, created=0, report={"results": [], "not_modified": run.urls}
    )
    html = editor_client.get(f"{RUNS_URL}inspect/{run.pk}/").content.decode()
    assert 'data-run-status="succeeded"' in html
    assert "Not modified since the last sync: nothing else was read, nothing was written." in html
    assert "0 created" not in html

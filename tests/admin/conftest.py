"""Admin fixtures: users with and without the import permission, and the seed page over HTTP."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from tests.admin.factories import UserFactory

SEED = Path(__file__).resolve().parents[1] / "data" / "seed"


@pytest.fixture(autouse=True)
def package_defaults(settings):
    """The package's own default, whatever the example site (whose settings these are) says."""
    if hasattr(settings, "TAGFEED_ALLOW_PRIVATE_HOSTS"):
        del settings.TAGFEED_ALLOW_PRIVATE_HOSTS


@pytest.fixture
def allow_private(settings):
    """Admin fetches may reach the 127.0.0.1 test server."""
    settings.TAGFEED_ALLOW_PRIVATE_HOSTS = True


def seed_body(http_server, name: str = "tag-listing-turkey.html") -> bytes:
    """A seed page whose links point at the test server instead of news.example."""
    return (
        (SEED / name).read_bytes().replace(b"https://news.example", http_server.url("").encode())
    )


@pytest.fixture
def seed_url(http_server):
    http_server.route(
        "/news/tag/turkey?page=1", seed_body(http_server, "tag-listing-turkey-page2.html")
    )
    return http_server.route("/news/tag/turkey", seed_body(http_server))


def make_editor(*pages, can_import: bool = True):
    """An admin user who may add pages below ``pages`` and, unless told, import."""
    group = Group.objects.create(name=f"Editors {Group.objects.count()}")
    codenames = ["access_admin"] + (["import_tagpage"] if can_import else [])
    group.permissions.add(*Permission.objects.filter(codename__in=codenames))
    for page in pages:
        for codename in ("add_page", "change_page", "publish_page"):
            GroupPagePermission.objects.create(
                group=group, page=page, permission=Permission.objects.get(codename=codename)
            )
    user = UserFactory()
    user.groups.add(group)
    return user


@pytest.fixture
def editor(tag_index):
    return make_editor(tag_index)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(is_superuser=True))
    return client

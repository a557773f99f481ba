"""The package speaks French: a complete catalogue, in sync with the code, compiled.

``makemessages`` runs on a copy of the package, so a string added, changed or removed in the
code without updating ``locale/fr/LC_MESSAGES/django.po`` fails here (CI installs gettext).
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

import wagtail_tagfeed

PACKAGE = Path(wagtail_tagfeed.__file__).parent
CATALOGUE = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "django.po"

needs_gettext = pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="makemessages needs GNU gettext's xgettext"
)


def read_po(path: Path) -> dict[str, str]:
    """The messages of a ``.po`` file, ``msgid`` to ``msgstr``, without the header.

    Entries marked fuzzy count as untranslated, as ``compilemessages`` leaves them out.
    """
    messages = {}
    for entry in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        for line in entry.splitlines():
            if line.startswith("#"):
                continue
            keyword, _, rest = line.partition(" ")
            if keyword in ("msgid", "msgstr", "msgctxt", "msgid_plural"):
                current, line = keyword, rest
            fields[current] = fields.get(current, "") + ast.literal_eval(line)
        if fields.get("msgid"):
            messages[fields["msgid"]] = "" if "#, fuzzy" in entry else fields["msgstr"]
    return messages


@needs_gettext
def test_the_catalogue_holds_the_messages_of_the_code(tmp_path, monkeypatch):
    copy = tmp_path / "wagtail_tagfeed"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["fr"], verbosity=0)
    extracted = read_po(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    catalogue = read_po(CATALOGUE)
    assert sorted(set(extracted) - set(catalogue)) == [], "not in the catalogue: makemessages"
    assert sorted(set(catalogue) - set(extracted)) == [], "no longer in the code: makemessages"


def test_every_message_is_translated_and_compiled():
    catalogue = read_po(CATALOGUE)
    assert len(catalogue) > 200
    assert [msgid for msgid, msgstr in catalogue.items() if not msgstr] == []
    with translation.override("fr"):
        compiled = {msgid: translation.gettext(msgid) for msgid in catalogue}
    assert compiled == catalogue, "the .mo file is older than the .po file: compilemessages"


@pytest.mark.django_db
def test_a_listing_in_french(client, tag_index, make_articles, settings):
    settings.LANGUAGE_CODE = "fr"
    make_articles(1)
    html = client.get(f"{tag_index.url}tag/turkey/").content.decode()
    assert "Contenus étiquetés turkey" in html and "Lire la suite" in html
    assert client.get(f"{tag_index.url}tag/turkey/json/").json()["title"] == (
        "Contenus étiquetés turkey"
    )

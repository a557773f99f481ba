"""On SQLite, an import that finds the database locked by another writer waits its turn.

SQLite lets one writer in at a time; a second one gets "database is locked" after its busy
timeout. The import's writing is one transaction that nothing outside it depends on, so it
is tried again a few times before the import gives up with a clear message.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time

import pytest
from django.db import connection

from .processes import MANAGE, ROOT, write_listing

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's database lock"),
]

HOLD_SECONDS = 8
"""Longer than SQLite's default busy timeout (5 s): the import's first try fails."""


def test_an_import_waits_for_another_writer(tmp_path):
    database = tmp_path / "site.sqlite3"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "example_site.settings",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    subprocess.run([sys.executable, MANAGE, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    files = write_listing(tmp_path / "listing", 20)
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the database
    process = subprocess.Popen(
        [sys.executable, MANAGE, "import_tagpage", *files, "--tag", "busy"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(HOLD_SECONDS)
    holder.execute("ROLLBACK")
    holder.close()
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "busy: 20 created" in out
    assert "database is locked" not in err

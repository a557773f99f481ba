"""Regenerate the screenshots in docs/img by running the browser test that takes them.

Usage: ``.venv/bin/python scripts/screenshots.py`` (needs Debian's chromium).
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    environment = {**os.environ, "TAGFEED_SCREENSHOTS": str(ROOT / "docs" / "img")}
    command = [sys.executable, "-m", "pytest", "-q", "-m", "browser", "tests/browser"]
    return subprocess.call(command, cwd=ROOT, env=environment)


if __name__ == "__main__":
    sys.exit(main())

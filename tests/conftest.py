"""Shared fixtures: the seed documents (copied from ../shared/seeds) and inline documents."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SEEDS = DATA / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def seed(prefix: str) -> Path:
    """The seed whose file name starts with ``prefix`` (000 … 004)."""
    (path,) = [p for p in SEED_FILES if p.name.startswith(prefix)]
    return path


@pytest.fixture(scope="session")
def parsed_seeds():
    """Every seed parsed once: {prefix: (Document, findings)}, locations by file name."""
    from jixiao.pipeline import parse_file

    return {p.name[:3]: parse_file(p, name=p.name) for p in SEED_FILES}


from tests.api_world import world  # noqa: E402,F401  (the API tests' world: two regions, a user per role)
from tests.api_world import world_templates  # noqa: E402,F401
from tests.databases import database  # noqa: E402,F401  (storage fixtures: SQLite, PostgreSQL)
from tests.databases import pg_template  # noqa: E402,F401
from tests.databases import sqlite_template  # noqa: E402,F401
from tests.web_helpers import browser  # noqa: E402,F401  (the browser tests: Chromium, the demo server, a guarded page)
from tests.web_helpers import demo_server  # noqa: E402,F401
from tests.web_helpers import web  # noqa: E402,F401

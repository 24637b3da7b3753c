"""The whole service on one app and one database: the REST API (``/api/v1``, ``jixiao.api``) and
the web pages (``/``, ``jixiao.web``). ``jixiao serve`` hands uvicorn :func:`create_app` by name.

The web app is mounted at ``/`` behind the API's routes; paths under ``/api/`` never reach it,
so an unknown API address keeps the API's JSON error (404/405) and the web its HTML pages.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.routing import Match
from starlette.routing import Mount

from jixiao.store.db import Database


class _WebMount(Mount):
    """``Mount("/", web)`` that leaves ``/api/…`` to the API."""

    def matches(self, scope):
        path = scope.get("path", "")
        if scope["type"] == "http" and (path == "/api" or path.startswith("/api/")):
            return Match.NONE, {}
        return super().matches(scope)


def create_app(db: Database | None = None) -> FastAPI:
    """The API and the web pages on ``db`` (None: the database of ``JIXIAO_DATABASE_URL`` /
    ``JIXIAO_DATA_DIR``, shared by both)."""
    from jixiao.api.app import create_app as create_api
    from jixiao.web.app import create_web_app

    database = db if db is not None else Database()
    app = create_api(database)
    app.router.routes.append(_WebMount("/", app=create_web_app(database)))
    return app

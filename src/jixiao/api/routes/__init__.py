"""The routes, one module per resource; each route parses its input, calls one service and
returns the service's dict. ``ROUTERS`` is what :func:`jixiao.api.app.create_app` mounts."""

from __future__ import annotations

from jixiao.api.routes import audit
from jixiao.api.routes import documents
from jixiao.api.routes import orgs
from jixiao.api.routes import session
from jixiao.api.routes import users

ROUTERS = [session.router, orgs.router, users.router, documents.router, audit.router]

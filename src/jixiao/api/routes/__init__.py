"""The routes, one module per resource; each route parses its input, calls one service and
returns the service's dict. ``ROUTERS`` is what :func:`jixiao.api.app.create_app` mounts."""

from __future__ import annotations

from jixiao.api.routes import audit
from jixiao.api.routes import documents
from jixiao.api.routes import findings
from jixiao.api.routes import jobs
from jixiao.api.routes import monitoring
from jixiao.api.routes import official_documents
from jixiao.api.routes import opdata
from jixiao.api.routes import orgs
from jixiao.api.routes import selfevals
from jixiao.api.routes import session
from jixiao.api.routes import target_sets
from jixiao.api.routes import users

ROUTERS = [session.router, orgs.router, users.router, documents.router, findings.router, target_sets.router,
           selfevals.router, audit.router, jobs.router, official_documents.router, monitoring.router,
           opdata.router]

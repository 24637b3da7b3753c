"""The pages, one module per area; each route calls services and renders a template.
``ROUTERS`` is what :func:`jixiao.web.app.create_web_app` includes (a new area adds its router)."""

from __future__ import annotations

from jixiao.web.routes import admin
from jixiao.web.routes import auth
from jixiao.web.routes import dashboard
from jixiao.web.routes import document
from jixiao.web.routes import exports
from jixiao.web.routes import home
from jixiao.web.routes import monitoring
from jixiao.web.routes import monitoring_profiles
from jixiao.web.routes import opdata
from jixiao.web.routes import opdata_metrics
from jixiao.web.routes import orgs
from jixiao.web.routes import rectification
from jixiao.web.routes import review
from jixiao.web.routes import rules
from jixiao.web.routes import selfeval
from jixiao.web.routes import targets
from jixiao.web.routes import upload

ROUTERS = [auth.router, home.router, orgs.router, admin.router, upload.router, document.router, targets.router,
           review.router, selfeval.router, dashboard.router, rules.router, monitoring_profiles.router, monitoring.router,
           rectification.router, opdata_metrics.router, opdata.router, exports.router]

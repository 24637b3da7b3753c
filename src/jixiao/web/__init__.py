"""The web application: server-rendered Chinese pages (Jinja2) with htmx 2 for partial updates and
ECharts for charts, both vendored under ``static/vendor/`` (no CDN: the product runs offline).

Every route calls services and renders; authorisation is the services' (``services/policy.py``).
``app.py`` builds the app (:func:`jixiao.web.app.create_web_app`), ``session.py`` the logged-in
page context (session cookie, CSRF), ``templating.py`` the templates, filters and macros,
``nav.py`` the menu (by permission), ``routes/`` one module per area.

Adding a page
-------------
1. A route in ``routes/<area>.py`` (add its router to ``routes.ROUTERS``)::

       @router.get("/things")
       def things(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
           found = things_service.list_things(p.ctx, year=p.year)   # the service decides who may
           return render(request, p, "things.html", found=found)

   ``p.ctx`` is the services' context, ``p.me`` the user (``users.me``: name, role label,
   organisation, permissions), ``p.can(perm)``, ``p.year`` the year of the top bar (None: every
   year), ``p.value(name)`` a field of a posted form. A ``ServiceError`` raised by a service
   becomes the Chinese error page of its status (403/404/409/422) in the layout; catch
   ``Invalid`` yourself to show the message beside the form instead.
2. A template that ``{% extends "base.html" %}`` and fills ``title`` (also the ``<h1>``),
   optionally ``heading``, ``actions`` (right of the title), ``content``, ``head`` (a page's own
   stylesheet) and ``scripts`` (``<script src="/static/…" defer>``; no inline scripts, no
   external addresses: a test greps the templates). ``body`` replaces the whole frame (the login).
3. Components: ``{% from "components.html" import data_table, field, severity_badge,
   finding_counts, state_badge, doc_link, pagination, csrf_field, notice with context %}``
   (``with context``: the macros read ``p`` and ``request``). Filters: ``wan`` (amounts
   ``1,234.56``, Decimal or text; ``from_unit="元"``), ``when`` (China time), ``kind_label``,
   ``action_label``; ``url_with(request, offset=50)`` for links that keep the filters.
4. Forms: plain ``<form method="post">`` carries ``{{ csrf_field() }}``; htmx requests
   (``hx-post`` …) get the ``X-CSRF-Token`` header from ``static/js/jixiao.js``.
5. The menu: an ``Item(label, href, permission)`` in ``nav.NAV``; it shows to the roles that
   hold the permission (never by role name).
6. Browser tests: the fixtures ``web`` (a guarded page: no console error, no request leaving
   127.0.0.1; ``web.guard.allow("status of 403")`` for an error status on purpose),
   ``demo_server`` (the demo region on SQLite, ``logins``) and ``browser``; ``login(web,
   demo_server, "danwei")`` and ``shot(web, "name")`` from ``tests/web_helpers.py``.
"""

"""The web application: server-rendered Chinese pages (Jinja2) with htmx 2 for partial updates and
ECharts for charts, both vendored under ``static/vendor/`` (no CDN: the product runs offline).

Every route calls services and renders; authorisation is the services' (``services/policy.py``).
``app.py`` builds the app (:func:`jixiao.web.app.create_web_app`), ``session.py`` the logged-in
page context (session cookie, CSRF), ``templating.py`` the templates, filters and macros,
``nav.py`` the menu (by permission), ``routes/`` one module per area.
"""

"""Storage: SQLAlchemy 2 tables, Alembic migrations, the engine and sessions.

SQLite in ``$JIXIAO_DATA_DIR`` (default ``./var/``) unless ``JIXIAO_DATABASE_URL`` names another
database (``postgresql+psycopg://…``). Nothing here knows HTTP or roles: ``services/`` decides.
"""

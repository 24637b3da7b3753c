"""Operational data (业务数据, issue 11 part 4): data sources with their saved column mapping,
imports of their records (one row per 办件, 好差评 rating, 12345 call …), the records in typed
slots (``monitoring/records.py`` decides which field goes where), metrics defined as data,
indicators bound to a metric, and values typed by hand over a bound one (with the reason)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date
from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger
from sqlalchemy import Boolean
from sqlalchemy import Date
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import PrimaryKeyConstraint
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from jixiao.store.base import Base
from jixiao.store.base import Json
from jixiao.store.base import Money
from jixiao.store.base import UtcDateTime
from jixiao.store.base import utcnow


class OpSource(Base):
    """A data source of an organisation (政务大厅办件, 好差评, 12345 热线) and its column mapping,
    applied to every upload of the source."""

    __tablename__ = "op_sources"
    __table_args__ = (UniqueConstraint("org_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    mapping: Mapped[dict] = mapped_column(Json, default=dict)  # records.Mapping.as_dict()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class OpImport(Base):
    """One upload of a source's file: all its rows were stored, or none (and no row here)."""

    __tablename__ = "op_imports"
    __table_args__ = (UniqueConstraint("source_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("op_sources.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(400))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer, default=0)
    first_day: Mapped[date | None] = mapped_column(Date)
    last_day: Mapped[date | None] = mapped_column(Date)
    mapping: Mapped[dict] = mapped_column(Json, default=dict)  # the mapping it was read with
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OpRecord(Base):
    """One item of a source: its date, its unit and the mapped fields in typed slots (text
    ``t1``–``t4``, numbers ``n1``–``n2`` as integers of 10^-4, 是/否 ``b1``–``b3``, dates
    ``d1``–``d2``); ``line`` is its row in the file of its import.

    The key (source, day, import, line) orders the table itself on SQLite (``WITHOUT ROWID``): a
    period of a source is one contiguous range, where an index on (source, day) over a rowid
    table made SQLite fetch a million rows one by one (half a year of 1,000,000 records by unit:
    3.6 s against 1.1 s).

    ``source_id``, ``import_id`` and ``org_id`` are not foreign keys (migration 0008): a million
    records checked row by row by PostgreSQL's RI triggers took 87 % of the COPY's time. They are
    checked once per import instead, in the transaction that writes the records
    (``services/opdata_sources.py``): the import row is written there (its source a foreign key),
    the source and the organisations the records name are read ``FOR KEY SHARE`` (nobody deletes
    them meanwhile). Nothing cascades: whoever removes an import removes its records
    (``delete_import``); sources and organisations are not deleted."""

    __tablename__ = "op_records"
    __table_args__ = (PrimaryKeyConstraint("source_id", "day", "import_id", "line"), {"sqlite_with_rowid": False})

    source_id: Mapped[int] = mapped_column(Integer)  # op_sources.id, checked per import (above)
    day: Mapped[date] = mapped_column(Date)
    import_id: Mapped[int] = mapped_column(Integer)  # op_imports.id, written in the same transaction
    line: Mapped[int] = mapped_column(Integer)
    org_id: Mapped[int] = mapped_column(Integer)  # orgs.id, checked per import (above)
    t1: Mapped[str | None] = mapped_column(String(200))
    t2: Mapped[str | None] = mapped_column(String(200))
    t3: Mapped[str | None] = mapped_column(String(200))
    t4: Mapped[str | None] = mapped_column(String(200))
    n1: Mapped[int | None] = mapped_column(BigInteger)
    n2: Mapped[int | None] = mapped_column(BigInteger)
    b1: Mapped[bool | None] = mapped_column(Boolean)
    b2: Mapped[bool | None] = mapped_column(Boolean)
    b3: Mapped[bool | None] = mapped_column(Boolean)
    d1: Mapped[date | None] = mapped_column(Date)
    d2: Mapped[date | None] = mapped_column(Date)


class OpMetric(Base):
    """A metric over one source's records (``monitoring/metrics.py``: count, sum or ratio)."""

    __tablename__ = "op_metrics"
    __table_args__ = (UniqueConstraint("org_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("op_sources.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[dict] = mapped_column(Json, default=dict)  # metrics.Metric.as_dict()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class OpBinding(Base):
    """An indicator whose actual value comes from a metric, over the records of ``scope_org_id``
    and the organisations under it (by default the organisation of the indicator's document)."""

    __tablename__ = "op_bindings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), unique=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("op_metrics.id", ondelete="CASCADE"), index=True)
    scope_org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    bound_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    bound_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OpOverride(Base):
    """A value typed by hand over a bound indicator's computed one, for one date range, with the
    reason; what was computed at that moment is kept beside it (and in the audit log)."""

    __tablename__ = "op_overrides"
    __table_args__ = (UniqueConstraint("indicator_id", "date_from", "date_to"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    date_from: Mapped[date] = mapped_column(Date)
    date_to: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(Text)
    computed: Mapped[Decimal | None] = mapped_column(Money)
    records: Mapped[int | None] = mapped_column(Integer)
    typed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    typed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


RECORD_COLUMNS = tuple(c.name for c in OpRecord.__table__.columns)
# a date goes into SQLite as SQLAlchemy's Date stores it, ISO text: sqlite3's own adapter did the same
# until Python 3.12 deprecated it; registering it is the same for every connection of the process
sqlite3.register_adapter(date, date.isoformat)


def insert_records(session, import_id: int, columns: tuple[str, ...], batches: Iterable[list[tuple]]) -> None:
    """Insert the records of import ``import_id`` (tuples of ``columns``: every column of
    ``RECORD_COLUMNS`` but ``import_id``) in the session's transaction by the driver's fastest
    path: ``COPY … FROM STDIN`` on PostgreSQL (text format: psycopg escapes tabs, line breaks and
    backslashes), one prepared ``INSERT`` run by ``executemany`` on SQLite's own connection, the
    import's id written into the statement (no tuple rebuilt per record). A million records:
    SQLAlchemy's own bulk insert spends more time than the database."""
    connection = session.connection()
    raw = connection.connection.driver_connection
    table = OpRecord.__tablename__
    if connection.dialect.name == "postgresql":
        names = ", ".join((*columns, "import_id"))
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            tail = (import_id,)
            for batch in batches:
                for row in batch:
                    copy.write_row(row + tail)
        return
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    names = ", ".join((*columns, "import_id"))
    values = ", ".join([mark] * len(columns) + [str(int(import_id))])
    cursor = raw.cursor()
    try:
        for batch in batches:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({values})", batch)
    finally:
        cursor.close()

"""Mid-year monitoring (绩效运行监控): rounds, a 监控表 per target set with an entry per indicator,
the warning profiles a finance bureau edits, 整改 tasks and 目标调整 (a new version of the targets)."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Date
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
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

ROUND_STATES = ("open", "closed")
TASK_STATES = ("open", "closed")
LEVELS = ("red", "amber", "green")  # 红 / 黄 / 绿


class WarningProfile(Base):
    """A finance bureau's copy of a shipped warning profile, with its thresholds as edited
    (the TOML's tables as JSON). A round names the profile it is evaluated with."""

    __tablename__ = "warning_profiles"
    __table_args__ = (UniqueConstraint("org_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    base: Mapped[str] = mapped_column(String(60))  # the shipped profile it started from
    thresholds: Mapped[dict] = mapped_column(Json, default=dict)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": row_version}


class MonitoringRound(Base):
    """A monitoring round a finance bureau opens for a year at a date (6月30日, 8月31日)."""

    __tablename__ = "monitoring_rounds"
    __table_args__ = (UniqueConstraint("org_id", "year", "as_of"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200), default="")
    profile: Mapped[str] = mapped_column(String(60), default="default")
    state: Mapped[str] = mapped_column(String(12), default="open")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class MonitoringSheet(Base):
    """The 监控表 of one target set in a round: the budget (调整后预算), the amount spent to date,
    and the warnings of its last evaluation (``level`` the worst of them)."""

    __tablename__ = "monitoring_sheets"
    __table_args__ = (
        UniqueConstraint("round_id", "target_set_id"),
        Index("ix_monitoring_sheets_round_org", "round_id", "org_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("monitoring_rounds.id", ondelete="CASCADE"), index=True)
    target_set_id: Mapped[int] = mapped_column(ForeignKey("target_sets.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    unit: Mapped[str] = mapped_column(String(8), default="万元")
    budget: Mapped[Decimal | None] = mapped_column(Money)
    spent: Mapped[Decimal | None] = mapped_column(Money)
    execution_reason: Mapped[str | None] = mapped_column(Text)
    execution_measure: Mapped[str | None] = mapped_column(Text)
    level: Mapped[str | None] = mapped_column(String(8))
    warnings: Mapped[list] = mapped_column(Json, default=list)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": row_version}


class MonitoringEntry(Base):
    """One indicator's line of a 监控表: value to date, expected full-year value, 能/基本能/不能,
    the reason for a deviation and the corrective measure. Values as typed and as numbers."""

    __tablename__ = "monitoring_entries"
    __table_args__ = (UniqueConstraint("sheet_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("monitoring_sheets.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    to_date: Mapped[str | None] = mapped_column(Text)
    to_date_value: Mapped[Decimal | None] = mapped_column(Money)
    expected: Mapped[str | None] = mapped_column(Text)
    expected_value: Mapped[Decimal | None] = mapped_column(Money)
    will_meet: Mapped[str | None] = mapped_column(String(8))  # 能 / 基本能 / 不能
    reason: Mapped[str | None] = mapped_column(Text)
    measure: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(12), default="manual")  # manual / data
    records: Mapped[int | None] = mapped_column(Integer)  # records behind a value from data
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class RectificationTask(Base):
    """A 整改 task opened from a red or amber item of a 监控表, with an owner and a deadline;
    closed only with the measure taken."""

    __tablename__ = "rectification_tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("monitoring_sheets.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicators.id"))
    code: Mapped[str] = mapped_column(String(60))  # the warning's code
    level: Mapped[str] = mapped_column(String(8))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    owner: Mapped[str] = mapped_column(String(80))
    deadline: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12), default="open", index=True)
    measure: Mapped[str | None] = mapped_column(Text)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class TargetAdjustment(Base):
    """A 目标调整: a new version of a target set's document, edited and approved through the
    normal workflow; the old version and its targets stay."""

    __tablename__ = "target_adjustments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sheet_id: Mapped[int | None] = mapped_column(ForeignKey("monitoring_sheets.id", ondelete="SET NULL"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    from_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    to_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


def copy_rows(session, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``) into ``table`` in the session's
    transaction by the driver's fastest path: ``COPY … FROM STDIN`` on PostgreSQL (a JSON column
    takes its text), a multi-row INSERT on SQLite. A round's 21,000 监控表 and their 150,000
    entries: the per-row work of the driver's query conversion was most of the time."""
    import json

    from sqlalchemy import insert

    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        json_columns = {i for i, name in enumerate(columns) if isinstance(table.c[name].type, Json)}
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(v, ensure_ascii=False) if i in json_columns else v
                                for i, v in enumerate(row)])
        return
    for start in range(0, len(rows), 5000):
        session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows[start:start + 5000]])

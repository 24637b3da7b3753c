"""The audit log (append-only), background jobs and self-evaluations."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from jixiao.store.base import Base
from jixiao.store.base import Json
from jixiao.store.base import Money
from jixiao.store.base import UtcDateTime
from jixiao.store.base import utcnow


class AuditEntry(Base):
    """Who did what to which object, when, before → after. Rows are only ever inserted: the
    database itself refuses UPDATE and DELETE on this table (triggers, see the migrations)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str | None] = mapped_column(String(80))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id"))  # the object's organisation (scope)
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict | None] = mapped_column(Json)
    after: Mapped[dict | None] = mapped_column(Json)
    comment: Mapped[str | None] = mapped_column(Text)


JOB_STATES = ("queued", "running", "done", "failed")


class Job(Base):
    """A background job (an import of a folder, a batch check) and its progress."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(12), default="queued")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    current: Mapped[str | None] = mapped_column(String(400))
    params: Mapped[dict] = mapped_column(Json, default=dict)
    result: Mapped[dict | None] = mapped_column(Json)
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    # the process that runs it (the in-process runner: the one that submitted it; a worker: the one
    # that claimed it) and when that process last said it was alive — an unfinished job whose process
    # is gone is failed (services/jobs.py: recover)
    owner_host: Mapped[str | None] = mapped_column(String(255))
    owner_pid: Mapped[int | None] = mapped_column(Integer)
    owner_boot: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SelfEvaluation(Base):
    """A target set's year-end self-evaluation: actuals, each indicator's score with its
    explanation, the total and the grade (scored by ``scoring/``)."""

    __tablename__ = "self_evaluations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_set_id: Mapped[int] = mapped_column(ForeignKey("target_sets.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    actuals: Mapped[dict] = mapped_column(Json, default=dict)  # indicator id → actual as entered
    scores: Mapped[list] = mapped_column(Json, default=list)  # per indicator: score, method, explanation
    total: Mapped[Decimal | None] = mapped_column(Money)
    grade: Mapped[str | None] = mapped_column(String(8))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": row_version}

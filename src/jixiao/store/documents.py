"""Source files, documents and their versions, and what parsing found in them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import LargeBinary
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import deferred
from sqlalchemy.orm import mapped_column

from jixiao.store.base import Base
from jixiao.store.base import Json
from jixiao.store.base import Money
from jixiao.store.base import UtcDateTime
from jixiao.store.base import utcnow


class SourceFile(Base):
    """The original bytes, content-addressed: the same bytes are kept once."""

    __tablename__ = "source_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(400))
    format: Mapped[str] = mapped_column(String(16))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Document(Base):
    """One version of a document of a unit, year and kind (the series). Versions are never
    overwritten: a corrected file is the next version and the old one stays, with its findings."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("org_id", "year", "series", "version"),
        UniqueConstraint("org_id", "year", "source_sha256"),  # the same bytes again: one document
        Index("ix_documents_list", "year", "org_id", "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    # what versions follow each other: the kind, and for a disclosure whether it is the 部门 or a
    # 单位 one (budget_disclosure:部门) — a corrected file of the same series is its next version
    series: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    source_sha256: Mapped[str] = mapped_column(ForeignKey("source_files.sha256"))
    name: Mapped[str] = mapped_column(String(400))
    format: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(String(400))
    parsed: Mapped[dict] = deferred(mapped_column(Json))  # the parse JSON contract (findings apart)
    state: Mapped[str] = mapped_column(String(24), default="draft", index=True)
    n_error: Mapped[int] = mapped_column(Integer, default=0)
    n_warning: Mapped[int] = mapped_column(Integer, default=0)
    n_info: Mapped[int] = mapped_column(Integer, default=0)
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": row_version}


class DocTable(Base):
    """A table of a document as parsed (its kind, title, unit, where it starts)."""

    __tablename__ = "doc_tables"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int | None] = mapped_column(Integer)
    org: Mapped[str | None] = mapped_column(String(200))
    layout: Mapped[str | None] = mapped_column(String(60))
    unit: Mapped[str | None] = mapped_column(String(8))  # 元 / 万元 (budget tables)
    location: Mapped[str] = mapped_column(String(400))


class TargetSet(Base):
    """A unit's (整体) or a project's targets: funds, goals and (in ``indicators``) the tree.
    ``row_version`` guards edits: a save against an older version is refused (409)."""

    __tablename__ = "target_sets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("doc_tables.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    unit_code: Mapped[str | None] = mapped_column(String(64))
    unit: Mapped[str | None] = mapped_column(String(200))
    project: Mapped[str | None] = mapped_column(String(400))
    project_code: Mapped[str | None] = mapped_column(String(80))
    amounts: Mapped[dict] = mapped_column(Json, default=dict)  # field → Decimal text (万元)
    amounts_unit: Mapped[str] = mapped_column(String(8), default="万元")
    goal: Mapped[str | None] = mapped_column(Text)
    period_goal: Mapped[str | None] = mapped_column(Text)
    functions: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(200))
    period: Mapped[str | None] = mapped_column(String(200))
    parent_fund: Mapped[str | None] = mapped_column(String(400))
    extra: Mapped[dict] = mapped_column(Json, default=dict)  # tasks, details, placeholders as parsed
    location: Mapped[str] = mapped_column(String(400))
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": row_version}


class Indicator(Base):
    """A 三级指标 with its target value as printed and as parsed."""

    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_set_id: Mapped[int] = mapped_column(ForeignKey("target_sets.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    level1: Mapped[str | None] = mapped_column(String(200))
    level2: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(Text)
    target_text: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16), default="empty")
    op: Mapped[str | None] = mapped_column(String(8))
    value: Mapped[Decimal | None] = mapped_column(Money)
    unit: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(String(10))
    op_text: Mapped[str | None] = mapped_column(String(40))
    unit_text: Mapped[str | None] = mapped_column(String(40))
    explanation: Mapped[str | None] = mapped_column(Text)
    scoring: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[Decimal | None] = mapped_column(Money)
    standard: Mapped[str | None] = mapped_column(String(200))
    remark: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str] = mapped_column(String(400), default="")


class BudgetRow(Base):
    __tablename__ = "budget_rows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("doc_tables.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str | None] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(Text)
    total: Mapped[Decimal | None] = mapped_column(Money)
    values: Mapped[dict] = mapped_column(Json, default=dict)  # column → Decimal text or text
    side: Mapped[str | None] = mapped_column(String(16))
    location: Mapped[str] = mapped_column(String(400))


class Section(Base):
    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    level: Mapped[int] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(String(400))


class StatedAmount(Base):
    __tablename__ = "stated_amounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(Text)
    value: Mapped[Decimal] = mapped_column(Money)
    unit: Mapped[str] = mapped_column(String(16))
    change: Mapped[str | None] = mapped_column(String(16))
    period: Mapped[str | None] = mapped_column(String(16))
    location: Mapped[str] = mapped_column(String(400))


FINDING_STATUSES = ("open", "fixed", "rejected")  # 待处理 / 已整改 / 不予采纳


class Finding(Base):
    """A finding of a document version, with its review status."""

    __tablename__ = "findings"
    __table_args__ = (
        # a document's findings of a severity; and the 总览's counts by code and severity and of
        # target sets with an error (services/dashboard.py) from the index alone, not the wide rows
        Index("ix_findings_doc_summary", "document_id", "severity", "code", "target_set_id"),
        # "documents having a finding of this code" and "findings of a code" without a table scan
        Index("ix_findings_code_doc", "code", "document_id"),
        # a document's findings in their order, a page at a time: without it PostgreSQL walks the
        # primary key from the first finding of all (80 ms at 270,000 findings instead of 0.1 ms)
        Index("ix_findings_doc_id", "document_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    # the target set the finding is about, when it is about one (services/target_findings.py)
    target_set_id: Mapped[int | None] = mapped_column(ForeignKey("target_sets.id", ondelete="CASCADE"),
                                                      index=True)
    code: Mapped[str] = mapped_column(String(60), index=True)
    severity: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(400))
    subject: Mapped[str | None] = mapped_column(Text)
    expected: Mapped[str | None] = mapped_column(Text)
    actual: Mapped[str | None] = mapped_column(Text)
    source_text: Mapped[str | None] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))  # code + location + subject: status survives a re-check
    status: Mapped[str] = mapped_column(String(12), default="open")
    reason: Mapped[str | None] = mapped_column(Text)  # why 不予采纳, or the explanation given on submit
    status_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

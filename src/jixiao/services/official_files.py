"""Official documents written from files, without a database (``jixiao export KIND 文件``): each
file is read and parsed (``readers``, ``parse``), checked or scored where the kind needs it, and
written by the same builders as the stored documents (:mod:`jixiao.services.official_documents`),
returning ``(file name, media type, bytes)``; a file that cannot be read or a kind that does not
apply is ``Invalid`` with a Chinese message."""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.services import official_documents as od
from jixiao.services.errors import Invalid


def _parse(path, name: str | None = None):
    """(Document, findings of reading and parsing) of a file; Invalid when it cannot be read."""
    from pathlib import Path

    from jixiao.parse.document import parse_document
    from jixiao.readers.files import read_file

    name = name or Path(path).name
    raw, found = read_file(path, name=name)
    if raw is None:
        raise Invalid(found[0].message if found else f"无法读取文件：{name}", code="unreadable")
    doc, parsed = parse_document(raw)
    return doc, [*found, *parsed]


def target_table_of_file(path, fmt: str) -> tuple[str, str, bytes]:
    """The 绩效目标表 of a file (every target table it holds), read, parsed and written again."""
    from pathlib import Path

    from jixiao.model.targets import TargetTable

    fmt = od.check_format(fmt)
    doc, _found = _parse(path)
    tables = [t for t in doc.tables if isinstance(t, TargetTable) and t.target_sets or t.kind in od.SUMMARY_KINDS]
    if not any(isinstance(t, TargetTable) for t in tables):
        raise Invalid(f"文件“{Path(path).name}”中没有绩效目标表，无法导出绩效目标表", code="not_applicable")
    out = od.build_target_tables(tables)
    return od.written(out, fmt, f"{Path(path).stem}_{out.title or '绩效目标表'}")


def disclosure_package_of_file(path, fmt: str, *, province: str | None = None,
                               previous=None) -> tuple[str, str, bytes]:
    """The 预算公开 package written again from a file's budget tables (and its target tables);
    ``previous``: the year before's package, whose tables give the change sentences."""
    from pathlib import Path

    from jixiao.model.budget import BudgetTable
    from jixiao.model.targets import TargetTable
    from jixiao.write.disclosure import DisclosureInfo
    from jixiao.write.disclosure import build_disclosure_package

    fmt = od.check_format(fmt)
    doc, _found = _parse(path)
    od.not_final(doc.kind, Path(path).name)
    tables = [t for t in doc.tables if isinstance(t, BudgetTable) and t.rows]
    if not tables:
        raise Invalid(f"文件“{Path(path).name}”中没有预算表，无法生成预算公开文件", code="not_applicable")
    figures = {}
    if previous is not None:
        before, _ = _parse(previous)
        figures = od.previous_figures(t for t in before.tables if isinstance(t, BudgetTable))
    province = od.province_of(tables, province)
    name = next((t.org for t in tables if t.org), None) or doc.org or Path(path).stem
    year = doc.year or next((t.year for t in tables if t.year), None)
    if year is None:
        raise Invalid(f"文件“{Path(path).name}”中没有写明年度，无法生成预算公开文件", code="no_year")
    info = DisclosureInfo(org=name, year=year, previous=figures, region=od.region_of(name))
    targets = [t for t in doc.tables if isinstance(t, TargetTable) and t.target_sets]
    try:
        out = build_disclosure_package(tables, info, od.disclosure_layout(province, tables, Path(path).name),
                                       targets=targets, tables_only=fmt == "xlsx")
    except ValueError as exc:  # a table the layout has no place for: its amounts cannot be left out
        raise Invalid(str(exc), code="not_applicable") from None
    return od.written(out, fmt, f"{Path(path).stem}_{out.title or '部门预算公开'}")


def selfeval_of_file(path, actuals, fmt: str, *, report: bool = False,
                     profile: str = "default") -> tuple[str, str, bytes]:
    """The 自评表 (or, ``report``, the 自评报告) of a target-table file scored with its filled actuals
    template (``jixiao selfeval template``), as ``jixiao selfeval score`` scores it."""
    from pathlib import Path

    from jixiao.scoring import PROFILES
    from jixiao.selfeval.actuals import match_actuals
    from jixiao.selfeval.actuals import read_actuals
    from jixiao.selfeval.scorecard import score_document
    from jixiao.write.selfeval_report import build_selfeval_report
    from jixiao.write.selfeval_table import build_selfeval_table

    fmt = od.report_format(fmt) if report else od.check_format(fmt)
    if profile not in PROFILES:
        raise Invalid(f"未知的计分口径：{profile}（可选：{'、'.join(PROFILES)}）", code="invalid_profile")
    doc, _found = _parse(path)
    book, problems = read_actuals(actuals)
    if book is None:
        raise Invalid(problems[0].message if problems else f"无法读取实际完成值文件：{actuals}", code="unreadable")
    match = match_actuals(doc, book, Path(path).name)
    if not match.ok:
        errors = [f.message for f in match.findings if f.severity.value == "error"]
        raise Invalid(f"实际完成值文件与{Path(path).name}不匹配：" + "；".join(errors[:5]), code="actuals_mismatch")
    card = score_document(doc, match, PROFILES[profile])
    if not card.sets:
        raise Invalid(f"文件“{Path(path).name}”中没有可自评的绩效目标表", code="not_applicable")
    if report:
        try:
            out = build_selfeval_report(card)
        except ValueError as exc:
            raise Invalid(str(exc), code="not_applicable") from None
        return od.written(out, fmt, out.title or f"{Path(path).stem}_自评报告")
    return od.written(build_selfeval_table(card), fmt, f"{Path(path).stem}_自评表")


def review_opinion_of_files(paths: Sequence, fmt: str, *, profile: str = "all") -> tuple[str, str, bytes]:
    """The 审核意见书 of files as ``jixiao check`` reviews them (its findings, nothing prefilled)."""
    from pathlib import Path

    from jixiao.findings import Finding
    from jixiao.rules import Context
    from jixiao.rules import run as run_rules
    from jixiao.write.review_opinion import ReviewedDocument
    from jixiao.write.review_opinion import ReviewItem
    from jixiao.write.review_opinion import build_review_opinion

    fmt = od.check_format(fmt)
    reviewed = []
    for path in paths:
        doc, found = _parse(path)
        findings = sorted([*found, *run_rules(doc, Context(profile=profile))], key=Finding.sort_key)
        reviewed.append(ReviewedDocument(name=Path(path).name, items=tuple(ReviewItem(f) for f in findings),
                                         org=doc.org, year=doc.year))
    if not reviewed:
        raise Invalid("请指定要出具审核意见书的文件", code="no_documents")
    stem = f"{Path(paths[0]).stem}_审核意见书" if len(reviewed) == 1 else f"审核意见书_{len(reviewed)}个文件"
    return od.written(build_review_opinion(reviewed), fmt, stem)

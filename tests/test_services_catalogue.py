"""规则 page services (services/catalogue.py): the catalogue as docs/findings.md has it, the
profiles with real examples from the actor's documents, the scoring families, and 试一试 giving
what `jixiao rule` gives."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func
from sqlalchemy import select
from typer.testing import CliRunner

from jixiao.findings.catalog import CATALOG
from jixiao.services import catalogue
from jixiao.services import findings
from jixiao.services import imports
from jixiao.services import orgs
from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.services.errors import Invalid
from jixiao.store import schema as db
from tests.conftest import seed


def _imported(database) -> Ctx:
    ctx = Ctx(database)
    with database.session() as s:
        region = orgs.add_org(s, name="湖南省", level="region", code="43")
        orgs.add_org(s, name="长沙市行政审批服务局", level="department", parent=region, code="152")
    imports.import_path(ctx, seed("001"), org="152")
    return ctx


def test_catalogue_has_every_code_with_counts_in_scope(database):
    ctx = _imported(database)
    found = catalogue.findings_catalogue(ctx)
    codes = [c for f in found["families"] for c in f["codes"]]
    assert found["total"] == len(codes) == len(CATALOG)
    assert all(f["label"] and not f["label"].startswith("codes_") for f in found["families"])
    by_code = {c["code"]: c for c in codes}
    some = next(c for c in codes if c["count"])
    assert some["count"] == findings.list_findings(ctx, code=some["code"], limit=1)["total"]
    assert by_code["scoring-rule-unparsed"]["title"] == "评分标准无法解析"
    assert by_code["scoring-rule-unparsed"]["severity_label"] == "警告"
    only = catalogue.findings_catalogue(ctx, q="权重", severity="error")
    assert only["total"] > 0 and all(c["severity"] == "error" for f in only["families"] for c in f["codes"])
    with pytest.raises(Invalid):
        catalogue.findings_catalogue(ctx, severity="fatal")
    # another region's user counts nothing of this one
    outsider = Ctx(database, Actor(user_id=None, username="x", role="auditor", org_id=None, org_path="/999/"))
    assert not any(c["count"] for f in catalogue.findings_catalogue(outsider)["families"] for c in f["codes"])


def test_profiles_say_what_they_check_with_real_examples(database):
    ctx = _imported(database)
    profiles = {p["name"]: p for p in catalogue.review_profiles(ctx)}
    assert list(profiles) == ["targets", "disclosure", "self-evaluation"]
    targets = profiles["targets"]
    assert targets["label"] == "绩效目标审核" and "可行性" in targets["what"]
    assert any(r["id"] == "targets.weights" for r in targets["rules"])
    assert all(c["title"] for r in targets["rules"] for c in r["codes"])
    assert targets["examples"], "seed 001 has target findings"
    example = targets["examples"][0]
    assert example["count"] == findings.list_findings(ctx, code=example["code"], limit=1)["total"]
    counts = [e["count"] for e in targets["examples"]]
    assert counts == sorted(counts, reverse=True)
    with database.session(write=False) as s:  # each example is the first finding of its code
        for e in targets["examples"]:
            first = s.get(db.Finding, s.scalar(select(func.min(db.Finding.id)).where(db.Finding.code == e["code"])))
            assert (e["message"], e["document_id"], e["location"]) == (first.message, first.document_id, first.location)
    tally = catalogue.finding_tally(ctx)  # the 规则 page reads it once for both
    assert catalogue.review_profiles(ctx, tally=tally) == catalogue.review_profiles(ctx)
    assert catalogue.findings_catalogue(ctx, tally=tally) == catalogue.findings_catalogue(ctx)
    assert tally[example["code"]][0] == example["count"]


def test_scoring_families_have_chinese_names_and_examples():
    families = catalogue.scoring_families()
    assert len(families["families"]) == 11
    assert all(f["name"] != f["id"] and f["example"] for f in families["families"])
    assert not any("``" in f["example"] or "also" in f["example"] for f in families["families"])
    assert [p["name"] for p in families["profiles"]][0] == "default"


@pytest.mark.parametrize(("text", "weight", "target", "actual"), [
    ("完成率小于60%不得分，超过60%得分=完成率*指标分值", "10", "≥100", "80"),
    ("大于等于90%得10分；90%-80%（含）得8分；小于80%不得分", "10", "≥95%", "85%"),
    ("持续推进得5分；推进较缓得3分；未推进不得分", "5", None, "推进较缓"),
    ("这不是评分标准", "10", "≥20", "18"),
])
def test_try_a_scoring_text_gives_what_the_rule_command_gives(text, weight, target, actual):
    from jixiao.cli import app

    args = ["rule", text, "--weight", weight, "--actual", actual, "--json"] + (["--target", target] if target else [])
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    expected = json.loads(result.output)
    got = catalogue.try_rule(text, weight, target=target, actual=actual)
    assert (got["family"], got["parsed"], got["score"], got["explanation"], got["reason"]) == (
        expected["family"], expected["parsed"], expected["score"], expected["explanation"], expected["reason"])
    assert got["rate"] == expected["rate"]


def test_try_a_scoring_text_refuses_bad_input_in_chinese():
    with pytest.raises(Invalid, match="请填写评（扣）分标准"):
        catalogue.try_rule("  ", "10")
    with pytest.raises(Invalid, match="不是非负数"):
        catalogue.try_rule("按要求完成得满分", "十分")
    with pytest.raises(Invalid, match="未知的指标值类型"):
        catalogue.try_rule("按要求完成得满分", "10", op="约等于")

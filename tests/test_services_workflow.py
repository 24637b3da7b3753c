"""The review workflow: the state machine (data), the roles through policy permissions, the
rules of 退回 and of submitting with open errors, every transition in the append-only audit log."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from jixiao.services import audit
from jixiao.services import documents
from jixiao.services import workflow
from jixiao.services.context import Ctx
from jixiao.services.errors import Conflict
from jixiao.services.errors import Forbidden
from jixiao.services.errors import Invalid
from jixiao.services.errors import NotFound
from jixiao.store import schema as db
from tests.conftest import seed
from tests.flow_setup import region

DOCS = Path(__file__).parents[1] / "docs"

# process → (seed, year): 绩效目标申报, 绩效自评, 预算公开审核
PROCESSES = {"targets": ("000", 2026), "self_evaluation": ("003", 2025), "disclosure": ("001", 2023)}


def _open_errors(database, document_id) -> list[int]:
    with database.session(write=False) as s:
        return list(s.scalars(select(db.Finding.id).where(
            db.Finding.document_id == document_id, db.Finding.severity == "error", db.Finding.status == "open")
            .order_by(db.Finding.id)))


def _state(database, document_id) -> str:
    with database.session(write=False) as s:
        return s.get(db.Document, document_id).state


@pytest.mark.parametrize("process", sorted(PROCESSES))
def test_the_whole_path_of_each_process(database, process):
    r = region(database)
    seed_name, year = PROCESSES[process]
    doc = r.load(seed_name, "U1", year)
    assert workflow.process_of(doc["kind"]) == process
    errors = _open_errors(database, doc["id"])
    assert (len(errors) > 0) == (process != "self_evaluation")
    explanations = {fid: f"第 {fid} 条：已与财政核实" for fid in errors}

    steps = [("unit1", "submit", "submitted", None), ("dept", "return", "returned", "指标值偏低，请修改"),
             ("unit1", "submit", "submitted", None), ("dept", "approve", "dept_approved", None),
             ("finance", "return", "returned", "请补充测算依据"), ("unit1", "submit", "submitted", None),
             ("dept", "approve", "dept_approved", "同意"), ("finance", "approve", "approved", None),
             ("finance", "publish", "published", None)]
    for i, (who, action, expected, comment) in enumerate(steps):
        out = workflow.transition(r.ctx(who), doc["id"], action, comment=comment,
                                  explanations=explanations if i == 0 else None)
        assert out["state"] == expected and out["state_label"] == workflow.STATES[expected]
        assert out["id"] == doc["id"] and _state(database, doc["id"]) == expected
        assert workflow.editable(expected) == (expected == "returned")
    assert out["allowed"] == [] and out["row_version"] == 1 + len(steps)

    entries = audit.list_entries(r.ctx("admin"), object=f"document:{doc['id']}")["items"][::-1]
    moves = [e for e in entries if e["action"].startswith("workflow.")]
    assert [(e["user"], e["action"], e["before"]["state"], e["after"]["state"], e["comment"]) for e in moves] == \
        [(who, f"workflow.{action}", before, after, comment)
         for (who, action, after, comment), before in zip(steps, ["draft"] + [s[2] for s in steps[:-1]], strict=True)]
    if errors:
        assert moves[0]["after"]["explanations"] == {str(k): v for k, v in explanations.items()}


def test_wrong_roles_are_forbidden_and_wrong_states_conflict(database):
    r = region(database)
    doc = r.load("003", "U1", 2025)["id"]  # no error findings
    # draft: only the filers (and the admin) may submit
    for who in ("auditor", "finance"):
        with pytest.raises(Forbidden):
            workflow.transition(r.ctx(who), doc, "submit")
    for who, action in (("dept", "approve"), ("finance", "approve"), ("finance", "publish"), ("dept", "return")):
        with pytest.raises(Conflict) as caught:
            workflow.transition(r.ctx(who), doc, action, comment="x")
        assert caught.value.detail["state"] == "draft"
    for who in ("unit1", "auditor"):  # roles that never approve
        with pytest.raises(Forbidden):
            workflow.transition(r.ctx(who), doc, "approve")
    with pytest.raises(Forbidden):
        workflow.transition(r.ctx("unit1"), doc, "publish")
    workflow.transition(r.ctx("unit1"), doc, "submit")
    # submitted: the department reviews; finance may not skip it, the filer may not approve
    with pytest.raises(Forbidden):
        workflow.transition(r.ctx("finance"), doc, "approve")
    with pytest.raises(Forbidden):
        workflow.transition(r.ctx("finance"), doc, "return", comment="不行")
    with pytest.raises(Conflict):
        workflow.transition(r.ctx("unit1"), doc, "submit")
    with pytest.raises(Invalid):
        workflow.transition(r.ctx("dept"), doc, "return")  # 退回 needs a comment
    with pytest.raises(Invalid):
        workflow.transition(r.ctx("dept"), doc, "return", comment="   ")
    workflow.transition(r.ctx("dept"), doc, "approve")
    # dept_approved: finance reviews
    for who in ("dept", "unit1", "auditor"):
        with pytest.raises(Forbidden):
            workflow.transition(r.ctx(who), doc, "approve")
    with pytest.raises(Forbidden):
        workflow.transition(r.ctx("dept"), doc, "return", comment="再看看")
    with pytest.raises(Invalid):
        workflow.transition(r.ctx("finance"), doc, "return")
    with pytest.raises(Conflict):
        workflow.transition(r.ctx("finance"), doc, "publish")
    workflow.transition(r.ctx("finance"), doc, "approve")
    for who in ("dept", "unit1", "auditor"):
        with pytest.raises(Forbidden):
            workflow.transition(r.ctx(who), doc, "publish")
    with pytest.raises(Conflict):
        workflow.transition(r.ctx("finance"), doc, "return", comment="晚了")
    workflow.transition(r.ctx("admin"), doc, "publish")
    for action in ("submit", "approve", "publish"):
        with pytest.raises(Conflict):
            workflow.transition(r.ctx("admin"), doc, action)
    with pytest.raises(Invalid):
        workflow.transition(r.ctx("admin"), doc, "delete")
    assert _state(database, doc) == "published"
    # nothing refused was written
    moves = [e for e in audit.list_entries(r.ctx("admin"), object=f"document:{doc}")["items"]
             if e["action"].startswith("workflow.")]
    assert len(moves) == 4


def test_the_sibling_unit_cannot_see_or_move_a_document(database):
    r = region(database)
    doc = r.load("003", "U1", 2025)["id"]
    with pytest.raises(NotFound):
        workflow.transition(r.ctx("unit2"), doc, "submit")
    with pytest.raises(NotFound):
        workflow.transition(r.ctx("admin"), 999999, "submit")
    assert _state(database, doc) == "draft"


def test_submitting_with_open_errors_needs_an_explanation_for_each(database):
    r = region(database)
    doc = r.load("001", "U1", 2023)["id"]
    errors = _open_errors(database, doc)
    assert len(errors) > 2
    with pytest.raises(Invalid) as caught:
        workflow.transition(r.ctx("unit1"), doc, "submit")
    assert caught.value.code == "explanation_required" and caught.value.detail == {"findings": errors}
    partial = dict.fromkeys(errors[:-1], "已说明")
    partial[errors[0]] = "  "  # blank is no explanation
    with pytest.raises(Invalid) as caught:
        workflow.transition(r.ctx("unit1"), doc, "submit", explanations={str(k): v for k, v in partial.items()})
    assert caught.value.detail == {"findings": [errors[0], errors[-1]]}
    with pytest.raises(Invalid) as caught:
        workflow.transition(r.ctx("unit1"), doc, "submit", explanations={**dict.fromkeys(errors, "说明"), 999999: "x"})
    assert caught.value.detail == {"findings": [999999]}
    assert _state(database, doc) == "draft"
    with database.session(write=False) as s:  # a refused submission stored no reason
        assert all(s.get(db.Finding, fid).reason is None for fid in errors)

    explanations = {fid: f"说明 {fid}" for fid in errors}
    out = workflow.transition(r.ctx("unit1"), doc, "submit", explanations=explanations)
    assert out["state"] == "submitted"
    with database.session(write=False) as s:
        for fid in errors:
            f = s.get(db.Finding, fid)
            assert (f.reason, f.status, f.status_by) == (explanations[fid], "open", r.actors["unit1"].user_id)
    # returned and submitted again: the explanations already given still count
    workflow.transition(r.ctx("dept"), doc, "return", comment="请修改")
    assert workflow.transition(r.ctx("unit1"), doc, "submit")["state"] == "submitted"


def test_only_the_current_version_moves(database, tmp_path):
    r = region(database)
    old = r.load("003", "U1", 2025)["id"]
    corrected = tmp_path / "003-corrected.txt"
    corrected.write_text(seed("003").read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    new = r.load(corrected, "U1", 2025)
    assert new["version"] == 2
    with pytest.raises(Conflict) as caught:
        workflow.transition(r.ctx("unit1"), old, "submit")
    assert caught.value.code == "not_current"
    assert workflow.allowed_actions(r.actors["unit1"], {"state": "draft", "is_current": False, "kind": "targets"}) == []
    assert workflow.transition(r.ctx("unit1"), new["id"], "submit")["state"] == "submitted"


def test_allowed_actions_follow_the_table_and_the_roles(database):
    r = region(database)
    doc = r.load("003", "U1", 2025)["id"]

    def allowed(who):
        return documents.get_document(r.ctx(who), doc)["allowed"]

    assert {w: allowed(w) for w in ("unit1", "dept", "finance", "auditor", "admin")} == \
        {"unit1": ["submit"], "dept": ["submit"], "finance": [], "auditor": [], "admin": ["submit"]}
    workflow.transition(r.ctx("unit1"), doc, "submit")
    assert {w: allowed(w) for w in ("unit1", "dept", "finance", "admin")} == \
        {"unit1": [], "dept": ["approve", "return"], "finance": [], "admin": ["approve", "return"]}
    workflow.transition(r.ctx("dept"), doc, "approve")
    assert {w: allowed(w) for w in ("dept", "finance")} == {"dept": [], "finance": ["approve", "return"]}
    workflow.transition(r.ctx("finance"), doc, "approve")
    assert {w: allowed(w) for w in ("dept", "finance", "unit1")} == {"dept": [], "finance": ["publish"], "unit1": []}
    # a kind that follows no process never moves
    assert workflow.allowed_actions(r.actors["admin"], {"state": "draft", "kind": "template"}) == []
    assert workflow.process_of("template") is None


def test_the_table_is_consistent():
    assert set(workflow.EDITABLE_STATES) == {"draft", "returned"}
    # every state but the last can be left; every state can be reached from 草稿
    reachable, frontier = {"draft"}, ["draft"]
    while frontier:
        state = frontier.pop()
        for t in workflow.TRANSITIONS.values():
            if t.state == state and t.to not in reachable:
                reachable.add(t.to)
                frontier.append(t.to)
    assert reachable == set(workflow.STATES)
    assert {t.state for t in workflow.TRANSITIONS.values()} == set(workflow.STATES) - {"published"}
    assert all(t.needs_comment == (t.action == "return") for t in workflow.TRANSITIONS.values())


def test_architecture_doc_shows_the_table_from_the_data():
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    assert workflow.markdown_table() in text, "docs/architecture.md: paste workflow.markdown_table()"


def test_the_audit_log_refuses_update_and_delete(database):
    r = region(database)
    doc = r.load("003", "U1", 2025)["id"]
    workflow.transition(r.ctx("unit1"), doc, "submit")
    with database.session(write=False) as s:
        count = len(s.scalars(select(db.AuditEntry.id)).all())
    assert count == 2  # the import and the submission
    for sql in ("UPDATE audit_log SET comment = 'changed'", "DELETE FROM audit_log",
                f"UPDATE audit_log SET after = NULL WHERE object_id = '{doc}'"):
        with pytest.raises(DBAPIError):
            with database.session() as s:
                s.execute(text(sql))
    with database.session(write=False) as s:
        entries = s.scalars(select(db.AuditEntry).order_by(db.AuditEntry.id)).all()
        assert len(entries) == 2 and entries[1].after["state"] == "submitted" and entries[1].comment is None


def test_two_filers_submitting_at_once_move_the_document_once(database):
    r = region(database)
    doc = r.load("003", "U1", 2025)["id"]
    with database.session() as s:
        other = db.User(username="unit1b", password_hash="x", role="unit_filer", org_id=r.actors["unit1"].org_id)
        s.add(other)
        s.flush()
        second = replace(r.actors["unit1"], user_id=other.id, username="unit1b")
    ctxs = [r.ctx("unit1"), Ctx(database, second)]
    barrier = threading.Barrier(2)
    outcomes: list = []

    def submit(ctx):
        barrier.wait()
        try:
            outcomes.append(("moved", workflow.transition(ctx, doc, "submit")["state"]))
        except Conflict as exc:
            outcomes.append(("conflict", exc.detail["state"]))

    threads = [threading.Thread(target=submit, args=(c,)) for c in ctxs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    # one moved it, the other found it moved
    assert sorted(outcomes) == [("conflict", "submitted"), ("moved", "submitted")]
    moves = [e for e in audit.list_entries(r.ctx("admin"), object=f"document:{doc}")["items"]
             if e["action"] == "workflow.submit"]
    assert len(moves) == 1
    with database.session(write=False) as s:
        assert s.get(db.Document, doc).row_version == 2


def test_a_document_that_follows_no_process_does_not_move(database):
    r = region(database)
    doc = r.load("003", "U1", 2025)["id"]
    with database.session() as s:
        s.get(db.Document, doc).kind = "template"  # a blank form: nothing to review
    with pytest.raises(Conflict) as caught:
        workflow.transition(r.ctx("unit1"), doc, "submit")
    assert caught.value.code == "no_process" and caught.value.detail["allowed"] == []
    assert documents.get_document(r.ctx("unit1"), doc)["allowed"] == []
    assert _state(database, doc) == "draft"

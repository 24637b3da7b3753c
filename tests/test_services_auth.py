"""Accounts: argon2 hashes, login and its rate limit in the database, tokens, sessions and CSRF."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select

from jixiao.services import auth
from jixiao.services import orgs
from jixiao.services import users
from jixiao.services.context import Ctx
from jixiao.services.errors import Forbidden
from jixiao.services.errors import Invalid
from jixiao.services.errors import NotFound
from jixiao.services.errors import TooManyRequests
from jixiao.services.errors import Unauthenticated
from jixiao.store import schema as db
from jixiao.store.base import utcnow

PASSWORD = "correct horse battery"


def _setup(database) -> Ctx:
    ctx = Ctx(database)
    with database.session() as s:
        region = orgs.add_org(s, name="湖南省财政厅", level="region", code="43")
        dept = orgs.add_org(s, name="长沙市行政审批服务局", level="department", parent=region, code="152")
        orgs.add_org(s, name="长沙市政务服务中心", level="unit", parent=dept, code="152001")
        orgs.add_org(s, name="其他部门", level="department", parent=region, code="999")
    users.add_user(ctx, "alice", role="department_manager", org="152", password=PASSWORD, display_name="张三")
    return ctx


def _count(database, table) -> int:
    with database.session(write=False) as s:
        return s.scalar(select(func.count()).select_from(table))


def test_hash_and_verify():
    h = auth.hash_password("秘密-password-1")
    assert h.startswith("$argon2id$") and "秘密" not in h
    assert auth.verify_password(h, "秘密-password-1")
    assert not auth.verify_password(h, "秘密-password-2")
    assert not auth.verify_password("not a hash", "x")
    assert auth.hash_password("same") != auth.hash_password("same")  # salted


def test_a_new_database_has_no_users(database):
    assert _count(database, db.User) == 0
    with pytest.raises(Unauthenticated):
        auth.login(Ctx(database), "admin", "admin")
    with pytest.raises(Unauthenticated):
        auth.login(Ctx(database), "admin", "")


def test_login_gives_a_token_that_stands_for_the_user(database):
    ctx = _setup(database)
    result = auth.login(ctx, "alice", PASSWORD, client="10.0.0.1")
    assert result["csrf"] is None and result["user"]["username"] == "alice"
    assert result["user"]["role_label"] == "部门管理" and result["user"]["org"]["code"] == "152"
    actor, info = auth.actor_for_token(database, result["token"])
    assert (actor.username, actor.role) == ("alice", "department_manager")
    assert actor.org_path.endswith(f"/{result['user']['org']['id']}/") and info["kind"] == "bearer"
    with database.session(write=False) as s:
        stored = s.scalars(select(db.Token)).one()
        assert stored.token_hash == auth.secret_hash(result["token"]) != result["token"]
        assert result["token"] not in (stored.csrf or "")
        expires = stored.expires_at - stored.created_at
    assert expires == timedelta(days=30)


def test_wrong_password_and_unknown_user_are_the_same_answer(database):
    ctx = _setup(database)
    for name, pw in (("alice", "wrong password"), ("nobody", PASSWORD)):
        with pytest.raises(Unauthenticated) as err:
            auth.login(ctx, name, pw)
        assert err.value.message == "用户名或密码错误" and err.value.status == 401
    assert _count(database, db.Token) == 0 and _count(database, db.LoginAttempt) == 2


def test_sixth_failure_is_refused_and_then_the_right_password_too_until_the_window_passes(database):
    ctx = _setup(database)
    t0 = utcnow()
    for i in range(5):
        with pytest.raises(Unauthenticated):
            auth.login(ctx, "alice", f"wrong {i}", client="10.0.0.1", now=t0 + timedelta(seconds=i))
    with pytest.raises(TooManyRequests) as err:
        auth.login(ctx, "alice", "wrong 6", client="10.0.0.1", now=t0 + timedelta(seconds=10))
    assert err.value.status == 429 and err.value.message == "登录尝试过多，请 15 分钟后再试"
    with pytest.raises(TooManyRequests) as err:  # from another address: the name is locked
        auth.login(ctx, "alice", PASSWORD, client="10.0.0.2", now=t0 + timedelta(minutes=10))
    assert err.value.message == "登录尝试过多，请 5 分钟后再试"
    with pytest.raises(TooManyRequests):
        auth.login(ctx, "alice", PASSWORD, now=t0 + timedelta(minutes=14, seconds=59))  # the first still counts
    # the first failure has left the window: four remain, the right password is accepted
    result = auth.login(ctx, "alice", PASSWORD, now=t0 + timedelta(minutes=15, seconds=1))
    assert result["token"]
    # and the name's failures are forgiven
    with pytest.raises(Unauthenticated):
        auth.login(ctx, "alice", "wrong again", now=t0 + timedelta(minutes=16))


def test_the_limit_holds_across_processes_because_it_is_in_the_database(database):
    ctx = _setup(database)
    other = Ctx(type(database)(database.url))  # another engine: another process's view
    t0 = utcnow()
    for i in range(5):
        with pytest.raises(Unauthenticated):
            auth.login(ctx if i % 2 else other, "alice", "wrong", now=t0 + timedelta(seconds=i))
    with pytest.raises(TooManyRequests):
        auth.login(other, "alice", PASSWORD, now=t0 + timedelta(minutes=1))
    other.db.dispose()


def test_a_client_address_is_limited_across_names(database):
    ctx = _setup(database)
    t0 = utcnow()
    for i in range(20):
        with pytest.raises(Unauthenticated):
            auth.login(ctx, f"guess{i}", "wrong", client="192.0.2.7", now=t0 + timedelta(seconds=i))
    with pytest.raises(TooManyRequests):
        auth.login(ctx, "alice", PASSWORD, client="192.0.2.7", now=t0 + timedelta(minutes=1))
    assert auth.login(ctx, "alice", PASSWORD, client="192.0.2.8", now=t0 + timedelta(minutes=1))["token"]


def test_tokens_expire_and_revoked_tokens_are_refused(database):
    ctx = _setup(database)
    t0 = utcnow()
    bearer = auth.login(ctx, "alice", PASSWORD, now=t0)["token"]
    session = auth.login(ctx, "alice", PASSWORD, kind="session", now=t0)["token"]
    auth.actor_for_token(database, bearer, now=t0 + timedelta(days=29))
    with pytest.raises(Unauthenticated) as err:
        auth.actor_for_token(database, bearer, now=t0 + timedelta(days=30, seconds=1))
    assert err.value.message == "登录已失效，请重新登录"
    auth.actor_for_token(database, session, now=t0 + timedelta(hours=11))
    with pytest.raises(Unauthenticated):
        auth.actor_for_token(database, session, now=t0 + timedelta(hours=12, seconds=1))
    # a kind asked for: a session secret is not a bearer token
    with pytest.raises(Unauthenticated):
        auth.actor_for_token(database, session, kind="bearer")
    for bad in ("", "not-a-token", bearer + "x"):
        with pytest.raises(Unauthenticated):
            auth.actor_for_token(database, bad)
    actor, _ = auth.actor_for_token(database, bearer)
    auth.logout(Ctx(database, actor), bearer)
    with pytest.raises(Unauthenticated):
        auth.actor_for_token(database, bearer)
    auth.logout(Ctx(database, actor), bearer)  # again: no error
    auth.actor_for_token(database, session)  # the other login stays


def test_a_user_cannot_sign_out_someone_elses_token(database):
    ctx = _setup(database)
    users.add_user(ctx, "bob", role="auditor", org="43", password=PASSWORD)
    alice = auth.login(ctx, "alice", PASSWORD)["token"]
    bob_actor, _ = auth.actor_for_token(database, auth.login(ctx, "bob", PASSWORD)["token"])
    auth.logout(Ctx(database, bob_actor), alice)
    assert auth.actor_for_token(database, alice)[0].username == "alice"


def test_an_inactive_user_cannot_log_in_and_their_tokens_stop(database):
    ctx = _setup(database)
    token = auth.login(ctx, "alice", PASSWORD)["token"]
    with database.session() as s:
        s.scalars(select(db.User).where(db.User.username == "alice")).one().active = False
    with pytest.raises(Unauthenticated):
        auth.actor_for_token(database, token)
    with pytest.raises(Unauthenticated):
        auth.login(ctx, "alice", PASSWORD)


def test_sessions_carry_a_csrf_token(database):
    ctx = _setup(database)
    result = auth.login(ctx, "alice", PASSWORD, kind="session")
    csrf = result["csrf"]
    assert csrf and csrf != result["token"]
    _, info = auth.actor_for_token(database, result["token"], kind="session")
    assert info["kind"] == "session" and info["csrf"] == csrf
    auth.check_csrf(info, csrf)
    for bad in (None, "", csrf[:-1], csrf.upper(), csrf + "0"):
        with pytest.raises(Forbidden) as err:
            auth.check_csrf(info, bad)
        assert err.value.message == "CSRF 校验失败" and err.value.status == 403
    # another session's CSRF token does not fit this one
    other = auth.login(ctx, "alice", PASSWORD, kind="session")
    with pytest.raises(Forbidden):
        auth.check_csrf(info, other["csrf"])
    # bearer requests need none
    _, bearer_info = auth.actor_for_token(database, auth.login(ctx, "alice", PASSWORD)["token"])
    assert bearer_info["csrf"] is None
    auth.check_csrf(bearer_info, None)
    # nothing stored lets anyone rebuild the session or its CSRF token
    with database.session(write=False) as s:
        stored = s.scalars(select(db.Token).where(db.Token.kind == "session")).all()
    assert all(csrf not in (t.csrf or "", t.token_hash) for t in stored)


def test_add_user_generates_a_password_shown_once(database):
    ctx = _setup(database)
    user, password = users.add_user(ctx, "bob", role="unit_filer", org="152001")
    assert password and len(password) >= 16
    assert user == {"id": user["id"], "username": "bob", "display_name": "", "role": "unit_filer",
                    "role_label": "单位填报", "org": {"id": user["org"]["id"], "code": "152001", "name": "长沙市政务服务中心"}}
    with database.session(write=False) as s:
        stored = s.get(db.User, user["id"])
        assert auth.verify_password(stored.password_hash, password) and password not in stored.password_hash
        entry = s.scalars(select(db.AuditEntry).where(db.AuditEntry.object_id == str(user["id"]))).one()
        assert entry.action == "user.create" and password not in str(entry.after)
    assert auth.login(ctx, "bob", password)["user"]["id"] == user["id"]
    given, none = users.add_user(ctx, "carol", role="auditor", org="43", password="a long enough one")
    assert none is None and auth.login(ctx, "carol", "a long enough one")["user"]["id"] == given["id"]


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"username": "alice", "role": "auditor", "org": "43"}, "username_taken"),
    ({"username": "d", "role": "root", "org": "43"}, "bad_role"),
    ({"username": "has space", "role": "auditor", "org": "43"}, "bad_username"),
    ({"username": "e", "role": "auditor", "org": "43", "password": "short"}, "weak_password"),
])
def test_add_user_refuses(database, kwargs, code):
    ctx = _setup(database)
    with pytest.raises(Invalid) as err:
        kwargs = dict(kwargs)
        users.add_user(ctx, kwargs.pop("username"), **kwargs)
    assert err.value.code == code


def test_users_are_managed_within_scope_and_by_the_right_role(database):
    ctx = _setup(database)
    users.add_user(ctx, "boss", role="admin", org="152", password=PASSWORD)
    users.add_user(ctx, "root", role="admin", org="43", password=PASSWORD)
    boss, _ = auth.actor_for_token(database, auth.login(ctx, "boss", PASSWORD)["token"])
    alice, _ = auth.actor_for_token(database, auth.login(ctx, "alice", PASSWORD)["token"])
    # an administrator of a department sees its users, not the region's
    names = [u["username"] for u in users.list_users(Ctx(database, boss))["items"]]
    assert names == ["alice", "boss"]
    with pytest.raises(NotFound):
        users.add_user(Ctx(database, boss), "x1", role="auditor", org="999")
    users.add_user(Ctx(database, boss), "x2", role="auditor", org="152001")
    with pytest.raises(Forbidden):
        users.add_user(Ctx(database, alice), "x3", role="auditor", org="152001")
    with pytest.raises(Forbidden):
        users.list_users(Ctx(database, alice))
    me = users.me(Ctx(database, alice))
    assert me["username"] == "alice" and "document.read" in me["permissions"] and "user.manage" not in me["permissions"]


def test_me_for_a_session_is_what_me_says_and_stops_with_the_session(database):
    ctx = _setup(database)
    session = auth.login(ctx, "alice", PASSWORD, kind="session")["token"]
    actor, info, me = users.me_for_session(database, session)
    assert (actor, info) == auth.actor_for_token(database, session, kind="session")
    assert me == users.me(Ctx(database, actor))
    assert me["display_name"] == "张三" and me["role_label"] == "部门管理" and "workflow.submit" in me["permissions"]
    with database.session() as s:  # a role changed: the next request says so
        s.scalars(select(db.User).where(db.User.username == "alice")).one().role = "auditor"
    _actor, _info, me = users.me_for_session(database, session)
    assert me["role_label"] == "只读" and "workflow.submit" not in me["permissions"]
    bearer = auth.login(ctx, "alice", PASSWORD)["token"]
    auth.logout(Ctx(database, actor), session)
    for token in (session, bearer, "", "not-a-token"):  # signed out, or not a session
        with pytest.raises(Unauthenticated):
            users.me_for_session(database, token)

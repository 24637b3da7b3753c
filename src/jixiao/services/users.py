"""User accounts: one role and one organisation each (their scope). There is no default user
and no default password: the first administrator is made with ``jixiao user add``."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from jixiao.services import audit
from jixiao.services import orgs
from jixiao.services import policy
from jixiao.services.auth import hash_password
from jixiao.services.auth import token_owner
from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.services.errors import Invalid
from jixiao.services.errors import not_found
from jixiao.store import schema as db
from jixiao.store.db import Database

MIN_PASSWORD = 8
MAX_USERNAME = 80


def user_json(user: db.User, org: db.Org) -> dict:
    return {"id": user.id, "username": user.username, "display_name": user.display_name, "role": user.role,
            "role_label": policy.role_label(user.role), "org": {"id": org.id, "code": org.code, "name": org.name}}


def generate_password() -> str:
    """A new random password (16 URL-safe characters), shown once."""
    return secrets.token_urlsafe(12)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"密码至少 {MIN_PASSWORD} 个字符", code="weak_password")
    if password.strip() != password:
        raise Invalid("密码的开头和结尾不能是空白字符", code="weak_password")


def add_user(ctx: Ctx, username: str, *, role: str, org: str | int, password: str | None = None,
             display_name: str = "") -> tuple[dict, str | None]:
    """A new user of ``role`` in ``org`` (code, name or id, within the actor's scope). Without a
    password one is generated and returned (to be shown once); given, it is returned as None."""
    policy.require(ctx.actor, "user.manage")
    username = (username or "").strip()
    if not username or len(username) > MAX_USERNAME or any(c.isspace() for c in username):
        raise Invalid(f"用户名不能为空、不能含空白字符，最多 {MAX_USERNAME} 个字符", code="bad_username")
    if role not in policy.ROLES:
        raise Invalid(f"未知的角色：{role}（可选：{', '.join(policy.ROLES)}）", code="bad_role")
    generated = None
    if password is None:
        password = generated = generate_password()
    check_password(password)
    hashed = hash_password(password)  # before the transaction: argon2 takes tens of milliseconds
    with ctx.db.session() as session:
        target = orgs.resolve(session, ctx, org)
        if session.scalar(select(db.User.id).where(db.User.username == username)) is not None:
            raise Invalid(f"用户名 {username} 已存在", code="username_taken")
        user = db.User(username=username, display_name=display_name.strip(), password_hash=hashed, role=role,
                       org_id=target.id, active=True)
        session.add(user)
        session.flush()
        out = user_json(user, target)
        audit.record(session, ctx.actor, "user.create", "user", user.id, org_id=target.id, after=out)
    return out, generated


def list_users(ctx: Ctx) -> dict:
    """The users of the organisations in the actor's scope, by organisation then name."""
    policy.require(ctx.actor, "user.manage")
    stmt = select(db.User, db.Org).join(db.Org, db.Org.id == db.User.org_id)
    stmt = policy.scoped(stmt, ctx.actor, db.Org.path).order_by(db.Org.path, db.User.username)
    with ctx.db.session(write=False) as session:
        items = [user_json(u, o) | {"active": u.active} for u, o in session.execute(stmt)]
    return {"items": items, "total": len(items)}


def me(ctx: Ctx) -> dict:
    """The acting user (``GET /me``) with the permissions of their role."""
    if ctx.actor.user_id is None:
        raise not_found("用户", ctx.actor.username)
    with ctx.db.session(write=False) as session:
        row = session.execute(select(db.User, db.Org).join(db.Org, db.Org.id == db.User.org_id)
                              .where(db.User.id == ctx.actor.user_id)).first()
    if row is None:
        raise not_found("用户", ctx.actor.user_id)
    user, org = row
    return _me(ctx.actor, user, org)


def _me(actor: Actor, user: db.User, org: db.Org) -> dict:
    return user_json(user, org) | {"permissions": sorted(p for p in policy.PERMISSIONS if policy.can(actor, p))}


def me_for_session(db_: Database, token: str) -> tuple[Actor, dict, dict]:
    """The actor of a session cookie and the session's info (``auth.actor_for_token(…,
    kind="session")``, Unauthenticated when it is not valid) with :func:`me` of its user, read by
    the one query that checks the session (every web page asks)."""
    actor, info, user, org = token_owner(db_, token, kind="session")
    return actor, info, _me(actor, user, org)


def change_password(ctx: Ctx, old: str, new: str, *, keep_token: str | None = None) -> dict:
    """The acting user changes their own password: the current one must be right (422
    ``bad_password`` otherwise), the new one must pass :func:`check_password` and differ from it.
    Every other session and token of the user ends (whoever knew the old password is logged out);
    ``keep_token``, the session or token making the change, stays valid. Audited (no password in
    the entry; the number of sessions ended)."""
    from sqlalchemy import update

    from jixiao.services.auth import secret_hash
    from jixiao.services.auth import verify_password

    if ctx.actor.user_id is None:
        raise not_found("用户", ctx.actor.username)
    with ctx.db.session(write=False) as session:
        user = session.get(db.User, ctx.actor.user_id)
        if user is None or not user.active:
            raise not_found("用户", ctx.actor.user_id)
        current_hash = user.password_hash
    if not verify_password(current_hash, old or ""):
        raise Invalid("原密码不正确", code="bad_password")
    new = new or ""
    check_password(new)
    if new == old:
        raise Invalid("新密码不能与原密码相同", code="weak_password")
    hashed = hash_password(new)  # outside the transaction: argon2 takes tens of milliseconds
    with ctx.db.session() as session:
        user = session.get(db.User, ctx.actor.user_id)
        user.password_hash = hashed
        others = update(db.Token).where(db.Token.user_id == user.id, db.Token.revoked.is_(False))
        if keep_token:
            others = others.where(db.Token.token_hash != secret_hash(keep_token))
        ended = session.execute(others.values(revoked=True)).rowcount
        org = session.get(db.Org, user.org_id)
        out = user_json(user, org)
        audit.record(session, ctx.actor, "user.password", "user", user.id, org_id=org.id,
                     after={"username": user.username, "sessions_ended": ended})
    return out

"""Logging in: argon2 password hashes, rate-limited logins, bearer tokens and web sessions.

* Passwords are kept as argon2id hashes (argon2-cffi's defaults); a hash made with older
  parameters is replaced at the next successful login.
* A login that fails is a :class:`~jixiao.store.accounts.LoginAttempt` row, under the user name
  and under the client address: more than ``USER_LIMIT`` failures in ``WINDOW`` for a name, or
  ``CLIENT_LIMIT`` for an address, and every login for it is refused (429), the right password
  too, until the window has passed. The rows live in the database, so the limit holds across
  server processes and machines.
* A login gives a random secret: a bearer token (scripts, 30 days) or a web session (the cookie,
  12 hours). Only its SHA-256 is stored; a lost database leaks no usable token.
* A session's CSRF token is derived from the session secret (SHA-256 of a label and the secret):
  the web can put it in every page it renders for that session without storing it, it tells
  nothing about the session secret, and a bearer request needs none.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from datetime import datetime
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError
from argon2.exceptions import VerificationError
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update

from jixiao.services import policy
from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.services.errors import Forbidden
from jixiao.services.errors import Invalid
from jixiao.services.errors import TooManyRequests
from jixiao.services.errors import Unauthenticated
from jixiao.store import schema as db
from jixiao.store.base import utcnow
from jixiao.store.db import Database

WINDOW = timedelta(minutes=15)
USER_LIMIT = 5  # failures per user name in WINDOW; the next login is refused
CLIENT_LIMIT = 20  # failures per client address in WINDOW
LIFETIMES = {"bearer": timedelta(days=30), "session": timedelta(hours=12)}
KINDS = tuple(LIFETIMES)

BAD_LOGIN = "用户名或密码错误"
EXPIRED = "登录已失效，请重新登录"

_hasher = PasswordHasher()
# verified when the user name is unknown, so that a wrong name costs as long as a wrong password
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(pw: str) -> str:
    """The argon2id hash of ``pw`` (salted; two calls give two different hashes)."""
    return _hasher.hash(pw)


def verify_password(hash: str, pw: str) -> bool:  # noqa: A002 - the contract's name
    """Whether ``pw`` matches ``hash`` (False for a wrong password and for a malformed hash)."""
    try:
        return _hasher.verify(hash, pw)
    except (VerificationError, InvalidHashError):
        return False


def secret_hash(secret: str) -> str:
    """What is stored of a token: the hex SHA-256 of the secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def csrf_for(secret: str) -> str:
    """The CSRF token of a session, derived from its secret (nothing more to store or leak)."""
    return hashlib.sha256(b"jixiao-csrf\x1f" + secret.encode("utf-8")).hexdigest()


def _keys(username: str, client: str) -> list[str]:
    keys = [f"user:{username.strip().lower()}"[:200]]
    if client:
        keys.append(f"ip:{client}"[:200])
    return keys


def _refusal(session, username: str, client: str, now: datetime) -> TooManyRequests | None:
    """The 429 to answer when the name or the address has failed too often within the window."""
    since = now - WINDOW
    wait = timedelta(0)
    for key, limit in zip(_keys(username, client), (USER_LIMIT, CLIENT_LIMIT), strict=False):
        count = session.scalar(select(func.count()).select_from(db.LoginAttempt)
                               .where(db.LoginAttempt.key == key, db.LoginAttempt.at > since))
        if count < limit:
            continue
        # refused until enough of the oldest failures leave the window to bring the count under the limit
        times = session.scalars(select(db.LoginAttempt.at).where(db.LoginAttempt.key == key, db.LoginAttempt.at > since)
                                .order_by(db.LoginAttempt.at).limit(count - limit + 1)).all()
        wait = max(wait, times[-1] + WINDOW - now)
    if wait <= timedelta(0):
        return None
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return TooManyRequests(f"登录尝试过多，请 {minutes} 分钟后再试", detail={"retry_after": math.ceil(wait.total_seconds())})


def login(ctx: Ctx, username: str, password: str, *, client: str = "", kind: str = "bearer",
          now: datetime | None = None) -> dict:
    """A new bearer token or web session for ``username``. Returns ``{"token", "expires_at",
    "user", "csrf"}`` (``csrf`` only for a session). ``client`` is the caller's address (rate
    limiting); ``now`` is for tests (the clock)."""
    from jixiao.services.users import user_json

    if kind not in LIFETIMES:
        raise Invalid(f"未知的登录方式：{kind}（可选：{', '.join(KINDS)}）")
    now = now or utcnow()
    username = (username or "").strip()
    with ctx.db.session(write=False) as session:
        refused = _refusal(session, username, client, now)
        if refused is not None:
            raise refused
        row = session.execute(select(db.User, db.Org).join(db.Org, db.Org.id == db.User.org_id)
                              .where(db.User.username == username)).first()
    user, org = row if row is not None else (None, None)
    # the password is checked outside any transaction (argon2 takes tens of milliseconds)
    ok = verify_password(user.password_hash if user is not None else _DUMMY_HASH, password or "")
    if user is None or not user.active or not ok:
        with ctx.db.session() as session:
            session.add_all([db.LoginAttempt(key=key, at=now) for key in _keys(username, client)])
            # old failures are of no more use
            session.execute(delete(db.LoginAttempt).where(db.LoginAttempt.key.in_(_keys(username, client)),
                                                          db.LoginAttempt.at <= now - WINDOW * 4))
        raise Unauthenticated(BAD_LOGIN, code="bad_login")
    secret = secrets.token_urlsafe(32)
    expires = now + LIFETIMES[kind]
    csrf = csrf_for(secret) if kind == "session" else None
    with ctx.db.session() as session:
        session.add(db.Token(user_id=user.id, token_hash=secret_hash(secret), kind=kind,
                             csrf=secret_hash(csrf) if csrf else None, created_at=now, expires_at=expires))
        # a success forgives the name's earlier failures (not the address's)
        session.execute(delete(db.LoginAttempt).where(db.LoginAttempt.key == _keys(username, "")[0]))
        if _hasher.check_needs_rehash(user.password_hash):
            session.execute(update(db.User).where(db.User.id == user.id).values(password_hash=hash_password(password)))
    return {"token": secret, "expires_at": expires.isoformat(), "user": user_json(user, org), "csrf": csrf}


def actor_for_token(db_: Database, token: str, *, kind: str | None = None,
                    now: datetime | None = None) -> tuple[Actor, dict]:
    """The actor a token or session secret stands for, and the token's info ``{"id", "kind",
    "user_id", "expires_at", "csrf"}``; ``kind`` requires a bearer token or a session. One
    indexed query. Raises Unauthenticated for an unknown, expired or revoked token."""
    actor, info, _user, _org = token_owner(db_, token, kind=kind, now=now)
    return actor, info


def token_owner(db_: Database, token: str, *, kind: str | None = None,
                now: datetime | None = None) -> tuple[Actor, dict, db.User, db.Org]:
    """:func:`actor_for_token` with the rows of the user and their organisation it read (for
    ``users.me_for_session``: who the pages show, without a second query)."""
    if not token:
        raise Unauthenticated(EXPIRED, code="expired")
    now = now or utcnow()
    with db_.session(write=False) as session:
        row = session.execute(
            select(db.Token, db.User, db.Org).join(db.User, db.User.id == db.Token.user_id)
            .join(db.Org, db.Org.id == db.User.org_id).where(db.Token.token_hash == secret_hash(token))
        ).first()
    if row is None:
        raise Unauthenticated(EXPIRED, code="expired")
    tok, user, org = row
    if tok.revoked or tok.expires_at <= now or not user.active or (kind is not None and tok.kind != kind):
        raise Unauthenticated(EXPIRED, code="expired")
    actor = Actor(user_id=user.id, username=user.username, role=user.role, org_id=org.id, org_path=org.path)
    info = {"id": tok.id, "kind": tok.kind, "user_id": user.id, "expires_at": tok.expires_at.isoformat(),
            "csrf": csrf_for(token) if tok.kind == "session" else None}
    return actor, info, user, org


def logout(ctx: Ctx, token: str) -> None:
    """Revoke the token or session (idempotent: an unknown or revoked one is no error)."""
    if not token:
        return
    stmt = update(db.Token).where(db.Token.token_hash == secret_hash(token), db.Token.revoked.is_(False))
    if ctx.actor.user_id is not None:  # a user signs out only their own tokens
        stmt = stmt.where(db.Token.user_id == ctx.actor.user_id)
    with ctx.db.session() as session:
        session.execute(stmt.values(revoked=True))


def check_csrf(token_info: dict, header_value: str | None) -> None:
    """A session's unsafe request must carry its CSRF token (``X-CSRF-Token``); a bearer one not."""
    if token_info.get("kind") != "session":
        return
    expected = token_info.get("csrf") or ""
    if not header_value or not expected or not hmac.compare_digest(header_value.encode(), expected.encode()):
        raise Forbidden("CSRF 校验失败", code="csrf")


def purge(ctx: Ctx, *, now: datetime | None = None) -> int:
    """Delete expired or revoked tokens and failures older than the window (housekeeping)."""
    policy.require(ctx.actor, "user.manage")
    now = now or utcnow()
    with ctx.db.session() as session:
        n = session.execute(delete(db.Token).where(or_(db.Token.expires_at <= now, db.Token.revoked.is_(True)))).rowcount
        n += session.execute(delete(db.LoginAttempt).where(db.LoginAttempt.at <= now - WINDOW)).rowcount
        return n or 0

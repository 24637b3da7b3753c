"""Who is acting, and in which database session."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.store.db import Database


@dataclass(frozen=True, slots=True)
class Actor:
    """The acting user: id, name, role and the path of their organisation (scope is a prefix).
    ``SYSTEM`` is the command line run by whoever holds the database (``jixiao import``)."""

    user_id: int | None
    username: str
    role: str
    org_id: int | None
    org_path: str  # "/1/4/" : the user sees this organisation and everything under it


SYSTEM = Actor(user_id=None, username="system", role="admin", org_id=None, org_path="/")


@dataclass(frozen=True, slots=True)
class Ctx:
    """What every service takes first: the database and the acting user. A service opens its own
    transaction(s) (``ctx.db.session()``): one use case, one transaction, all or nothing."""

    db: Database
    actor: Actor = SYSTEM

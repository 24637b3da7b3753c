"""Service errors: a stable code, a Chinese message and the HTTP status the API answers with."""

from __future__ import annotations


class ServiceError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, detail: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.detail = detail  # extra JSON for the client (the current state on a conflict)


class Invalid(ServiceError):
    status = 422
    code = "invalid"


class Unauthenticated(ServiceError):
    status = 401
    code = "unauthenticated"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    """Also what a user gets for another organisation's object: ids leak nothing."""

    status = 404
    code = "not_found"


class Conflict(ServiceError):
    """A save against an older version; ``detail`` carries the current state."""

    status = 409
    code = "conflict"


class TooLarge(ServiceError):
    """A file over the size limit, refused before it is read."""

    status = 413
    code = "file_too_large"


class TooManyRequests(ServiceError):
    status = 429
    code = "too_many_requests"


class Unavailable(ServiceError):
    """A tool the use case needs is missing or failed on this server (LibreOffice for PDF)."""

    status = 503
    code = "unavailable"


def not_found(what: str, ident: object) -> NotFound:
    return NotFound(f"{what}不存在或无权查看：{ident}")

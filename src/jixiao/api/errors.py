"""One error shape for every failure: ``{"error": {"code", "message"[, "detail"]}}``.

* :class:`~jixiao.services.errors.ServiceError` (what the services raise) keeps its code, its
  Chinese message, its status and its ``detail`` (the current state on a conflict);
* a request FastAPI cannot read (a missing field, a text where a number goes) is 422 ``invalid``
  with a Chinese message naming the fields and the details as FastAPI found them;
* an unknown address is 404, a method the address does not take 405, in the same shape;
* a save that lost a race inside the database (SQLAlchemy's stale row version) is 409.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException

from jixiao.services.errors import ServiceError

log = logging.getLogger("jixiao.api")

# pydantic's error types → what to say in Chinese ({ctx} fields filled from the error's context)
_MESSAGES = {
    "missing": "必须填写",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "应小于 {lt}",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "dict_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "json_invalid": "不是有效的 JSON",
    "value_error": "取值无效",
    "extra_forbidden": "不认识的字段",
}

_PLACES = {"body": "请求体", "query": "查询参数", "path": "路径参数", "header": "请求头", "cookie": "Cookie", "form": "表单"}


def error_body(code: str, message: str, detail: object | None = None) -> dict:
    error: dict = {"code": code, "message": message}
    if detail is not None:
        error["detail"] = detail
    return {"error": error}


def _field(loc: tuple | list) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _PLACES:
        place, rest = _PLACES[parts[0]], parts[1:]
        return f"{place} {'.'.join(rest)}" if rest else place
    return ".".join(parts)


def validation_message(errors: list[dict]) -> str:
    said = []
    for e in errors:
        template = _MESSAGES.get(e.get("type", ""), "格式不正确")
        try:
            text = template.format(**(e.get("ctx") or {}))
        except (KeyError, IndexError):
            text = template
        said.append(f"{_field(e.get('loc', ()))} {text}")
    return "请求参数有误：" + "；".join(said)


def _service_error(_request: Request, exc: ServiceError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return JSONResponse(error_body(exc.code, exc.message, exc.detail), status_code=exc.status, headers=headers)


def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = list(exc.errors())
    detail = [{"loc": list(e.get("loc", ())), "type": e.get("type"), "msg": e.get("msg")} for e in errors]
    return JSONResponse(error_body("invalid", validation_message(errors), detail), status_code=422)


def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    if exc.status_code == 404:
        code, message = "not_found", f"接口不存在：{request.method} {request.url.path}"
    elif exc.status_code == 405:
        code, message = "method_not_allowed", f"该接口不支持 {request.method} 请求：{request.url.path}"
    else:
        code = "http_error"
        message = exc.detail if isinstance(exc.detail, str) and exc.detail else f"请求失败（HTTP {exc.status_code}）"
    return JSONResponse(error_body(code, message), status_code=exc.status_code, headers=getattr(exc, "headers", None))


def _stale(_request: Request, _exc: StaleDataError) -> JSONResponse:
    return JSONResponse(error_body("conflict", "数据已被他人修改，请刷新后重试"), status_code=409)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(error_body("internal", "服务器内部错误，请稍后重试或联系管理员"), status_code=500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(StaleDataError, _stale)
    app.add_exception_handler(Exception, _unexpected)

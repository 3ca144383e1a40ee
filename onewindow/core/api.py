"""API plumbing shared by every context: the one error shape and its Chinese messages.

Every error leaves the API as {"error": {"code", "message", "fields"}} with a 4xx status.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from onewindow.core.errors import DomainError, NotFound

_DRF_MESSAGES = {
    drf.NotAuthenticated: ("not_authenticated", "请先登录或提供有效的接口令牌"),
    drf.AuthenticationFailed: ("authentication_failed", "身份认证失败，请检查账号、密码或令牌"),
    drf.PermissionDenied: ("forbidden", "您没有执行此操作的权限"),
    drf.MethodNotAllowed: ("method_not_allowed", "不支持该请求方法"),
    drf.NotAcceptable: ("not_acceptable", "不支持请求的返回格式"),
    drf.UnsupportedMediaType: ("unsupported_media_type", "不支持的请求内容类型，请使用 JSON"),
    drf.Throttled: ("throttled", "请求过于频繁，请稍后再试"),
    drf.ParseError: ("parse_error", "请求内容格式错误，无法解析"),
}


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _flatten(detail):
    """DRF's nested ValidationError detail → {field: "message; message"} of plain strings."""
    if isinstance(detail, dict):
        return {key: _join(value) for key, value in detail.items()}
    return {"non_field_errors": _join(detail)}


def _join(value):
    if isinstance(value, list | tuple):
        return "；".join(_join(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}: {_join(v)}" for k, v in value.items())
    return str(value)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, Http404):
        exc = NotFound()
        return Response(error_body(exc.code, exc.message), status=exc.status)
    if isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf.ValidationError):
        response.data = error_body("validation_failed", "输入有误，请检查后重新提交", _flatten(exc.detail))
        return response
    for exc_type, (code, message) in _DRF_MESSAGES.items():
        if isinstance(exc, exc_type):
            response.data = error_body(code, message)
            return response
    response.data = error_body(getattr(exc, "default_code", "error"), str(getattr(exc, "detail", exc)))
    return response


def api_not_found(request, *args, **kwargs):
    """Unmatched API paths (including malformed ids) get the API's JSON 404, never an HTML page."""
    from django.http import JsonResponse

    error = NotFound()
    return JsonResponse(
        error_body(error.code, error.message), status=error.status, json_dumps_params={"ensure_ascii": False}
    )

"""RFC 9457 problem details for every API error, from one registry.

Every error the API returns is `application/problem+json` with `type`, `title`, `status`,
`detail`, `instance` and `code` (machine readable); a 422 adds `errors`, one entry per invalid
field with its location (`body`, `query` or `path`). `install()` registers the handlers on the
NinjaAPI; `wrap_view()` covers what ninja answers outside its handlers (405 for a method the
path does not take, 404 for a path under /api/ that matches no operation).
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import (
    AuthenticationError,
    AuthorizationError,
    HttpError,
    Throttled,
    ValidationError,
)
from pydantic import BaseModel, Field

from balie.core.errors import DomainError

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://balie.dev/problems/"
WWW_AUTHENTICATE = 'Bearer realm="balie"'

# status -> (title, default machine code). The one registry every API error comes from.
REGISTRY: dict[int, tuple[str, str]] = {
    400: ("Bad request", "bad_request"),
    401: ("Authentication required", "not_authenticated"),
    403: ("Forbidden", "forbidden"),
    404: ("Not found", "not_found"),
    405: ("Method not allowed", "method_not_allowed"),
    409: ("Conflict", "conflict"),
    413: ("Payload too large", "payload_too_large"),
    422: ("Invalid request", "validation_error"),
    429: ("Too many requests", "throttled"),
    500: ("Internal server error", "internal_error"),
}


class FieldProblem(BaseModel):
    field: str = Field(description="The invalid field, dotted for nested ones (`member_ids.0`)")
    location: str = Field(alias="in", description="body, query or path")
    message: str
    type: str = Field(description="Machine code of the rule that failed")


class Problem(BaseModel):
    """The body of every API error (RFC 9457), documented once in the OpenAPI schema."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str = Field(description="Machine readable, stable: e.g. `customer_email_taken`")
    errors: list[FieldProblem] | None = Field(None, description="One entry per invalid field")


def problem_body(
    *,
    status: int,
    detail: str,
    instance: str,
    code: str | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    title, default_code = REGISTRY.get(status, ("Error", f"http_{status}"))
    code = code or default_code
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def problem_response(
    request: HttpRequest,
    *,
    status: int,
    detail: str,
    code: str | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    """A problem+json response; usable outside ninja's handlers (plain Django views)."""
    body = problem_body(
        status=status, detail=detail, instance=request.path, code=code, errors=errors
    )
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    if status == 401:
        response["WWW-Authenticate"] = WWW_AUTHENTICATE
    return response


def _location(item: dict[str, Any]) -> tuple[str, str]:
    """(where, field) for one pydantic error as ninja reports it.

    ninja prefixes the source and, for a body, the parameter name: ("body", "payload",
    "email") is the body's `email`; ("body", "payload") is the body as a whole;
    ("query", "status") is the query parameter `status`; query parameters taken as one schema
    (`filters: Query[Filters]`) come as ("query", "filters", "status"), also `status`.
    """
    raw = item.get("loc", ())
    location = [str(part) for part in raw]
    where = location[0] if location else "body"
    grouped = where == "query" and len(raw) >= 3 and isinstance(raw[2], str)
    pointer = location[2:] if where == "body" or grouped else location[1:]
    return where, ".".join(pointer)


def field_errors(error: ValidationError) -> list[dict[str, Any]]:
    fields = []
    for item in error.errors:
        where, field = _location(item)
        message = str(item.get("msg", "Invalid value"))
        if where == "body" and not field:
            # The body as a whole: e.g. a JSON array or string where an object belongs.
            message = (
                "The request body must be a JSON object."
                if item.get("type") in _NOT_AN_OBJECT
                else message
            )
        fields.append(
            {
                "field": field or where,
                "in": where,
                "message": message,
                "type": str(item.get("type", "invalid")),
            }
        )
    return fields


_NOT_AN_OBJECT = frozenset({"model_attributes_type", "dict_type", "model_type"})


def _validation_detail(fields: list[dict[str, Any]]) -> str:
    parts = [
        item["message"]
        if item["field"] == item["in"]
        else f"{item['field']} ({item['in']}): {item['message']}"
        for item in fields
    ]
    return "Invalid request. " + "; ".join(parts)


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn every error into problem JSON."""

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
        fields = field_errors(error)
        return problem_response(
            request, status=422, detail=_validation_detail(fields), errors=fields
        )

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
        return problem_response(
            request,
            status=401,
            detail="Send a valid API key as 'Authorization: Bearer <key>' or sign in.",
        )

    @api.exception_handler(AuthorizationError)
    def authorization_error(request: HttpRequest, error: AuthorizationError) -> HttpResponse:
        return problem_response(request, status=403, detail=str(error) or "Not allowed.")

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
        return problem_response(request, status=403, detail=str(error) or "Not allowed.")

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        # Never echo the exception text: it could tell another shop's ids apart from gaps.
        return problem_response(request, status=404, detail="No such object in this shop.")

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, error: Throttled) -> HttpResponse:
        response = problem_response(
            request, status=429, detail="Too many requests; try again later."
        )
        if error.wait:
            response["Retry-After"] = str(int(error.wait))
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        status = error.status_code
        if status == 400 and str(error).startswith("Cannot parse request body"):
            return problem_response(
                request,
                status=400,
                code="malformed_body",
                detail="The request body is not valid JSON (send UTF-8 encoded JSON).",
            )
        return problem_response(request, status=status, detail=str(error))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
        return problem_response(request, status=413, detail="The request body is too large.")

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
        errors = (
            [{"field": error.field, "in": "body", "message": error.message, "type": error.code}]
            if error.field
            else None
        )
        if error.problems:
            errors = [
                {
                    "field": error.field or "body",
                    "in": "body",
                    "message": problem,
                    "type": error.code,
                }
                for problem in error.problems
            ]
        return problem_response(
            request, status=error.status, code=error.code, detail=error.message, errors=errors
        )

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, error: Exception) -> HttpResponse:
        return server_error(request, error)


def server_error(request: HttpRequest, error: Exception) -> HttpResponse:
    """500 as problem JSON: the traceback goes to the log, never to the client."""
    logger.error(
        "Unhandled API error",
        exc_info=error,
        extra={"path": request.path, "method": request.method},
    )
    return problem_response(
        request, status=500, detail="Something went wrong on our side; it has been logged."
    )


def method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    response = problem_response(
        request,
        status=405,
        detail=f"{request.method} is not allowed here; use {allowed}.",
    )
    response["Allow"] = allowed
    return response


def _as_problem(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    if response.status_code == 405 and not response.get("Content-Type", "").startswith(
        PROBLEM_CONTENT_TYPE
    ):
        return method_not_allowed(request, response.get("Allow", ""))
    return response


def wrap_view(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let a view under /api/ answer 405 and 404 as problem JSON too."""
    if inspect.iscoroutinefunction(view):

        @functools.wraps(view)
        async def async_wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            try:
                return _as_problem(request, await view(request, *args, **kwargs))
            except Http404:
                return unknown_path(request)

        return async_wrapper

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return _as_problem(request, view(request, *args, **kwargs))
        except Http404:
            return unknown_path(request)

    return wrapper


@csrf_exempt  # answers every method with 404; there is nothing to forge
def unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under /api/ that no operation serves."""
    return problem_response(
        request,
        status=404,
        code="unknown_path",
        detail="No API operation at this path; see /api/docs for the operations.",
    )

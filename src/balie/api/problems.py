"""RFC 9457 problem details for every API error, from one registry.

Every error the API returns has `type`, `title`, `status`, `detail` and, where it helps,
`code` (machine readable) and `errors` (one entry per invalid field, with its location).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from balie.core.errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://balie.dev/problems/"

TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    422: "Invalid request body",
    429: "Too many requests",
    500: "Internal server error",
}


def problem(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    detail: str,
    code: str | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + (code or str(status)),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if code:
        body["code"] = code
    if errors is not None:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    return response


def _field_errors(error: ValidationError) -> list[dict[str, Any]]:
    fields = []
    for item in error.errors:
        location = [str(part) for part in item.get("loc", ())]
        # ninja prefixes the source ("body", "query", "path") and the parameter name.
        if len(location) > 2 and location[0] == "body":
            pointer = location[2:]
        else:
            pointer = location[1:] if len(location) > 1 else location
        fields.append(
            {
                "field": ".".join(pointer) or location[0],
                "in": location[0] if location else "",
                "message": item.get("msg", "invalid"),
            }
        )
    return fields


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn every error into problem JSON."""

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
        fields = _field_errors(error)
        names = ", ".join(item["field"] for item in fields)
        return problem(
            api,
            request,
            status=422,
            detail=f"Invalid value for: {names}",
            code="validation_error",
            errors=fields,
        )

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
        response = problem(
            api,
            request,
            status=401,
            code="not_authenticated",
            detail="Send an API key as 'Authorization: Bearer <key>' or sign in.",
        )
        response["WWW-Authenticate"] = 'Bearer realm="balie"'
        return response

    @api.exception_handler(AuthorizationError)
    def authorization_error(request: HttpRequest, error: AuthorizationError) -> HttpResponse:
        return problem(
            api, request, status=403, code="forbidden", detail=str(error) or "Not allowed."
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return problem(
            api, request, status=404, code="not_found", detail="No such object in this shop."
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        return problem(api, request, status=error.status_code, detail=str(error))

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
        errors = (
            [{"field": error.field, "in": "body", "message": error.message}]
            if error.field
            else None
        )
        return problem(
            api, request, status=error.status, code=error.code, detail=error.message, errors=errors
        )

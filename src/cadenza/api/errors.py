"""Every refusal as JSON with a clear message, never a 500 (DESIGN section 4, "Bad input").

| raised                                  | status | body                              |
| --------------------------------------- | ------ | --------------------------------- |
| ``Http404``                             | 404    | ``{"detail"}``                    |
| ``PermissionDenied``                    | 403    | ``{"detail"}``                    |
| django ``ValidationError`` (actions)    | 422    | ``{"detail", "errors": {field}}`` |
| ninja ``ValidationError`` (the schema)  | 422    | ``{"detail", "errors": {field}}`` |
| ``ValueError`` (domain rules: knowledge | 400    | ``{"detail"}``                    |
| checks, progress reports)               |        |                                   |

Actions run in one transaction each, so a refusal raised inside one has written nothing.
"""

from __future__ import annotations

import pydantic
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaError

_LOCATIONS = frozenset({"body", "query", "path", "form", "header", "cookie"})


def install_error_handlers(api: NinjaAPI) -> None:
    """Register the handlers above on ``api``."""

    # Handlers take ``object``: ninja types the exception as "an instance or its class".
    def not_found(request: HttpRequest, exc: object) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)

    def forbidden(request: HttpRequest, exc: object) -> HttpResponse:
        detail = str(exc) or "Your role does not allow this."
        return api.create_response(request, {"detail": detail}, status=403)

    def invalid(request: HttpRequest, exc: object) -> HttpResponse:
        assert isinstance(exc, ValidationError)
        errors = (
            {field: list(messages) for field, messages in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"__all__": list(exc.messages)}
        )
        return api.create_response(request, _invalid_body(errors), status=422)

    def unparsable(request: HttpRequest, exc: object) -> HttpResponse:
        assert isinstance(exc, SchemaError)
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_field_of(error.get("loc", ())), []).append(
                str(error.get("msg", "Invalid value."))
            )
        return api.create_response(request, _invalid_body(errors), status=422)

    def refused(request: HttpRequest, exc: object) -> HttpResponse:
        if isinstance(exc, pydantic.ValidationError):
            raise exc  # an answer that does not fit its schema is our bug, not the caller's
        return api.create_response(request, {"detail": str(exc)}, status=400)

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(SchemaError, unparsable)
    api.add_exception_handler(ValueError, refused)


def _invalid_body(errors: dict[str, list[str]]) -> dict[str, object]:
    detail = "; ".join(
        message if field == "__all__" else f"{field}: {message}"
        for field, messages in errors.items()
        for message in messages
    )
    return {"detail": detail or "The request is not valid.", "errors": errors}


def _field_of(location: object) -> str:
    """``("body", "payload", "emails", 0)`` -> ``"emails.0"``: the field as the caller sent it."""
    parts = [str(part) for part in location] if isinstance(location, list | tuple) else []
    if parts and parts[0] in _LOCATIONS:
        source = parts.pop(0)
        if source == "body" and len(parts) > 1:
            parts.pop(0)  # the endpoint's parameter name, not part of the JSON
    return ".".join(parts) or "__all__"

"""The log-in throttle: django-axes, fitted to how Cadenza signs people in.

Failed log-ins are counted per account (the e-mail tried, normalised as it is stored) and per
address (``AXES_LOCKOUT_PARAMETERS`` in settings); past the limit both are refused for the
cool-off, and each try while refused starts it again. What a refused person sees:

- on the log-in pages (the site's and the admin's), the page itself with the reason as a
  form error (``LockoutAwareLoginForm``) and the status 429;
- on the API, a 429 with a JSON body ``{"detail": ...}``.

An admin lifts it in the admin's "Access attempts" (delete the rows) or with
``cadenza axes_reset``.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from axes.backends import AxesStandaloneBackend
from axes.helpers import get_lockout_message, get_lockout_response
from axes.middleware import AxesMiddleware
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase

from cadenza.accounts.actions import normalise_email

API_PREFIX = "/api/"


def is_locked_out(request: HttpRequest | None) -> bool:
    """Whether axes refused (or has just locked out) the log-in made by ``request``."""
    return bool(getattr(request, "axes_locked_out", False))


def lockout_message() -> str:
    return str(get_lockout_message())


def lockout_error() -> ValidationError:
    """The form error a refused log-in shows (the log-in forms raise it)."""
    return ValidationError(lockout_message(), code="locked_out")


def attempted_email(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account a log-in tried, as stored (``BO@x.org `` and ``bo@x.org`` are one)."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username")
    return normalise_email(str(raw)) if raw else None


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponseBase | None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponseBase:
    """What a refused log-in answers: JSON on the API; else the page the log-in view rendered
    (its form carries the reason), with the status 429."""
    status = int(getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429))
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": lockout_message()}, status=status)
    if isinstance(original_response, HttpResponseBase) and original_response.status_code == 200:
        original_response.status_code = status
        return original_response
    return HttpResponse(lockout_message(), status=status, content_type="text/plain")


class LoginThrottleBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Axes' check, first in ``AUTHENTICATION_BACKENDS``.

    A call without a request is not a client's log-in (Django's test client ``login()``, a
    management command): there is no address to count, so it is left to the next backend.
    Every log-in Cadenza serves (the log-in pages, the API's token endpoint) passes its
    request.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None


class LoginThrottleMiddleware(AxesMiddleware):  # type: ignore[misc]
    """Axes' middleware, with its ASGI path fixed: axes 8.3 hands the lockout callable the
    credentials in place of the page's answer when served asynchronously, so the form's
    message would be lost under uvicorn."""

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        response = await self.get_response(request)
        if getattr(settings, "AXES_ENABLED", True) and is_locked_out(request):
            credentials = getattr(request, "axes_credentials", None)
            response = await sync_to_async(get_lockout_response, thread_sensitive=True)(
                request, response, credentials
            )
        return response  # type: ignore[no-any-return]

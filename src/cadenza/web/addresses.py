"""A request whose address holds a NUL is refused with a 400 before any view runs.

Why: a NUL in a URL's path or query (``/api/v1/orgs/%00/courses``) reaches a database lookup
as a string, and PostgreSQL refuses NUL in text: the answer was a 500 (SQLite just found
nothing). No address of the site has a NUL in it, so refusing it here, once, is exact, and
covers every page, API operation and file URL, including ones written later. Text in forms
and bodies is not checked here: forms and the API's schemas refuse control characters with
a message naming the field (cadenza.lib.text).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string

MESSAGE = "The address holds a NUL character (%00), which no address of this site has."


def holds_nul(request: HttpRequest) -> bool:
    """Whether the decoded path or any decoded query name or value has a NUL."""
    if "\x00" in request.path_info:
        return True
    return any(
        "\x00" in name or any("\x00" in value for value in values)
        for name, values in request.GET.lists()
    )


class RefuseNulInAddressMiddleware:
    """400 for an address with a NUL: JSON ``{"detail"}`` under /api/, the 400 page elsewhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not holds_nul(request):
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": MESSAGE}, status=400)
        return HttpResponseBadRequest(render_to_string("400.html", request=request))

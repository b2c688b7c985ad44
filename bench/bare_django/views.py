"""The bare page: three simple queries and a small template."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bare_django.models import Item


def page(request: HttpRequest) -> HttpResponse:
    """Ten rows, the row count and the first row (exactly three queries)."""
    items = list(Item.objects.all()[:10])
    total = Item.objects.count()
    first = Item.objects.get(position=1)
    return render(request, "bare/page.html", {"items": items, "total": total, "first": first})

"""The REST API under /api/v1/: one router per domain, the same policy as the pages."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(
    title="Cadenza API",
    version="1",
    description="Every capability of Cadenza's pages, for integrations and scripts.",
    auth=django_auth,
    urls_namespace="api",
)

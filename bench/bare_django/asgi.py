"""ASGI entry point of the bare project, served by uvicorn like ``cadenza serve``."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bare_django.settings")
application = get_asgi_application()

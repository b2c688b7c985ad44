"""The ASGI entry point: pages over HTTP and, from the live-sessions issue on, /ws/ sockets."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadenza.config.settings")

from cadenza.config.page_handler import page_application

# Django's ASGIHandler with the middleware and view run in one thread hop (page_handler).
django_asgi_app = page_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402 - needs Django set up
from django.conf import settings  # noqa: E402
from django.urls import path  # noqa: E402

from cadenza.config.collector import tune_for_serving  # noqa: E402
from cadenza.live.room.socket_auth import SessionUserMiddleware  # noqa: E402
from cadenza.live.routing import websocket_urlpatterns  # noqa: E402
from cadenza.realtime.personal import PersonalSocket  # noqa: E402
from cadenza.realtime.socket_origin import SiteOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Only the site's own origin (scheme, host and port): cadenza.realtime.socket_origin.
        # /ws/me/: the person's own socket (the bell; decision 0015).
        "websocket": SiteOriginValidator(
            SessionUserMiddleware(
                URLRouter([*websocket_urlpatterns, path("ws/me/", PersonalSocket.as_asgi())])
            )
        ),
    }
)

if settings.SERVER_GC_TUNING:
    tune_for_serving()

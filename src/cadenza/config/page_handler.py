"""The ASGI handler of the site's pages: the middleware and the view in one thread hop.

Every Cadenza view is synchronous, and so are three of its middleware. Django's own
``ASGIHandler`` builds an asynchronous middleware chain and adapts each change of mode with
a thread hop: the request went from the event loop to a worker thread (the synchronous
middleware), back to the loop (``async_to_sync`` around the innermost, asynchronous
middleware and Django's asynchronous ``_get_response``) and to the thread again for the view.
Here the chain is built as a WSGI server's is (``load_middleware(is_async=False)``: every
middleware in its synchronous mode, the view called directly) and run by one
``sync_to_async`` call in the request's thread, so a page costs one hop, and runs the same
code path as under Django's test client and a WSGI server. Measured in docs/performance.md
(issue 13, section 6).
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class PageHandler(ASGIHandler):
    """``ASGIHandler`` with a synchronous middleware chain run in one thread hop."""

    def load_middleware(self, is_async: bool = False) -> None:
        """Build the chain as a WSGI server does, then make it awaitable for ``ASGIHandler``."""
        super().load_middleware(is_async=False)
        chain = self._middleware_chain
        # thread_sensitive: the request's one thread (ASGIHandler opens a
        # ThreadSensitiveContext per request), as Django's own sync views get.
        self._middleware_chain: Any = sync_to_async(chain, thread_sensitive=True)


def page_application() -> PageHandler:
    """The pages' ASGI application (Django set up first, as ``get_asgi_application`` does)."""
    import django

    django.setup(set_prefix=False)
    return PageHandler()

"""The session store: Django's database sessions, read with a query compiled once per process.

Every page reads the visitor's session first. Django's ``db`` store builds and compiles the
same ``Session.objects.get(session_key=..., expire_date__gt=now)`` on every request; this
store runs that query's SQL, compiled once (cadenza.lib.compiled_query), with the request's
key and time. Same table, same rows, same cookies, same expiry rule: sessions made by
Django's store stay valid, and everything else (saving, cycling keys, flushing) is Django's.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from cadenza.lib.compiled_query import CompiledQuery

_SESSION = CompiledQuery(
    Session,
    lambda session_key, now: Session.objects.filter(session_key=session_key, expire_date__gt=now)[
        :1
    ],
)


class SessionStore(DatabaseSessionStore):
    """``django.contrib.sessions.backends.db`` with the session read by a compiled query."""

    def _get_session_from_db(self) -> Session | None:
        try:
            if not self.session_key:
                raise Session.DoesNotExist
            session = _SESSION.first(session_key=self.session_key, now=timezone.now())
            if session is None:
                raise Session.DoesNotExist
        except (Session.DoesNotExist, SuspiciousOperation) as error:
            if isinstance(error, SuspiciousOperation):
                logger = logging.getLogger(f"django.security.{error.__class__.__name__}")
                logger.warning(str(error))
            self._session_key = None
            return None
        return session

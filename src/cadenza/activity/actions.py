"""Writing to the learning record."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.activity.models import Statement
from cadenza.activity.verbs import Verb
from cadenza.orgs.models import Organization

# Namespace for statement ids derived from events: uuid5(namespace, event key).
STATEMENT_NAMESPACE = uuid.UUID("6c1f3f5e-3c2b-4f0e-9d43-2f6a1c0b7e55")


@dataclass(frozen=True, slots=True)
class LearningObject:
    """What a statement is about: ``type`` and ``id`` locate it, ``iri`` names it for xAPI."""

    type: str
    id: str
    iri: str
    name: str = ""


def statement_id_for(event_key: str) -> uuid.UUID:
    """The stable id of the statement for one event: a retry computes the same id."""
    return uuid.uuid5(STATEMENT_NAMESPACE, event_key)


def record(
    *,
    org: Organization,
    actor: User,
    verb: Verb,
    obj: LearningObject,
    event_key: str,
    result: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    timestamp: datetime | None = None,
) -> Statement:
    """Write one statement for a learner action, inside the caller's transaction.

    Must be called from the action that makes the change it describes, so the change and its
    statement commit or roll back together. ``event_key`` identifies the event (for example
    ``"unit-completed:<user>:<unit>"``); recording the same event twice returns the first row.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("activity.record must run inside the action's transaction")
    statement_id = statement_id_for(event_key)
    stored = Statement.objects.filter(id=statement_id).first()
    if stored is not None:
        return stored
    statement = Statement(
        id=statement_id,
        org=org,
        actor=actor,
        verb=verb.value,
        object_type=obj.type,
        object_id=obj.id,
        object_iri=obj.iri,
        object_name=obj.name[:300],
        result=result or {},
        context=context or {},
        timestamp=timestamp or timezone.now(),
    )
    # Not ``get_or_create``: its savepoint costs two more round trips inside the caller's
    # transaction (a live room's chat records one statement per message). A twin written by
    # a concurrent retry of the same event is ignored; the row is the same event either way.
    Statement.objects.bulk_create([statement], ignore_conflicts=True)
    return statement

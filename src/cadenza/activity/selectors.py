"""Reading the learning record."""

from __future__ import annotations

from typing import Any

from cadenza.accounts.models import User
from cadenza.activity.models import Statement


def as_xapi(statement: Statement, *, actor: User) -> dict[str, Any]:
    """The statement in xAPI 1.0.3 JSON form (actor as an mbox agent)."""
    data: dict[str, Any] = {
        "id": str(statement.id),
        "actor": {"objectType": "Agent", "name": actor.name, "mbox": f"mailto:{actor.email}"},
        "verb": {"id": statement.verb, "display": {"en-US": statement.verb.rsplit("/", 1)[-1]}},
        "object": {
            "objectType": "Activity",
            "id": statement.object_iri,
            "definition": {"name": {"en-US": statement.object_name}},
        },
        "timestamp": statement.timestamp.isoformat(),
        "stored": statement.stored.isoformat(),
    }
    if statement.result:
        data["result"] = statement.result
    if statement.context:
        data["context"] = statement.context
    return data

"""The learning record: every learner action as one xAPI statement.

Statements are facts. Progress summaries, analytics and notifications derive from them;
no other app keeps a private log of the same action.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from cadenza.orgs.models import Organization


class Statement(models.Model):
    """One xAPI statement (actor, verb, object, result, context, timestamp).

    ``id`` is derived from the event that caused it (see ``activity.record``), so a retried
    request writes the same id and the unique primary key keeps the record single.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="statements")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="statements"
    )
    verb = models.CharField(max_length=200, help_text="The verb's IRI.")
    object_type = models.CharField(max_length=64, help_text="What the object is: course, unit...")
    object_id = models.CharField(max_length=64)
    object_iri = models.CharField(max_length=500)
    object_name = models.CharField(max_length=300, blank=True)
    result = models.JSONField(default=dict, blank=True)
    context = models.JSONField(default=dict, blank=True)
    timestamp = models.DateTimeField(help_text="When it happened.")
    stored = models.DateTimeField(auto_now_add=True, help_text="When the record received it.")

    class Meta:
        ordering = ["timestamp"]
        indexes = [
            models.Index(fields=["org", "actor", "timestamp"], name="statement_actor_time"),
            models.Index(fields=["org", "object_type", "object_id"], name="statement_object"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb.rsplit('/', 1)[-1]} {self.object_type}:{self.object_id}"

"""The small table the bare page reads."""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class Item(models.Model):
    """One row of a short, ordered list."""

    name = models.CharField(max_length=100)
    position = models.PositiveIntegerField(unique=True)

    # Declared, so type checkers configured for Cadenza's settings know it too.
    objects: ClassVar[models.Manager[Item]] = models.Manager()

    class Meta:
        ordering = ("position",)

    def __str__(self) -> str:
        return self.name

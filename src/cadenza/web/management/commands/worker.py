"""``cadenza worker``: a background-task worker process (huey), for installs that scale out."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run a background-task worker (digests, reminders, e-mail outbox)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("run_huey", workers=options["workers"], worker_type="thread")

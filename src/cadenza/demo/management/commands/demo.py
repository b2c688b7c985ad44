"""``cadenza demo``: build the demo organization and print how to log in."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cadenza.demo.builder import DemoConflict, DemoSummary, build_demo


class Command(BaseCommand):
    help = (
        "Create the demo organization, Riverside General Hospital: staff, 30 learners in eight "
        "time zones and a sepsis course with two weeks of progress and live sessions (one past "
        "with its replay, a weekly webinar, an upcoming simulation). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo organization (and its accounts) and build it again.",
        )
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000",
            help="Where the site is served, for the printed links (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("Preparing the database (cadenza migrate)...")
            call_command("migrate", interactive=False, verbosity=0)
        try:
            summary = build_demo(reset=options["reset"])
        except DemoConflict as error:
            raise CommandError(str(error)) from error
        self._report(summary, base_url=str(options["url"]).rstrip("/"))

    def _report(self, summary: DemoSummary, *, base_url: str) -> None:
        if summary.created:
            self.stdout.write(self.style.SUCCESS(f"Built the demo: {summary.org_name}."))
        else:
            self.stdout.write(
                f"The demo organization {summary.org_name} already exists; nothing changed "
                "(`cadenza demo --reset` rebuilds it)."
            )
        self.stdout.write("")
        self.stdout.write(f"Start the server with `cadenza serve`, then open {base_url}")
        self.stdout.write(f"  organization: {base_url}/o/{summary.org_slug}/")
        self.stdout.write(
            f"  course:       {base_url}/o/{summary.org_slug}/courses/{summary.course_slug}/"
        )
        self.stdout.write("")
        self.stdout.write(f"Log in at {base_url}/accounts/login/ as any of these people,")
        self.stdout.write(f"all with the password: {summary.password}")
        width = max(len(login.role) for login in summary.logins)
        for login in summary.logins:
            self.stdout.write(f"  {login.role:<{width}}  {login.email:<36}  {login.name}")

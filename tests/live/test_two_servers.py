"""The multi-process tests' servers run on a database built as a fresh install's is: by the
migrations (``tests.live.two_servers.seed``), not from the models directly."""

from __future__ import annotations

from pathlib import Path

from tests.live.two_servers import seed, server_env

CHECK = """
import json
from django.core.management import call_command
from django.db import connection
call_command("migrate", check=True, verbosity=0)  # exits 1 if any migration is not applied
with connection.cursor() as cursor:
    cursor.execute("SELECT COUNT(*) FROM django_migrations WHERE app = 'live'")
    print(json.dumps({"live_migrations": cursor.fetchone()[0]}))
"""


def test_the_servers_database_is_built_by_every_migration(tmp_path: Path) -> None:
    live_migrations = Path(__file__).parents[2] / "src" / "cadenza" / "live" / "migrations"
    expected = len(list(live_migrations.glob("0*.py")))
    first = seed(server_env(tmp_path / "first", ""), CHECK)
    second = seed(server_env(tmp_path / "second", ""), CHECK)
    assert first == second == {"live_migrations": expected}
    assert expected > 0

"""The ``cadenza`` command: Django's management commands under the product's own name.

``cadenza serve`` (ASGI server with the embedded task worker), ``cadenza worker`` (a task
worker process), ``cadenza demo`` (the demo organization) and every Django command
(``cadenza migrate``, ``cadenza createsuperuser`` ...).
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadenza.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([*sys.argv[:1], *sys.argv[1:]])


if __name__ == "__main__":
    main()

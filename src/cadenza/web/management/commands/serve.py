"""``cadenza serve``: the ASGI server, with the task worker inside it on the embedded default.

``--workers N`` runs N server processes on one port (uvicorn's supervisor, the parent, spawns
them), so pages use more than one core. Each server process keeps its own live-room hub and
channel layer; only Redis joins them (the room's pub/sub channel, channels-redis, presence
leases), so more than one process needs ``REDIS_URL``: without it a socket in one process
would never hear a room event published in another, and the command refuses to start. The
background-task threads run in one place only: in the parent (the supervisor, which serves no
request) when N > 1, in the one server process otherwise, or nowhere with ``--no-tasks``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

WORKERS_NEED_REDIS = (
    "--workers {workers} needs REDIS_URL: each server process has its own live-room hub and "
    "channel layer, and only Redis carries a room's events from one process to another. Set "
    "REDIS_URL (e.g. redis://127.0.0.1:6379/0), or serve with --workers 1."
)


class Command(BaseCommand):
    help = "Serve Cadenza over HTTP and WebSocket (uvicorn); runs background tasks in-process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Server processes on the one port (more than 1 needs REDIS_URL).",
        )
        parser.add_argument(
            "--graceful-seconds",
            type=float,
            default=10.0,
            help="On shutdown, how long open connections get to finish before they are cut.",
        )
        parser.add_argument(
            "--no-tasks",
            action="store_true",
            help="Do not run the task worker in this process (run `cadenza worker` instead).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        import uvicorn
        from huey.contrib.djhuey import HUEY

        from cadenza.realtime.websocket_server import WS_PROTOCOL

        workers = options["workers"]
        if workers < 1:
            raise CommandError(f"--workers must be 1 or more, not {workers}.")
        if workers > 1 and not settings.REDIS_URL:
            raise CommandError(WORKERS_NEED_REDIS.format(workers=workers))
        consumer = None
        if not options["no_tasks"] and not HUEY.immediate:
            # The embedded default needs no extra process: the huey scheduler and worker
            # threads run beside the server. Signal handling stays with uvicorn. With several
            # workers this is uvicorn's supervisor process: the tasks run here, once, and the
            # spawned server processes (which do not run this command) run none.
            consumer = HUEY.create_consumer(workers=2, worker_type="thread", periodic=True)
            consumer.scheduler.start()
            for _worker, thread in consumer.worker_threads:
                thread.start()
            self.stdout.write("Background tasks run in this process.")
        try:
            uvicorn.run(
                "cadenza.config.asgi:application",
                host=options["host"],
                port=options["port"],
                workers=workers,
                log_level="debug" if settings.DEBUG else "info",
                # uvicorn's websocket protocol, plus a writer of finished frames that the
                # live room uses to send one event to many sockets (decision 0009).
                ws=WS_PROTOCOL,
                ws_per_message_deflate=False,
                proxy_headers=True,
                # Room sockets are told to reconnect (close code 1012) and leave the room; a
                # socket still busy after this long is cut, so a restart never hangs. Clients
                # reconnect to another process and catch up by their last event number.
                timeout_graceful_shutdown=options["graceful_seconds"],
            )
        finally:
            if consumer is not None:
                consumer.stop(graceful=True)

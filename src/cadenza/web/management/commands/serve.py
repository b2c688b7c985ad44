"""``cadenza serve``: the ASGI server, with the task worker inside it on the embedded default."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Cadenza over HTTP and WebSocket (uvicorn); runs background tasks in-process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1, help="Server processes.")
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

        from cadenza.web.websocket_server import WS_PROTOCOL

        consumer = None
        if not options["no_tasks"] and not HUEY.immediate:
            # The embedded default needs no extra process: the huey scheduler and worker
            # threads run beside the server. Signal handling stays with uvicorn.
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
                workers=options["workers"],
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

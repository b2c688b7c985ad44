"""Live room benchmark: Cadenza's room against a bare Channels group and a bare Node ``ws`` room.

``make bench-live`` (or ``.venv/bin/python bench/live/run.py``). Not a test: the targets live in
docs/performance.md. For each scenario and each system, in the same run on the same machine:

* **cadenza**: the real stack. A fresh PostgreSQL database (``--database-url``, dropped and
  created from a migrated template), Redis (``--redis-url``, its db flushed), the data of
  ``bench/live/seed.py`` (one session, N enrolled people with login sessions), and two
  ``cadenza serve --no-tasks`` processes (uvicorn) on two ports sharing Redis (DESIGN
  section 4). Every chat message is ``chat.post`` through the consumer, the action (row lock,
  ChatMessage, RoomEvent, xAPI statement) and the room hub.
* **channels**: ``bench/live/bare_channels``: two uvicorn processes, a stock
  ``AsyncWebsocketConsumer`` in one group, ``group_send`` per message on
  ``RedisPubSubChannelLayer``; no database, no authentication.
* **node**: ``bench/live/node/server.js``: one Node process with the npm package ``ws``; skipped
  with a message where ``node`` or ``bench/live/node/node_modules`` is missing.

The load generator (``bench/live/loadgen.py``, ``--loadgen-procs`` processes) opens N sockets
(spread over the servers), sends ``hello``, waits until the room is quiet, then ``--senders``
sockets post at a fixed total rate for ``--duration`` seconds. Reported per system: deliveries
expected (messages x N) and received, lost, p50/p99 latency (send to receipt), deliveries/s,
server CPU (cores, from /proc over the sending window) and memory per connection (RSS growth
from idle to all connected), the load generator's CPU and the whole machine's.

Scenarios: ``class`` (1,000 at 20 msg/s, p99 target 250 ms), ``webinar`` (5,000 at 5 msg/s,
500 ms) and ``rate`` (1,000 participants, rising rates on the same sockets until a phase loses
a message or misses 250 ms). ``smoke``: 50 participants at 5 msg/s.
Results: a Markdown table on stdout and ``bench/results/live-<timestamp>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BIN = Path(sys.executable).parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
SYSTEMS = ("cadenza", "channels", "node")


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    participants: int
    rates: tuple[float, ...]
    p99_target_ms: float
    search: bool = False
    """Rising rates: stop after the first phase that misses the target."""


@dataclass
class Servers:
    ports: list[int]
    procs: list[subprocess.Popen[bytes]]
    logs: list[Path] = field(default_factory=list)

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]


# /proc sampling


def cpu_ticks(pid: int) -> int:
    parts = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(parts[11]) + int(parts[12])


def rss_bytes(pid: int) -> int:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return total - idle, total


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# Processes


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {proc.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not start")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def serving(
    commands: list[list[str]], ports: list[int], env: dict[str, str], logdir: Path, name: str
) -> Iterator[Servers]:
    procs: list[subprocess.Popen[bytes]] = []
    logs: list[Path] = []
    try:
        for i, (command, port) in enumerate(zip(commands, ports, strict=True)):
            log = logdir / f"{name}-{i}.log"
            logs.append(log)
            with log.open("wb") as out:
                procs.append(
                    subprocess.Popen(  # noqa: S603 - our own server commands
                        command, env=env, stdout=out, stderr=subprocess.STDOUT
                    )
                )
            wait_for_port(port, procs[-1])
        yield Servers(ports=ports, procs=procs, logs=logs)
    finally:
        stop(procs)


def run(command: list[str], env: dict[str, str], *, quiet: bool = True) -> str:
    done = subprocess.run(  # noqa: S603 - our own commands
        command, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise RuntimeError(f"failed: {' '.join(command)}")
    if not quiet:
        sys.stderr.write(done.stderr)
    return done.stdout


# The database and the data


class Database:
    """A fresh PostgreSQL database per scenario, cloned from a template migrated once."""

    def __init__(self, url: str, env: dict[str, str]) -> None:
        parsed = urlparse(url)
        self.url = url
        self.name = parsed.path.lstrip("/")
        self.template = f"{self.name}_template"
        self.psql = [
            "psql",
            "-h",
            parsed.hostname or "127.0.0.1",
            "-p",
            str(parsed.port or 5432),
            "-U",
            parsed.username or "postgres",
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-qAt",
        ]
        self.env = env
        self.migrated = False

    def sql(self, statement: str) -> None:
        run([*self.psql, "-c", statement], self.env)

    def fresh(self) -> None:
        if not self.migrated:
            self.sql(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
            self.sql(f'CREATE DATABASE "{self.template}"')
            template_url = self.url.rsplit("/", 1)[0] + "/" + self.template
            run(
                [str(BIN / "cadenza"), "migrate", "--no-input"],
                self.env | {"DATABASE_URL": template_url},
            )
            self.migrated = True
        self.sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.sql(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"')

    def drop(self) -> None:
        self.sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.sql(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')


# Load generator


class LoadGen:
    def __init__(self, jobs: list[dict[str, Any]], logdir: Path, name: str) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []
        self.errs: list[IO[bytes]] = []
        for i, job in enumerate(jobs):
            err = (logdir / f"{name}-loadgen-{i}.log").open("wb")
            self.errs.append(err)
            proc = subprocess.Popen(  # noqa: S603 - our own load generator
                [sys.executable, str(HERE / "loadgen.py")],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
            )
            self.procs.append(proc)
            self.write(proc, job)

    @staticmethod
    def write(proc: subprocess.Popen[bytes], payload: dict[str, Any]) -> None:
        assert proc.stdin is not None
        proc.stdin.write((json.dumps(payload) + "\n").encode())
        proc.stdin.flush()

    def read_all(self) -> list[dict[str, Any]]:
        results = []
        for proc in self.procs:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError("a load generator exited (see its log in the run folder)")
            results.append(json.loads(line))
        return results

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                with suppress(BrokenPipeError):
                    self.write(proc, {"quit": True})
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for err in self.errs:
            err.close()


def percentile(histogram: dict[int, int], fraction: float) -> float | None:
    from loadgen import bin_ms  # type: ignore[import-not-found]

    total = sum(histogram.values())
    if not total:
        return None
    rank = fraction * total
    seen = 0
    for index in sorted(histogram):
        seen += histogram[index]
        if seen >= rank:
            return float(bin_ms(index))
    return float(bin_ms(max(histogram)))


# One system under one scenario


def measure(
    *,
    system: str,
    scenario: Scenario,
    servers: Servers,
    cookies: list[str],
    cookie_name: str,
    path: str,
    args: argparse.Namespace,
    logdir: Path,
) -> dict[str, Any]:
    n = scenario.participants
    time.sleep(1)
    idle_rss = [rss_bytes(pid) for pid in servers.pids]
    procs = max(1, args.loadgen_procs)
    jobs: list[dict[str, Any]] = [
        {
            "proc": p,
            "system": system,
            "path": path,
            "cookie_name": cookie_name,
            "connections": [],
            "concurrency": args.connect_concurrency,
        }
        for p in range(procs)
    ]
    senders = min(args.senders, n)
    for i in range(n):
        port = servers.ports[i % len(servers.ports)]
        proc = (i // len(servers.ports)) % procs
        jobs[proc]["connections"].append(["127.0.0.1", port, cookies[i], i < senders])
    print(f"  {system}: opening {n} sockets ...", flush=True)
    loadgen = LoadGen(jobs, logdir, f"{scenario.name}-{system}")
    try:
        ready = loadgen.read_all()
        connected = sum(r["ready"] for r in ready)
        time.sleep(1)
        rss = [rss_bytes(pid) for pid in servers.pids]
        per_connection = (sum(rss) - sum(idle_rss)) / max(connected, 1)
        print(
            f"  {system}: {connected}/{n} connected "
            f"({max(r['connect_seconds'] for r in ready)} s, settled in "
            f"{max(r['settle_seconds'] for r in ready)} s), load {load_average()}",
            flush=True,
        )
        sender_counts = [sum(1 for c in job["connections"] if c[3]) for job in jobs]
        phases: list[dict[str, Any]] = []
        for number, rate in enumerate(scenario.rates, start=1):
            phase = run_phase(
                loadgen=loadgen,
                servers=servers,
                sender_counts=sender_counts,
                rate=rate,
                number=number,
                connected=connected,
                scenario=scenario,
                args=args,
            )
            phases.append(phase)
            print(f"  {system}: {row(system, phase)}", flush=True)
            if scenario.search and not phase["pass"]:
                break
            time.sleep(args.pause)
    finally:
        loadgen.close()
    return {
        "system": system,
        "participants": n,
        "connected": connected,
        "connect": ready,
        "idle_rss_bytes": idle_rss,
        "connected_rss_bytes": rss,
        "memory_per_connection_bytes": round(per_connection),
        "phases": phases,
    }


def run_phase(
    *,
    loadgen: LoadGen,
    servers: Servers,
    sender_counts: list[int],
    rate: float,
    number: int,
    connected: int,
    scenario: Scenario,
    args: argparse.Namespace,
) -> dict[str, Any]:
    duration = float(args.duration)
    load_before = load_average()
    t0 = time.monotonic_ns() + 500_000_000
    first = 0
    for proc, count in zip(loadgen.procs, sender_counts, strict=True):
        go = {
            "phase": number,
            "rate": rate,
            "duration": duration,
            "t0_ns": t0,
            "total_senders": sum(sender_counts),
            "first_sender": first,
            "drain_quiet": args.drain_quiet,
            "drain_max": args.drain_max,
        }
        LoadGen.write(proc, {"go": go})
        first += count
    time.sleep(max(0.0, (t0 - time.monotonic_ns()) / 1e9))
    server_cpu0 = [cpu_ticks(pid) for pid in servers.pids]
    gen_cpu0 = [cpu_ticks(pid) for pid in loadgen.pids]
    box0 = machine_ticks()
    time.sleep(max(0.0, (t0 + int(duration * 1e9) - time.monotonic_ns()) / 1e9))
    server_cpu1 = [cpu_ticks(pid) for pid in servers.pids]
    gen_cpu1 = [cpu_ticks(pid) for pid in loadgen.pids]
    box1 = machine_ticks()
    results = loadgen.read_all()
    histogram: dict[int, int] = {}
    for result in results:
        for key, count in result["histogram"].items():
            histogram[int(key)] = histogram.get(int(key), 0) + count
    sent = sum(r["sent"] for r in results)
    received = sum(r["received"] for r in results)
    expected = sent * connected
    last = max((r["last_receive_ns"] for r in results), default=0)
    span = max(duration, (last - t0) / 1e9) if last else duration
    p50 = percentile(histogram, 0.50)
    p99 = percentile(histogram, 0.99)
    worst: dict[str, float] = {}
    for result in results:
        for message, ms in result.get("worst", {}).items():
            worst[message] = max(ms, worst.get(message, 0.0))
    lost = expected - received
    ticks = CLOCK_TICKS * duration
    box_busy = (box1[0] - box0[0]) / max(box1[1] - box0[1], 1) * (os.cpu_count() or 1)
    return {
        "rate": rate,
        "duration": duration,
        "sent": sent,
        "acks": sum(r["acks"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "error_samples": [s for r in results for s in r["error_samples"]][:3],
        "sockets_lost": sum(r["sockets_lost"] for r in results),
        "expected": expected,
        "received": received,
        "received_in_snapshots": sum(r.get("in_snapshots", 0) for r in results),
        "lost": lost,
        "late_from_earlier_phases": sum(r["late_from_earlier_phases"] for r in results),
        "p50_ms": p50,
        "p99_ms": p99,
        "slowest_messages": sorted(worst.items(), key=lambda item: -item[1])[:10],
        "messages_slower_than_target": sum(ms >= scenario.p99_target_ms for ms in worst.values()),
        "deliveries_per_s": round(received / span),
        "delivery_span_s": round(span, 2),
        "server_cpu_cores": [
            round((b - a) / ticks, 2) for a, b in zip(server_cpu0, server_cpu1, strict=True)
        ],
        "loadgen_cpu_cores": round(
            sum(b - a for a, b in zip(gen_cpu0, gen_cpu1, strict=True)) / ticks, 2
        ),
        "machine_busy_cores": round(box_busy, 2),
        "load_before": load_before,
        "pass": lost == 0 and p99 is not None and p99 < scenario.p99_target_ms,
    }


def row(system: str, phase: dict[str, Any], memory: int | None = None, n: int = 0) -> str:
    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value:,.1f}"

    cells = [
        system,
        f"{n:,}" if n else "",
        f"{phase['rate']:g}",
        f"{phase['expected']:,}",
        f"{phase['received']:,}",
        f"{phase['lost']:,}",
        ms(phase["p50_ms"]),
        ms(phase["p99_ms"]),
        f"{phase['deliveries_per_s']:,}",
        f"{sum(phase['server_cpu_cores']):.2f}",
        "" if memory is None else f"{memory / 1024:,.0f}",
        f"{phase['loadgen_cpu_cores']:.2f}",
        f"{phase['machine_busy_cores']:.2f}",
        "yes" if phase["pass"] else "no",
    ]
    return "| " + " | ".join(cells) + " |"


HEADER = (
    "| System | People | msg/s | Expected | Received | Lost | p50 ms | p99 ms | Deliveries/s "
    "| Server CPU (cores) | KiB/conn | Loadgen CPU | Box busy | Target met |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
)


# The systems


def cadenza(
    scenario: Scenario, args: argparse.Namespace, env: dict[str, str], db: Database, logdir: Path
) -> dict[str, Any]:
    db.fresh()
    flush_redis(args.redis_url)
    seeded = json.loads(
        run([sys.executable, str(HERE / "seed.py"), str(scenario.participants)], env)
    )
    ports = [free_port(), free_port()]
    commands = [
        [str(BIN / "cadenza"), "serve", "--no-tasks", "--host", "127.0.0.1", "--port", str(p)]
        for p in ports
    ]
    name = "cadenza"
    with serving(commands, ports, env, logdir, f"{scenario.name}-{name}") as servers:
        return measure(
            system=name,
            scenario=scenario,
            servers=servers,
            cookies=seeded["cookies"],
            cookie_name=seeded["cookie_name"],
            path=f"/ws/live/{seeded['session_id']}/",
            args=args,
            logdir=logdir,
        )


def channels(
    scenario: Scenario, args: argparse.Namespace, env: dict[str, str], logdir: Path
) -> dict[str, Any]:
    flush_redis(args.redis_url)
    ports = [free_port(), free_port()]
    commands = [
        [
            str(BIN / "uvicorn"),
            "bare_channels.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(p),
            "--lifespan",
            "off",
            "--ws-per-message-deflate",
            "false",
            "--log-level",
            "warning",
        ]
        for p in ports
    ]
    bare_env = env | {"PYTHONPATH": str(HERE), "DJANGO_SETTINGS_MODULE": "bare_channels.settings"}
    with serving(commands, ports, bare_env, logdir, f"{scenario.name}-channels") as servers:
        return measure(
            system="channels",
            scenario=scenario,
            servers=servers,
            cookies=["none"] * scenario.participants,
            cookie_name="bench",
            path="/ws/live/1/",
            args=args,
            logdir=logdir,
        )


def node(
    scenario: Scenario, args: argparse.Namespace, env: dict[str, str], logdir: Path
) -> dict[str, Any] | None:
    ports = [free_port()]
    command = [str(shutil.which("node")), str(HERE / "node" / "server.js"), str(ports[0])]
    with serving([command], ports, env, logdir, f"{scenario.name}-node") as servers:
        return measure(
            system="node",
            scenario=scenario,
            servers=servers,
            cookies=["none"] * scenario.participants,
            cookie_name="bench",
            path="/ws/live/1/",
            args=args,
            logdir=logdir,
        )


def node_missing() -> str:
    if shutil.which("node") is None:
        return "node is not installed: the Node ws baseline is skipped"
    if not (HERE / "node" / "node_modules" / "ws").is_dir():
        return "bench/live/node/node_modules is missing (run npm ci there): Node baseline skipped"
    return ""


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def versions() -> dict[str, str]:
    def out(command: list[str]) -> str:
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
            return done.stdout
        except OSError:
            return ""

    import channels as channels_package
    import django
    import uvicorn

    ws_package = HERE / "node" / "node_modules" / "ws" / "package.json"
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "channels": channels_package.__version__,
        "uvicorn": uvicorn.__version__,
        "node": out(["node", "--version"]).strip(),
        "ws": json.loads(ws_package.read_text())["version"] if ws_package.exists() else "",
        "cpu": next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        ),
        "cores": str(os.cpu_count()),
        "kernel": platform.release(),
    }


def scenarios(args: argparse.Namespace) -> list[Scenario]:
    chosen = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    found: list[Scenario] = []
    rates = tuple(float(r) for r in args.rates.split(","))
    for name in chosen:
        if name == "smoke":
            found.append(Scenario("smoke", args.smoke_participants, (5.0,), 250))
        elif name == "class" and "rate" in chosen:
            found.append(
                Scenario(
                    "class+rate",
                    args.class_participants,
                    (args.class_rate, *(r for r in rates if r > args.class_rate)),
                    250,
                    search=True,
                )
            )
        elif name == "class":
            found.append(Scenario("class", args.class_participants, (args.class_rate,), 250))
        elif name == "rate" and "class" not in chosen:
            found.append(Scenario("rate", args.class_participants, rates, 250, search=True))
        elif name == "webinar":
            found.append(Scenario("webinar", args.webinar_participants, (args.webinar_rate,), 500))
        elif name not in ("rate", "class"):
            raise SystemExit(f"unknown scenario {name!r}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", default="class,rate,webinar")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--class-participants", type=int, default=1000)
    parser.add_argument("--class-rate", type=float, default=20)
    parser.add_argument("--rates", default="20,40,60,80,100", help="the rate search, msg/s")
    parser.add_argument("--webinar-participants", type=int, default=5000)
    parser.add_argument("--webinar-rate", type=float, default=5)
    parser.add_argument("--smoke-participants", type=int, default=50)
    parser.add_argument("--duration", type=float, default=15, help="seconds of sending")
    parser.add_argument("--senders", type=int, default=10)
    parser.add_argument("--loadgen-procs", type=int, default=2)
    parser.add_argument("--connect-concurrency", type=int, default=25)
    parser.add_argument("--drain-quiet", type=float, default=3)
    parser.add_argument("--drain-max", type=float, default=30)
    parser.add_argument("--pause", type=float, default=3, help="seconds between phases")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cadenza_bench_live"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    )
    args = parser.parse_args()

    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    sys.path.insert(0, str(HERE))
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    skipped = node_missing() if "node" in systems else ""
    if skipped:
        print(skipped, flush=True)
        systems.remove("node")

    logdir = Path(tempfile.mkdtemp(prefix="cadenza-bench-live-"))
    data_dir = logdir / "data"
    env = dict(os.environ) | {
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "CADENZA_DATA_DIR": str(data_dir),
        "DEBUG": "0",
        "CADENZA_HTTPS": "0",
        "LIVE_HUB_PREFIX": "bench",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CADENZA_TESTING", None)
    env.pop("HUEY_IMMEDIATE", None)
    db = Database(args.database_url, env)
    started = datetime.now(UTC)
    report: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "machine": versions(),
        "load_at_start": load_average(),
        "node_skipped": skipped,
        "logs": str(logdir),
        "scenarios": [],
    }
    print(f"bench-live: logs in {logdir}; load average {load_average()}", flush=True)
    try:
        for scenario in scenarios(args):
            print(f"\n## {scenario.name}: {scenario.participants} participants", flush=True)
            entry: dict[str, Any] = {"scenario": scenario.name, "systems": []}
            report["scenarios"].append(entry)
            for system in systems:
                if system == "cadenza":
                    entry["systems"].append(cadenza(scenario, args, env, db, logdir))
                elif system == "channels":
                    entry["systems"].append(channels(scenario, args, env, logdir))
                elif system == "node":
                    entry["systems"].append(node(scenario, args, env, logdir))
    finally:
        db.drop()
    report["load_at_end"] = load_average()
    print(f"\nbench-live {report['started']}, load average {report['load_at_end']}")
    print(HEADER)
    for entry in report["scenarios"]:
        for result in entry["systems"]:
            for phase in result["phases"]:
                print(
                    row(
                        result["system"],
                        phase,
                        result["memory_per_connection_bytes"],
                        result["participants"],
                    )
                )
    out = ROOT / "bench" / "results" / f"live-{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"\nraw figures: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

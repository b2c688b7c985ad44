"""Page benchmark: Cadenza's main pages against a bare Django page, same box, same run.

``make bench-pages`` (or ``.venv/bin/python bench/pages.py``) builds a throw-away data folder,
runs ``cadenza migrate``, ``cadenza collectstatic`` and ``cadenza demo`` with ``DEBUG=0
CADENZA_HTTPS=0``, starts ``cadenza serve --no-tasks`` (uvicorn, one process) and the bare
project of ``bench/bare_django`` behind the same uvicorn, logs in over HTTP and loads each page
with a fixed number of keep-alive clients for a fixed time (``bench/loadgen.py``, its own
process). It prints a Markdown table and writes the raw figures to
``bench/results/pages-<timestamp>.json``.

With ``DATABASE_URL=postgres://...`` both projects run on PostgreSQL (through Django's pool, as
DESIGN section 6 requires); the named database, and ``<name>_bare`` for the bare project, are
dropped and created afresh. Without it both run on SQLite files in the data folder.

``--before-pythonpath /path/to/other-tree/src`` starts a second Cadenza server running another
work tree's code (main's, say) on the same database, and loads each page on it just before this
tree's server: before and after in one run, against the same bare page.

This is not a test: speed targets live here and in docs/performance.md, never in the suite.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
ORG = "riverside"
COURSE = "sepsis-protocol"


@dataclass(frozen=True, slots=True)
class Page:
    """One benchmarked page: its name, server, path and the cookies of its clients."""

    name: str
    port: int
    server_pid: int
    path: str
    cookies: list[str]
    queries: int


def run(command: list[str], env: Mapping[str, str], *, cwd: Path = ROOT) -> str:
    """Run a set-up command; its output, or exit with it when it fails."""
    done = subprocess.run(command, env=dict(env), cwd=cwd, capture_output=True, text=True)  # noqa: S603 - ours
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def recreate_database(url: str) -> None:
    """Drop and create the database named in ``url`` (PostgreSQL), so every run starts fresh."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        name = sql.Identifier(parts.path.lstrip("/"))
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def with_database_name(url: str, suffix: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path + suffix))


def wait_until_up(port: int, path: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"The server on port {port} exited:\n{log.read_text()}")
        try:
            status, _, _ = request(port, "GET", path)
        except OSError:
            time.sleep(0.2)
            continue
        if status == 200:
            return
        time.sleep(0.2)
    sys.exit(f"The server on port {port} did not answer {path} with 200 within 60 s")


def request(
    port: int, method: str, path: str, *, cookie: str = "", form: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    """One request on a new connection: (status, Set-Cookie values by name, body)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        cookies: dict[str, str] = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            cookies.update({name: morsel.value for name, morsel in jar.items()})
        return response.status, cookies, text
    finally:
        connection.close()


def log_in(port: int, email: str, password: str) -> str:
    """Log in through the form, as a browser does; the ``Cookie`` header of the session."""
    status, cookies, body = request(port, "GET", "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or token is None or "csrftoken" not in cookies:
        sys.exit(f"The log-in page answered {status} without a CSRF token")
    form = {"csrfmiddlewaretoken": token[1], "username": email, "password": password}
    csrf = f"csrftoken={cookies['csrftoken']}"
    status, cookies, _ = request(port, "POST", "/accounts/login/", cookie=csrf, form=form)
    if status != 302 or "sessionid" not in cookies:
        sys.exit(f"Logging in as {email} answered {status}")
    return f"sessionid={cookies['sessionid']}; {csrf}"


@contextmanager
def server(
    command: list[str], env: Mapping[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server process, its output to ``log``; stopped (SIGINT) on the way out."""
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own server commands
            command, env=dict(env), cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def load(page: Page, *, warmup: float, duration: float) -> dict[str, Any]:
    """Run the load generator on ``page`` in its own process; its raw result."""
    job = {
        "host": HOST,
        "port": page.port,
        "path": page.path,
        "cookies": page.cookies,
        "warmup_seconds": warmup,
        "duration_seconds": duration,
        "server_pid": page.server_pid,
    }
    done = subprocess.run(  # noqa: S603 - our own load generator
        [sys.executable, str(BENCH_DIR / "loadgen.py")],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"The load generator failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def summary(page: Page, raw: dict[str, Any]) -> dict[str, Any]:
    latencies: list[float] = sorted(raw["latencies_ms"])

    def percentile(share: float) -> float:
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))]

    return {
        "page": page.name,
        "path": page.path,
        "queries": page.queries,
        "requests": raw["requests"],
        "errors": raw["errors"],
        "statuses": raw["statuses"],
        "req_per_s": raw["requests"] / raw["seconds"] if raw["seconds"] else 0.0,
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
        "mean_ms": statistics.fmean(latencies) if latencies else 0.0,
        "kib_per_response": raw["response_bytes"] / max(len(latencies), 1) / 1024,
        "server_cpu_percent": raw["server_cpu_percent"],
        "loadgen_cpu_percent": raw["loadgen_cpu_percent"],
        # Server CPU time per request: the cost of a page, little moved by other load.
        "server_cpu_ms_per_request": 10.0
        * raw["server_cpu_percent"]
        * raw["seconds"]
        / max(raw["requests"], 1),
        "postgres_cpu_percent": raw["postgres_cpu_percent"],
        "machine_cpu_percent": raw["machine_cpu_percent"],
        # Whatever else ran on the machine meanwhile: near 0 for a clean measurement.
        "other_cpu_percent": raw["machine_cpu_percent"]
        - raw["server_cpu_percent"]
        - raw["loadgen_cpu_percent"]
        - raw["postgres_cpu_percent"],
        "seconds": raw["seconds"],
    }


def markdown(rows: list[dict[str, Any]], baseline: float) -> str:
    lines = [
        "| Page | Queries | Requests | Errors | req/s | vs bare | p50 ms | p99 ms "
        "| KiB | Server CPU | CPU ms/req | PostgreSQL CPU | Load gen CPU | Other CPU |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        ratio = row["req_per_s"] / baseline if baseline else 0.0
        lines.append(
            f"| {row['page']} | {row['queries']} | {row['requests']} | {row['errors']} "
            f"| {row['req_per_s']:.0f} | {ratio:.2f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} "
            f"| {row['kib_per_response']:.1f} | {row['server_cpu_percent']:.0f} % "
            f"| {row['server_cpu_ms_per_request']:.1f} "
            f"| {row['postgres_cpu_percent']:.0f} % | {row['loadgen_cpu_percent']:.0f} % "
            f"| {row['other_cpu_percent']:.0f} % |"
        )
    return "\n".join(lines)


def busy_percent(seconds: float = 3.0) -> float:
    """How busy the machine is while the benchmark has not started (% of one core)."""
    ticks = os.sysconf("SC_CLK_TCK")

    def sample() -> float:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        return (sum(values[:8]) - values[3] - values[4]) / ticks

    before = sample()
    time.sleep(seconds)
    return 100.0 * (sample() - before) / seconds


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    memory = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE)
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model[1] if model else "unknown",
        "memory_gib": round(int(memory[1]) / 1024 / 1024, 1) if memory else None,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load_average_before": os.getloadavg(),
        "busy_percent_before": busy_percent(),
    }


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16, help="concurrent connections")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds measured per page")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--keep", action="store_true", help="keep the data folder and database")
    parser.add_argument(
        "--before-pythonpath",
        default="",
        help="the src folder of another work tree (e.g. main's): a second Cadenza server runs "
        "that code on the same database, and each page is loaded on it, then on this one",
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    engine = "postgresql" if database_url.startswith("postgres") else "sqlite"
    started = datetime.now(UTC)
    host_facts = machine()
    if host_facts["busy_percent_before"] > 20:
        print(
            f"Warning: the machine is already busy ({host_facts['busy_percent_before']:.0f} % of "
            "a core) before the benchmark starts; the figures will be low.",
            file=sys.stderr,
        )
    data_dir = Path(tempfile.mkdtemp(prefix="cadenza-bench-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CADENZA_TESTING", "HUEY_IMMEDIATE", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"CADENZA_DATA_DIR": str(data_dir / "cadenza"), "DEBUG": "0", "CADENZA_HTTPS": "0"})
    bare_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "bare_django.settings",
        "BARE_DATA_DIR": str(data_dir / "bare"),
        "PYTHONPATH": str(BENCH_DIR),
    }
    if engine == "postgresql":
        bare_env["DATABASE_URL"] = with_database_name(database_url, "_bare")
        recreate_database(database_url)
        recreate_database(bare_env["DATABASE_URL"])
    cadenza = str(BIN / "cadenza")
    try:
        print(f"Preparing {engine} databases in {data_dir} ...", file=sys.stderr)
        run([cadenza, "migrate", "--no-input", "--verbosity", "0"], env)
        run([cadenza, "collectstatic", "--no-input", "--verbosity", "0"], env)
        demo = run([cadenza, "demo"], env)
        password = re.search(r"with the password: (\S+)", demo)
        instructor = re.search(r"^\s*Instructor\s+(\S+@\S+)", demo, re.MULTILINE)
        if password is None or instructor is None:
            sys.exit(f"Unexpected `cadenza demo` output:\n{demo}")
        probe = [sys.executable, str(BENCH_DIR / "probe.py")]
        facts = json.loads(
            run([*probe, "cadenza", "--instructor", instructor[1]], env, cwd=BENCH_DIR)
        )
        if args.before_pythonpath:
            before_env = {**env, "PYTHONPATH": args.before_pythonpath}
            before = json.loads(
                run([*probe, "cadenza", "--instructor", instructor[1]], before_env, cwd=BENCH_DIR)
            )
            facts["queries_before"] = before["queries"]
        run([str(BIN / "django-admin"), "migrate", "--no-input", "--verbosity", "0"], bare_env)
        facts["queries"].update(json.loads(run([*probe, "bare"], bare_env))["queries"])
        rows = serve_and_measure(args, env, bare_env, data_dir, facts, password[1], instructor[1])
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
            if engine == "postgresql":
                drop_database(database_url)
                drop_database(bare_env["DATABASE_URL"])
    baseline = rows[0]["req_per_s"]
    table = markdown(rows, baseline)
    print(table)
    results = BENCH_DIR / "results"
    results.mkdir(exist_ok=True)
    out = results / f"pages-{started:%Y%m%dT%H%M%SZ}-{engine}.json"
    out.write_text(
        json.dumps(
            {
                "started": started.isoformat(),
                "engine": engine,
                "clients": args.clients,
                "warmup_seconds": args.warmup,
                "duration_seconds": args.duration,
                "machine": host_facts,
                "demo_units": facts["units"],
                "before_pythonpath": args.before_pythonpath,
                "pythonpath": os.environ.get("PYTHONPATH", ""),
                "markdown": table,
                "pages": rows,
            },
            indent=2,
        )
    )
    print(f"\nRaw results: {out.relative_to(ROOT)}", file=sys.stderr)


def serve_and_measure(
    args: argparse.Namespace,
    env: dict[str, str],
    bare_env: dict[str, str],
    data_dir: Path,
    facts: dict[str, Any],
    password: str,
    instructor: str,
) -> list[dict[str, Any]]:
    """Start the servers, log in, check every page answers, then load each page in turn.

    With ``--before-pythonpath`` a second Cadenza server runs the other work tree's code on
    the same database and sessions, and each page is loaded on it just before this tree's
    ("before" then "after"), so both are measured against the same bare page, minutes apart.
    """
    port, bare_port, before_port = free_port(), free_port(), free_port()
    cadenza_command = [str(BIN / "cadenza"), "serve", "--no-tasks", "--host", HOST]
    bare_command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bare_django.asgi:application",
        "--host",
        HOST,
        "--port",
        str(bare_port),
        "--proxy-headers",
        "--ws-per-message-deflate",
        "false",
    ]
    with ExitStack() as servers:
        main = servers.enter_context(
            server([*cadenza_command, "--port", str(port)], env, data_dir / "cadenza.log")
        )
        bare_server = servers.enter_context(server(bare_command, bare_env, data_dir / "bare.log"))
        wait_until_up(port, "/healthz", main, data_dir / "cadenza.log")
        wait_until_up(bare_port, "/", bare_server, data_dir / "bare.log")
        before_server = None
        if args.before_pythonpath:
            before_env = {**env, "PYTHONPATH": args.before_pythonpath}
            before_log = data_dir / "cadenza-before.log"
            before_server = servers.enter_context(
                server([*cadenza_command, "--port", str(before_port)], before_env, before_log)
            )
            wait_until_up(before_port, "/healthz", before_server, before_log)
        learners: list[str] = facts["learners"]
        print(f"Logging in {args.clients} learners and the instructor ...", file=sys.stderr)
        learner_cookies = [
            log_in(port, learners[i % len(learners)], password) for i in range(args.clients)
        ]
        staff_cookies = [log_in(port, instructor, password)] * args.clients
        paths = facts["paths"]

        def page(name: str, key: str, cookies: list[str]) -> list[Page]:
            after = Page(name, port, main.pid, paths[key], cookies, facts["queries"][key])
            if before_server is None:
                return [after]
            before = replace(
                after,
                name=f"{name} (before)",
                port=before_port,
                server_pid=before_server.pid,
                queries=facts["queries_before"][key],
            )
            return [before, replace(after, name=f"{name} (after)")]

        anonymous = [""] * args.clients
        bare = Page(
            "bare Django page", bare_port, bare_server.pid, "/", anonymous, facts["queries"]["bare"]
        )
        pages = [
            bare,
            *page("learner dashboard", "dashboard", learner_cookies),
            *page("course outline", "outline", learner_cookies),
            *page("reading unit", "reading", learner_cookies),
            *page("knowledge-check unit", "check", learner_cookies),
            *page("staff progress table", "progress", staff_cookies),
            replace(bare, name="bare Django page (again, last)"),
        ]
        for each in pages:
            for cookie in set(each.cookies):
                status, _, _ = request(each.port, "GET", each.path, cookie=cookie)
                if status != 200:
                    sys.exit(f"{each.name} ({each.path}) answered {status} before the load")
        rows = []
        for each in pages:
            print(f"Loading {each.name} ({each.path}) ...", file=sys.stderr)
            rows.append(summary(each, load(each, warmup=args.warmup, duration=args.duration)))
        return rows


if __name__ == "__main__":
    main()

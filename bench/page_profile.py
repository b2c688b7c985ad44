"""Server CPU per page, in-process: what each benchmarked page costs and where the time goes.

``.venv/bin/python bench/page_profile.py`` builds the demo in a throw-away data folder (``cadenza
migrate``, ``collectstatic``, ``demo`` with ``DEBUG=0 CADENZA_HTTPS=0``, as ``bench/pages.py``
does), logs in as the first demo learner (and the instructor, for the progress table) with
Django's test client and, for each page, runs ``--requests`` requests after a warm-up and prints
the CPU time per request (``time.process_time``: other load on the machine moves it less than
wall time, but a busy 2-core machine still inflates it) and the Python function calls per
request (counted by cProfile: exact, whatever the load). The bare page of ``bench/bare_django``
is measured the same way in a child process with its own settings. ``--top N`` adds a
cProfile of each page (the N costliest functions by their own time, and by cumulative time).

``--data DIR`` keeps the built data folder in DIR and reuses it on the next run, so a work tree
of another commit (``PYTHONPATH=/path/to/other/src``) can be measured on the same database:
alternate the two to compare before and after. ``--html DIR`` writes the HTML of every page of
the demo course (dashboard, outline, every unit) for several people, with CSRF tokens, nonces
and ``datetime`` attributes blanked, so two trees' pages can be compared byte for byte
(``diff -r``).

This is not a test: figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
ORG = "riverside"
COURSE = "sepsis-protocol"
PAGES = ("dashboard", "outline", "reading", "check", "progress")


def _build(data: Path) -> dict[str, str]:
    """The environment of a Cadenza process on ``data``; builds the demo there once."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CADENZA_TESTING", "HUEY_IMMEDIATE", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"CADENZA_DATA_DIR": str(data / "cadenza"), "DEBUG": "0", "CADENZA_HTTPS": "0"})
    facts_file = data / "demo.json"
    if not facts_file.exists():
        cadenza = str(BIN / "cadenza")
        for command in (
            [cadenza, "migrate", "--no-input", "--verbosity", "0"],
            [cadenza, "collectstatic", "--no-input", "--verbosity", "0"],
        ):
            subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603
        demo = subprocess.run(  # noqa: S603 - ours
            [cadenza, "demo"], env=env, check=True, capture_output=True, text=True
        ).stdout
        instructor = re.search(r"^\s*Instructor\s+(\S+@\S+)", demo, re.MULTILINE)
        if instructor is None:
            sys.exit(f"Unexpected `cadenza demo` output:\n{demo}")
        bare_env = {**_bare_env(env, data)}
        subprocess.run(  # noqa: S603 - ours
            [str(BIN / "django-admin"), "migrate", "--no-input", "--verbosity", "0"],
            env=bare_env,
            check=True,
            capture_output=True,
        )
        facts_file.write_text(json.dumps({"instructor": instructor[1]}))
    return env


def _bare_env(env: dict[str, str], data: Path) -> dict[str, str]:
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "bare_django.settings",
        "BARE_DATA_DIR": str(data / "bare"),
        "PYTHONPATH": str(BENCH_DIR),
    }


def _measure(client: Any, path: str, *, requests: int, top: int) -> dict[str, Any]:
    """CPU ms per request of ``path`` (after a warm-up), and a profile when ``top`` is set."""
    for _ in range(max(10, requests // 5)):
        response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")
    started = time.process_time()
    for _ in range(requests):
        client.get(path)
    cpu_ms = 1000 * (time.process_time() - started) / requests
    # Python function calls per request: a proxy of the CPU cost that other load on the
    # machine does not move, so before and after compare exactly.
    counted = requests if top else 20
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(counted):
        client.get(path)
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    result: dict[str, Any] = {
        "path": path,
        "cpu_ms": round(cpu_ms, 2),
        "calls": round(stats.total_calls / counted),  # type: ignore[attr-defined]
    }
    if top:
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats(top)
        result["profile"] = out.getvalue()
    return result


def _inner_bare(requests: int, top: int) -> dict[str, Any]:
    import django
    from django.test import Client

    django.setup()
    return {"bare": _measure(Client(HTTP_HOST="127.0.0.1"), "/", requests=requests, top=top)}


def _inner_cadenza(
    instructor: str, requests: int, top: int, pages: list[str], html: str
) -> dict[str, Any]:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "cadenza.config.settings"
    django.setup()
    from django.test import Client

    from cadenza.accounts.models import User

    sys.path.insert(0, str(BENCH_DIR))
    from probe import probe_cadenza

    facts = probe_cadenza(org_slug=ORG, course_slug=COURSE, instructor_email=instructor)
    if html:
        _write_html(Path(html), facts["learners"], instructor)
    learner = Client(HTTP_HOST="127.0.0.1")
    learner.force_login(User.objects.get(email=facts["learners"][0]))
    staff = Client(HTTP_HOST="127.0.0.1")
    staff.force_login(User.objects.get(email=instructor))
    results = {}
    for name in pages:
        client = staff if name == "progress" else learner
        results[name] = _measure(client, facts["paths"][name], requests=requests, top=top)
        results[name]["queries"] = facts["queries"][name]
    return results


_VOLATILE = (
    (
        re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'),
        'name="csrfmiddlewaretoken" value=""',
    ),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    (re.compile(r'datetime="[^"]*"'), 'datetime=""'),
    (re.compile(r'data-csrf="[^"]*"'), 'data-csrf=""'),
    (re.compile(r'"X-CSRFToken": "[^"]*"'), '"X-CSRFToken": ""'),
)


def _write_html(folder: Path, learners: list[str], instructor: str) -> None:
    """Every page of the demo course as five people see it, volatile attributes blanked."""
    from django.test import Client

    from cadenza.accounts.models import User
    from cadenza.courses.models import Unit

    folder.mkdir(parents=True, exist_ok=True)
    base = f"/o/{ORG}/"
    course = f"{base}courses/{COURSE}/"
    units = Unit.objects.filter(course__org__slug=ORG, course__slug=COURSE).order_by("id")
    paths = {"dashboard": base, "outline": course}
    paths.update({f"unit-{unit.pk}": f"{course}units/{unit.pk}/" for unit in units})
    paths_staff = {**paths, "progress": f"{base}teach/courses/{COURSE}/progress/"}
    for email in [*learners[:4], instructor]:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(email=email))
        for name, path in (paths_staff if email == instructor else paths).items():
            response = client.get(path)
            text = response.content.decode()
            for pattern, blank in _VOLATILE:
                text = pattern.sub(blank, text)
            (folder / f"{email.split('@')[0]}--{name}.html").write_text(
                f"{response.status_code}\n{text}"
            )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="", help="data folder to build once and reuse")
    parser.add_argument("--requests", type=int, default=100, help="requests measured per page")
    parser.add_argument("--top", type=int, default=0, help="print a cProfile top-N per page")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated pages")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare page")
    parser.add_argument("--html", default="", help="write every page's HTML to this folder")
    parser.add_argument("--inner", choices=["cadenza", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--instructor", default="", help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.inner == "bare":
        json.dump(_inner_bare(args.requests, args.top), sys.stdout)
        return
    if args.inner == "cadenza":
        pages = [name for name in args.pages.split(",") if name]
        results = _inner_cadenza(args.instructor, args.requests, args.top, pages, args.html)
        json.dump(results, sys.stdout)
        return
    data = Path(args.data or tempfile.mkdtemp(prefix="cadenza-profile-"))
    data.mkdir(parents=True, exist_ok=True)
    env = _build(data)
    instructor = json.loads((data / "demo.json").read_text())["instructor"]
    me = [sys.executable, str(Path(__file__).resolve())]
    common = ["--requests", str(args.requests), "--top", str(args.top)]
    results: dict[str, Any] = {}
    if not args.no_bare:
        done = subprocess.run(  # noqa: S603 - ourselves
            [*me, "--inner", "bare", *common],
            env=_bare_env(env, data),
            check=True,
            capture_output=True,
            text=True,
        )
        results.update(json.loads(done.stdout))
    done = subprocess.run(  # noqa: S603 - ourselves
        [*me, "--inner", "cadenza", "--instructor", instructor, "--pages", args.pages, *common]
        + (["--html", args.html] if args.html else []),
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    results.update(json.loads(done.stdout))
    bare = results.get("bare", {}).get("cpu_ms")
    print(f"PYTHONPATH={os.environ.get('PYTHONPATH', '')}  load average {os.getloadavg()[0]:.2f}")
    print("| Page | Queries | CPU ms/request | bare / page | Python calls/request |")
    print("|---|--:|--:|--:|--:|")
    for name, row in results.items():
        ratio = f"{bare / row['cpu_ms']:.2f}" if bare else ""
        print(
            f"| {name} | {row.get('queries', '')} | {row['cpu_ms']:.2f} | {ratio} "
            f"| {row['calls']} |"
        )
    for name, row in results.items():
        if "profile" in row:
            print(f"\n## {name} ({row['path']})\n{row['profile']}")


if __name__ == "__main__":
    main()

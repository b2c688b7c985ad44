"""Settings are read from the environment in one place, ``cadenza.config.settings`` (with the
helpers of ``cadenza.lib.environment`` it calls): the rest of the code takes them from
``django.conf.settings``, so a value is checked once, at start-up, and a test can override it.
The entry points may only name the settings module (``DJANGO_SETTINGS_MODULE``)."""

from __future__ import annotations

import ast
from pathlib import Path

import cadenza

SOURCE = Path(cadenza.__file__).parent
READERS = {"config/settings.py", "lib/environment.py"}


def _reads_of_the_environment(tree: ast.AST) -> list[int]:
    """Lines that touch ``os.environ`` or call ``os.getenv``, but for
    ``os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)``."""
    allowed: set[int] = set()
    found: list[int] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "setdefault"
            and ast.unparse(node.func.value) == "os.environ"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value == "DJANGO_SETTINGS_MODULE"
        ):
            allowed.add(id(node.func.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and ast.unparse(node) in {"os.environ", "os.getenv"}:
            touches = id(node) not in allowed
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            touches = any(alias.name in {"environ", "getenv"} for alias in node.names)
        else:
            continue
        if touches:
            found.append(node.lineno)
    return sorted(found)


def test_only_settings_read_the_environment() -> None:
    readers = {}
    for path in sorted(SOURCE.rglob("*.py")):
        name = path.relative_to(SOURCE).as_posix()
        if name in READERS:
            continue
        lines = _reads_of_the_environment(ast.parse(path.read_text(), filename=name))
        if lines:
            readers[name] = lines
    assert readers == {}

"""The fixtures tests/conftest.py registers for the whole suite (``pytest_plugins``) are asked
for by name: no test module imports them again (a second registration in that module, kept
alive by an ``__all__`` or a ``noqa`` so that the linters let it be)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests import conftest

TESTS = Path(__file__).parent


def _fixtures_defined_in(path: Path) -> set[str]:
    return {
        node.name
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.FunctionDef)
        and any(ast.unparse(d).startswith("pytest.fixture") for d in node.decorator_list)
    }


def _suite_fixtures() -> dict[str, set[str]]:
    """Each plugin module of tests/conftest.py and the names of the fixtures it defines."""
    return {
        plugin: _fixtures_defined_in(TESTS.parent / (plugin.replace(".", "/") + ".py"))
        for plugin in conftest.pytest_plugins
    }


def test_no_test_module_imports_a_suite_wide_fixture() -> None:
    fixtures = _suite_fixtures()
    assert fixtures == {"tests.private_redis": {"private_redis_server", "private_redis_url"}}
    imported = {}
    for path in sorted(TESTS.rglob("*.py")):
        name = path.relative_to(TESTS).as_posix()
        for node in ast.walk(ast.parse(path.read_text(), filename=name)):
            if isinstance(node, ast.ImportFrom) and node.module in fixtures:
                names = sorted(a.name for a in node.names if a.name in fixtures[node.module])
                if names:
                    imported[name] = names
    assert imported == {}

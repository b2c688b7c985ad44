"""What ``collectstatic`` ships: the product's own static files, never the test tools'.

axe-core (654 KB) is loaded only by the browser tests (``tests/browser/axe.py``), so it lives
in ``tests/browser/vendor/``, outside every static folder; htmx, which pages load, ships."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from pytest_django.fixtures import Settings

from tests.browser.axe import AXE_SOURCE, AXE_VERSION


def test_collectstatic_ships_htmx_and_not_axe_core(settings: Settings, tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    shipped = sorted(
        str(path.relative_to(settings.STATIC_ROOT)) for path in settings.STATIC_ROOT.rglob("*")
    )
    assert "web/vendor/htmx-2.0.4.min.js" in shipped
    assert [name for name in shipped if "axe" in name.lower()] == []


def test_the_browser_tests_have_their_own_copy_of_axe_core() -> None:
    beside_the_tests = Path(__file__).resolve().parents[1] / "browser/vendor"
    assert beside_the_tests / f"axe-core-{AXE_VERSION}.min.js" == AXE_SOURCE
    assert AXE_SOURCE.stat().st_size > 600_000
    assert AXE_SOURCE.read_text(encoding="utf-8").startswith("/*! axe v4.14.1")

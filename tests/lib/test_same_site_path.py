"""Only a path of this site is a place to go after a form; anything else is refused."""

from __future__ import annotations

import pytest

from cadenza.lib.same_site_path import same_site_path


@pytest.mark.parametrize(
    "path", ["/o/harbour/live/7/", "/o/harbour/courses/sepsis/?tab=units#top", "/"]
)
def test_a_path_of_this_site_is_kept(path: str) -> None:
    assert same_site_path(path) == path


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example/o/harbour/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "o/harbour/live/7/",
        "/o/harbour/\nSet-Cookie: x=1",
        "/o/harbour/\x7f",
        "///evil.example",
    ],
)
def test_anything_else_is_refused(value: str | None) -> None:
    assert same_site_path(value) is None

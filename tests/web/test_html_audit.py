"""The audit itself: what it reports on a clean page and on each kind of mistake."""

from __future__ import annotations

from tests.web.html_audit import audit

CLEAN = """<!doctype html><html lang="en"><head><title>Catalog</title></head><body>
<a class="skip-link" href="#main">Skip to content</a>
<nav aria-label="Main"><a href="/"><img src="/logo" alt="">Riverside</a></nav>
<main id="main"><h1>Catalog</h1>
<form><label for="q">Search</label><input id="q" name="q">
<label><input type="checkbox" name="open"> Open only</label>
<input type="hidden" name="page" value="1">
<select aria-label="Sort"><option>Title</option></select>
<span id="notes-label">Notes</span><textarea aria-labelledby="notes-label"></textarea>
<button type="submit"><span class="visually-hidden">Search</span></button>
<button type="button" aria-label="Close"></button></form>
<div class="table-wrap"><table><tr><td>1</td></tr></table></div>
<div class="prose"><table><tr><td>2</td></tr></table></div>
</main></body></html>"""

BROKEN = """<!doctype html><html><head><title> </title></head><body>
<main><h1>One</h1><h1>Two</h1>
<input id="a" name="a"><input id="a" type="email"><select name="s"></select><textarea></textarea>
<textarea aria-labelledby="missing"></textarea>
<img src="/x.png"><button></button><a href="/next"></a>
<span tabindex="2">x</span><span tabindex="0">y</span><span tabindex="-1">z</span>
<table><tr><td>wide</td></tr></table>
</main><main></main></body></html>"""


def test_a_clean_page_has_no_problems() -> None:
    assert audit(CLEAN) == []


def test_each_mistake_is_reported_once() -> None:
    assert audit(BROKEN) == [
        "<img> has no alt attribute",
        "<button> has no text and no aria-label",
        '<a href="/next"> has no text and no aria-label',
        "<span> has a positive tabindex (2)",
        "<table> is not inside a .table-wrap (it would widen the page)",
        "<html> has no lang",
        "expected one non-empty <title>, found [' ']",
        "expected exactly one <h1>, found 2",
        "expected exactly one <main>, found 2",
        'id="a" is used 2 times',
        '<input name="a" id="a"> has no label',
        '<input type="email" id="a"> has no label',
        '<select name="s"> has no label',
        "<textarea> has no label",
        "<textarea> has no label",  # its aria-labelledby names no element
    ]


def test_a_page_without_a_skip_link_to_main_is_reported() -> None:
    page = CLEAN.replace('href="#main"', 'href="#content"')
    assert audit(page) == ["no skip link before <main> pointing to it (#main)"]

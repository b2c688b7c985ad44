"""Author-written Markdown is rendered and sanitized with an allow-list."""

from __future__ import annotations

from cadenza.lib.markdown import render_markdown


def test_markdown_renders_tables_and_emphasis() -> None:
    html = render_markdown("**qSOFA** score\n\n| sign | points |\n| --- | --- |\n| RR >= 22 | 1 |")
    assert "<strong>qSOFA</strong>" in html
    assert "<td>RR &gt;= 22</td>" in html


def test_scripts_and_event_handlers_are_removed() -> None:
    html = render_markdown('<script>alert(1)</script><img src="x.png" onerror="alert(2)">')
    assert html.strip() == '<p><img src="x.png"></p>'


def test_javascript_links_lose_their_target_and_links_get_safe_rel() -> None:
    html = render_markdown("[bad](javascript:alert(1)) [good](https://example.org)")
    assert html == (
        '<p><a rel="noopener noreferrer nofollow">bad</a> '
        '<a href="https://example.org" rel="noopener noreferrer nofollow">good</a></p>'
    )


def test_headings_start_below_the_pages_own_title() -> None:
    html = render_markdown("# Recognising sepsis\n\n## qSOFA")
    assert html == "<h2>Recognising sepsis</h2>\n<h3>qSOFA</h3>"


def test_code_blocks_can_be_scrolled_from_the_keyboard_and_user_links_say_ugc() -> None:
    html = render_markdown(
        "    x = 1\n\n[a](https://example.org)", link_rel="nofollow ugc noopener"
    )
    assert html == (
        '<pre tabindex="0"><code>x = 1\n</code></pre>\n'
        '<p><a href="https://example.org" rel="nofollow ugc noopener">a</a></p>'
    )

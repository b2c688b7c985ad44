"""Markdown rendered, then sanitized with an allow-list (DESIGN section 4, "Bad input")."""

from __future__ import annotations

from functools import lru_cache

import markdown as markdown_lib
import nh3

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s",
    "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align", "scope"},
    "abbr": {"title"},
}


AUTHOR_LINK_REL = "noopener noreferrer nofollow"
"""Links written by a course's authors (readings, summaries)."""
USER_CONTENT_LINK_REL = "nofollow ugc noopener"
"""Links written by any member (forum posts): marked as user-generated content."""


@lru_cache(maxsize=1024)
def render_markdown(text: str, *, link_rel: str = AUTHOR_LINK_REL) -> str:
    """Render author-written Markdown to HTML that is safe to show to anyone.

    Raw HTML in the source is not trusted: whatever Markdown lets through is filtered by nh3
    (scripts, event handlers, ``javascript:`` links and styles are removed); links get
    ``rel="noopener noreferrer nofollow"`` (``link_rel``: forum posts' say ``ugc``). A code
    block gets ``tabindex="0"`` so that it can be scrolled from the keyboard.
    """
    html = markdown_lib.markdown(
        text,
        extensions=["extra", "sane_lists", "toc"],
        # The page owns its one <h1>; an author's "# Title" becomes an <h2>.
        extension_configs={"toc": {"baselevel": 2}},
        output_format="html",
    )
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=link_rel,
        # A code block scrolls sideways on a narrow screen: keyboard users reach it (axe's
        # scrollable-region-focusable).
        set_tag_attribute_values={"pre": {"tabindex": "0"}},
    )

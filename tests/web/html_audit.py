"""A small accessibility audit of one HTML page, built on the standard library's parser.

It checks what a page's markup alone can tell: the page's language, one title, one <h1>, one
<main> with a skip link to it, a label for every form control, a name for every button and
link, an alt on every image, unique ids, no positive tabindex, and that tables scroll inside
``.table-wrap`` (or rendered Markdown, ``.prose``) rather than widening the page.
``audit(html)`` returns the problems found, each a short sentence; a clean page gives ``[]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}
# A table scrolls sideways inside these (cadenza.css), so a wide one never widens the page:
# .table-wrap around the product's tables, .prose around rendered Markdown.
SCROLLING_CONTAINERS = {"table-wrap", "prose"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


@dataclass
class _Control:
    """A form control waiting for the end of the page, where every label is known."""

    description: str
    id: str
    wrapped: bool
    labelledby: list[str]
    has_aria_label: bool


@dataclass
class _Named:
    """An element whose accessible name comes from its text (a button or a link)."""

    tag: str
    description: str
    has_aria_label: bool
    text: list[str] = field(default_factory=list)


def _describe(tag: str, attrs: dict[str, str]) -> str:
    parts = [tag]
    for key in ("type", "name", "id", "href"):
        if attrs.get(key):
            parts.append(f'{key}="{attrs[key]}"')
    return "<" + " ".join(parts) + ">"


class _Auditor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.html_lang: str | None = None
        self.titles: list[str] = []
        self.h1_count = 0
        self.main_ids: list[str] = []
        self.skip_targets: list[str] = []
        self.ids: dict[str, int] = {}
        self.label_for: set[str] = set()
        self.controls: list[_Control] = []
        self.named: list[_Named] = []
        self.open_tags: list[tuple[str, set[str]]] = []
        self.label_depth = 0
        self.in_title = False

    # The parser hands over attributes as (name, value-or-None) pairs.
    def handle_starttag(self, tag: str, pairs: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in pairs}
        self._check_element(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.open_tags.append((tag, set(attrs.get("class", "").split())))
            if tag == "label":
                self.label_depth += 1
            elif tag == "title":
                self.in_title = True
                self.titles.append("")
            elif tag in ("button", "a"):
                self.named.append(
                    _Named(tag, _describe(tag, attrs), bool(attrs.get("aria-label", "").strip()))
                )

    def handle_startendtag(self, tag: str, pairs: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in pairs}
        self._check_element(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            return
        for index in range(len(self.open_tags) - 1, -1, -1):
            if self.open_tags[index][0] == tag:
                del self.open_tags[index:]
                break
        if tag == "label":
            self.label_depth = max(0, self.label_depth - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in ("button", "a"):
            for index in range(len(self.named) - 1, -1, -1):
                if self.named[index].tag == tag:
                    self._finish_named(self.named.pop(index))
                    break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.titles[-1] += data
        for named in self.named:
            named.text.append(data)

    def _check_element(self, tag: str, attrs: dict[str, str]) -> None:
        element_id = attrs.get("id", "")
        if element_id:
            self.ids[element_id] = self.ids.get(element_id, 0) + 1
        tabindex = attrs.get("tabindex", "").strip()
        if tabindex.lstrip("-").isdigit() and int(tabindex) > 0:
            self.problems.append(f"{_describe(tag, attrs)} has a positive tabindex ({tabindex})")
        if tag == "html":
            self.html_lang = attrs.get("lang", "").strip()
        elif tag == "h1":
            self.h1_count += 1
        elif tag == "main" or attrs.get("role") == "main":
            self.main_ids.append(element_id)
        elif tag == "a" and attrs.get("href", "").startswith("#") and not self.main_ids:
            self.skip_targets.append(attrs["href"][1:])
        elif tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        elif tag == "img":
            if "alt" not in attrs:
                self.problems.append(f"{_describe(tag, attrs)} has no alt attribute")
            for named in self.named:
                named.text.append(attrs.get("alt", ""))
        elif tag == "table" and not any(
            classes & SCROLLING_CONTAINERS for _tag, classes in self.open_tags
        ):
            self.problems.append("<table> is not inside a .table-wrap (it would widen the page)")
        if tag in ("select", "textarea") or (
            tag == "input" and attrs.get("type", "text").lower() not in UNLABELLED_INPUT_TYPES
        ):
            self.controls.append(
                _Control(
                    description=_describe(tag, attrs),
                    id=element_id,
                    wrapped=self.label_depth > 0,
                    labelledby=attrs.get("aria-labelledby", "").split(),
                    has_aria_label=bool(attrs.get("aria-label", "").strip()),
                )
            )

    def _finish_named(self, named: _Named) -> None:
        if not named.has_aria_label and not "".join(named.text).strip():
            self.problems.append(f"{named.description} has no text and no aria-label")

    def report(self) -> list[str]:
        problems = list(self.problems)
        if not self.html_lang:
            problems.append("<html> has no lang")
        if len(self.titles) != 1 or not self.titles[0].strip():
            problems.append(f"expected one non-empty <title>, found {self.titles}")
        if self.h1_count != 1:
            problems.append(f"expected exactly one <h1>, found {self.h1_count}")
        if len(self.main_ids) != 1:
            problems.append(f"expected exactly one <main>, found {len(self.main_ids)}")
        elif not self.main_ids[0] or self.main_ids[0] not in self.skip_targets:
            problems.append("no skip link before <main> pointing to it (#main)")
        for element_id, count in sorted(self.ids.items()):
            if count > 1:
                problems.append(f'id="{element_id}" is used {count} times')
        for control in self.controls:
            labelled = (
                control.wrapped
                or control.has_aria_label
                or (control.id and control.id in self.label_for)
                or (control.labelledby and all(ref in self.ids for ref in control.labelledby))
            )
            if not labelled:
                problems.append(f"{control.description} has no label")
        return problems


def audit(html: str) -> list[str]:
    """Every accessibility problem that the markup of ``html`` shows, in page order."""
    auditor = _Auditor()
    auditor.feed(html)
    auditor.close()
    return auditor.report()

"""WebVTT files (captions and subtitles): checked line by line, sanitized, written back.

Why a parser of our own: a caption file comes from a person's upload and is shown to every
learner twice, as the player's text track and as a transcript on the page. Serving the upload
as it came would pass on whatever it holds (style sheets, unknown markup, a file that only
some players read). So a file is parsed against the WebVTT syntax (W3C WebVTT, "WebVTT file
syntax"), refused with the first line that is wrong ("line 7: ..."), and only what was
understood is kept: the cues' timings, their settings, and their text with the tags of a
small safe subset (``<i>``, ``<b>``, ``<u>``, ``<v Speaker>``). Header text, ``NOTE``,
``STYLE`` and ``REGION`` blocks, cue identifiers, classes, ruby, language and timestamp tags
are dropped. ``write_webvtt`` writes the cues as a canonical file, which is what is served.

The rules, as the syntax has them:

- the file is UTF-8 (a byte order mark is allowed) and holds no control characters but tabs;
- the first line is ``WEBVTT``, alone or followed by a space or tab and any text; header
  lines may follow it up to the first blank line;
- blocks are separated by blank lines; a block is a ``NOTE`` (a comment), a ``STYLE`` or
  ``REGION`` block (before the first cue only), or a cue: an optional identifier line, the
  timing line ``start --> end [settings]``, then the cue's text, which may be empty;
- a timestamp is ``hh:mm:ss.ttt`` or ``mm:ss.ttt`` (hours of two or more digits, minutes and
  seconds 00-59, exactly three digits of milliseconds); a cue ends after it starts, and no
  cue starts before the one above it;
- settings are ``vertical``, ``line``, ``position``, ``size``, ``align`` and ``region`` with
  the values the syntax allows (``region`` is dropped with the regions);
- ``-->`` appears only in timing lines.

This module knows nothing of courses: callers pass their size limit and store the result.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from cadenza.lib.errors import DomainError
from cadenza.lib.text import find_control_character

DEFAULT_MAX_BYTES = 512 * 1024
"""Half a megabyte: about ten hours of ordinary captions."""

SAFE_TAGS = frozenset({"i", "b", "u", "v"})
"""The cue text tags kept: italics, bold, underline and the voice (speaker) span."""

_SIGNATURE = re.compile(r"^WEBVTT(?:[ \t].*)?$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TIMING = re.compile(r"^(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t]+(.*))?$")
_LOOKS_LIKE_TIMING = re.compile(r"^\s*\d+:\d")  # a timing line with a broken arrow
_NOTE = re.compile(r"^NOTE(?:[ \t]|$)")
_TIMESTAMP = re.compile(r"^(?:(\d{2,}):)?(\d{2}):(\d{2})\.(\d{3})$")
_TAG = re.compile(r"<([^>]*)(?:>|$)")
_TAG_NAME_END = re.compile(r"[ \t\n\f.]")
_SPACES = re.compile(r"\s+")
_NUMBER = r"\d+(?:\.\d+)?"
_PERCENT = rf"(?:{_NUMBER})%"
_SETTINGS: dict[str, re.Pattern[str]] = {
    "vertical": re.compile(r"^(?:rl|lr)$"),
    "line": re.compile(rf"^(?:-?{_NUMBER}|{_PERCENT})(?:,(?:start|center|end))?$"),
    "position": re.compile(rf"^{_PERCENT}(?:,(?:line-left|center|line-right))?$"),
    "size": re.compile(rf"^{_PERCENT}$"),
    "align": re.compile(r"^(?:start|center|end|left|right)$"),
    "region": re.compile(r"^\S+$"),
}
_EXAMPLE_TIMING = "00:00:01.000 --> 00:00:04.000"


class InvalidWebVTT(DomainError):
    """A file refused, with the line that is wrong (counting from 1) in its message."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"line {line}: {problem}")
        self.line = line
        self.problem = problem


class WebVTTTooLarge(DomainError):
    """A file over the caller's size limit (no line is wrong; the whole is too long)."""


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue: times in milliseconds, its settings as written back, its text as sanitized
    WebVTT markup (``<i>``, ``<b>``, ``<u>``, ``<v Name>``, entities for ``&``, ``<``, ``>``)
    and as plain text for a transcript (tags gone, entities read, a voice as ``Name: ``)."""

    start_ms: int
    end_ms: int
    settings: str
    text: str
    plain_text: str

    @property
    def start_seconds(self) -> float:
        return self.start_ms / 1000

    @property
    def end_seconds(self) -> float:
        return self.end_ms / 1000


def parse_webvtt(data: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Cue]:
    """The cues of a WebVTT file, sanitized; ``InvalidWebVTT`` names the first wrong line,
    ``WebVTTTooLarge`` a file over ``max_bytes``. A file with no cue is refused."""
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > max_bytes:
        raise WebVTTTooLarge(
            f"The file is too large ({_kilobytes(size)}); the limit is {_kilobytes(max_bytes)}."
        )
    text = _decode(data) if isinstance(data, bytes) else data
    lines = _LINE_BREAK.split(text.removeprefix("\ufeff"))
    for number, line in enumerate(lines, start=1):
        index = find_control_character(line)
        if index is not None:
            raise InvalidWebVTT(
                number,
                f"character {index + 1} is an invisible control character "
                f"(U+{ord(line[index]):04X}); remove it",
            )
    return _Parser(lines).cues()


def write_webvtt(cues: list[Cue]) -> str:
    """A canonical WebVTT file of ``cues``: the signature, then each cue's timing line (with
    hours) and text, separated by blank lines."""
    blocks = ["WEBVTT"]
    for cue in cues:
        timing = f"{format_timestamp(cue.start_ms)} --> {format_timestamp(cue.end_ms)}"
        if cue.settings:
            timing += " " + cue.settings
        blocks.append(timing + ("\n" + cue.text if cue.text else ""))
    return "\n\n".join(blocks) + "\n"


def format_timestamp(milliseconds: int) -> str:
    """``hh:mm:ss.ttt`` of a time in milliseconds."""
    seconds, millis = divmod(milliseconds, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def sanitize_cue_text(text: str) -> tuple[str, str]:
    """Cue text as (markup of the safe subset, plain text). Tags outside ``SAFE_TAGS`` go and
    their text stays; an end tag closes only a tag that is open; what is open at the end is
    closed; entities are read and ``&``, ``<`` and ``>`` written back as entities."""
    markup: list[str] = []
    plain: list[str] = []
    open_tags: list[str] = []
    position = 0
    for tag in _TAG.finditer(text):
        _add_text(text[position : tag.start()], markup, plain)
        position = tag.end()
        content = tag.group(1)
        if content.startswith("/"):
            name = _TAG_NAME_END.split(content[1:], maxsplit=1)[0]
            if name in open_tags:
                while open_tags:
                    closed = open_tags.pop()
                    markup.append(f"</{closed}>")
                    if closed == name:
                        break
            continue
        name = _TAG_NAME_END.split(content, maxsplit=1)[0]
        if name not in SAFE_TAGS:
            continue  # classes, ruby, lang, timestamps and anything unknown
        if name == "v":
            speaker = _voice(content)
            if not speaker:
                continue
            markup.append(f"<v {_escape(speaker)}>")
            plain.append(f"{speaker}: ")
        else:
            markup.append(f"<{name}>")
        open_tags.append(name)
    _add_text(text[position:], markup, plain)
    markup.extend(f"</{name}>" for name in reversed(open_tags))
    return "".join(markup), _SPACES.sub(" ", "".join(plain)).strip()


def _add_text(piece: str, markup: list[str], plain: list[str]) -> None:
    if piece:
        read = html.unescape(piece)
        markup.append(_escape(read))
        plain.append(read)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _voice(content: str) -> str:
    """The speaker named by a ``<v.class Name>`` tag's annotation, spaces collapsed."""
    parts = re.split(r"[ \t\n\f]", content, maxsplit=1)
    annotation = parts[1] if len(parts) > 1 else ""
    return _SPACES.sub(" ", html.unescape(annotation)).strip()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidWebVTT(
            line, f"the file is not UTF-8 text (byte 0x{data[error.start]:02X}); save it as UTF-8"
        ) from error


def _kilobytes(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / (1024 * 1024):.1f} MB"


class _Parser:
    """Walks the lines once, block by block; every refusal names a line (from 1)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.index = 0  # the next line to read, from 0
        self.found: list[Cue] = []

    def cues(self) -> list[Cue]:
        if not _SIGNATURE.match(self.lines[0]):
            raise InvalidWebVTT(1, 'a WebVTT file starts with the line "WEBVTT"')
        self.index = 1
        self._header()
        while self._skip_blank_lines():
            self._block()
        if not self.found:
            raise InvalidWebVTT(len(self.lines), f"the file has no cue (like {_EXAMPLE_TIMING})")
        return self.found

    def _header(self) -> None:
        while self.index < len(self.lines) and self.lines[self.index].strip():
            if "-->" in self.lines[self.index]:
                raise InvalidWebVTT(
                    self.index + 1, "leave a blank line between the header and the first cue"
                )
            self.index += 1

    def _skip_blank_lines(self) -> bool:
        while self.index < len(self.lines) and not self.lines[self.index].strip():
            self.index += 1
        return self.index < len(self.lines)

    def _take_block(self) -> list[tuple[int, str]]:
        block: list[tuple[int, str]] = []
        while self.index < len(self.lines) and self.lines[self.index].strip():
            block.append((self.index + 1, self.lines[self.index]))
            self.index += 1
        return block

    def _block(self) -> None:
        block = self._take_block()
        first_number, first = block[0]
        if _NOTE.match(first):
            for number, line in block:
                if "-->" in line:
                    raise InvalidWebVTT(number, 'a NOTE cannot contain "-->"')
            return
        if first.strip() in ("STYLE", "REGION"):
            if self.found:
                raise InvalidWebVTT(
                    first_number, f"a {first.strip()} block must come before the first cue"
                )
            for number, line in block[1:]:
                if "-->" in line:
                    raise InvalidWebVTT(number, f'a {first.strip()} block cannot contain "-->"')
            return
        if "-->" not in first:
            if _LOOKS_LIKE_TIMING.match(first) or len(block) == 1:
                raise InvalidWebVTT(first_number, f'expected cue timings like "{_EXAMPLE_TIMING}"')
            block = block[1:]  # the cue's identifier, which is not kept
        self._cue(block)

    def _cue(self, block: list[tuple[int, str]]) -> None:
        timing_number, timing = block[0]
        matched = _TIMING.match(timing.strip())
        if "-->" not in timing or matched is None:
            raise InvalidWebVTT(timing_number, f'expected cue timings like "{_EXAMPLE_TIMING}"')
        start = _timestamp(matched.group(1), timing_number)
        end = _timestamp(matched.group(2), timing_number)
        if end <= start:
            raise InvalidWebVTT(
                timing_number,
                f"the cue must end after it starts ({format_timestamp(start)} --> "
                f"{format_timestamp(end)})",
            )
        if self.found and start < self.found[-1].start_ms:
            raise InvalidWebVTT(
                timing_number,
                f"the cue starts at {format_timestamp(start)}, before the cue above it "
                f"({format_timestamp(self.found[-1].start_ms)}); put the cues in order of time",
            )
        settings = _settings(matched.group(3) or "", timing_number)
        for number, line in block[1:]:
            if "-->" in line:
                raise InvalidWebVTT(
                    number, 'cue text cannot contain "-->"; leave a blank line between cues'
                )
        text, plain = sanitize_cue_text("\n".join(line for _number, line in block[1:]))
        self.found.append(
            Cue(start_ms=start, end_ms=end, settings=settings, text=text, plain_text=plain)
        )


def _timestamp(value: str, line: int) -> int:
    matched = _TIMESTAMP.match(value)
    if matched is None:
        raise InvalidWebVTT(
            line, f'"{value}" is not a timestamp; write hh:mm:ss.ttt or mm:ss.ttt (00:01.500)'
        )
    hours, minutes, seconds, millis = (int(part or 0) for part in matched.groups())
    if minutes > 59 or seconds > 59:
        raise InvalidWebVTT(line, f'"{value}": minutes and seconds go from 00 to 59')
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def _settings(text: str, line: int) -> str:
    """The cue's settings as written back: checked, the last of each name kept, regions
    dropped (their definitions are)."""
    kept: dict[str, str] = {}
    for setting in text.split():
        name, colon, value = setting.partition(":")
        rule = _SETTINGS.get(name)
        if not colon or rule is None or not rule.match(value) or not _percent_ok(value):
            allowed = ", ".join(_SETTINGS)
            raise InvalidWebVTT(
                line, f'"{setting}" is not a cue setting (they are {allowed}, as name:value)'
            )
        kept[name] = value
    kept.pop("region", None)
    return " ".join(f"{name}:{value}" for name, value in kept.items())


def _percent_ok(value: str) -> bool:
    """A percentage (the part before a comma ending in ``%``) is at most 100."""
    number = value.split(",", 1)[0]
    return not number.endswith("%") or float(number[:-1]) <= 100

"""WebVTT files: what is read, what is kept, and the line named when a file is refused."""

from __future__ import annotations

import pytest

from cadenza.lib.webvtt import (
    Cue,
    InvalidWebVTT,
    WebVTTTooLarge,
    format_timestamp,
    parse_webvtt,
    sanitize_cue_text,
    write_webvtt,
)

LECTURE = """WEBVTT - the Hour-1 bundle
Kind: captions
Language: en

STYLE
::cue { color: red; background-image: url(https://tracker.example/pixel) }

NOTE written by the clinical education team

intro
00:01.000 --> 00:04.500 align:start position:10%
<v Dr. Okafor>Sepsis is a <i>time-critical</i> emergency.

00:00:04.500 --> 00:00:07.250
Measure <c.highlight>lactate</c> &amp; take
blood cultures.

01:02:03.004 --> 01:02:05.000 line:-1 size:80%
The end &lt;3
"""


def test_cues_keep_their_times_settings_and_safe_markup() -> None:
    cues = parse_webvtt(LECTURE)
    assert cues == [
        Cue(
            start_ms=1000,
            end_ms=4500,
            settings="align:start position:10%",
            text="<v Dr. Okafor>Sepsis is a <i>time-critical</i> emergency.</v>",
            plain_text="Dr. Okafor: Sepsis is a time-critical emergency.",
        ),
        Cue(
            start_ms=4500,
            end_ms=7250,
            settings="",
            text="Measure lactate &amp; take\nblood cultures.",
            plain_text="Measure lactate & take blood cultures.",
        ),
        Cue(
            start_ms=3723004,
            end_ms=3725000,
            settings="line:-1 size:80%",
            text="The end &lt;3",
            plain_text="The end <3",
        ),
    ]
    assert [cue.start_seconds for cue in cues] == [1.0, 4.5, 3723.004]


def test_the_file_written_back_has_no_header_style_note_or_identifier_and_reads_the_same() -> None:
    cues = parse_webvtt(LECTURE)
    written = write_webvtt(cues)
    assert written == (
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:04.500 align:start position:10%\n"
        "<v Dr. Okafor>Sepsis is a <i>time-critical</i> emergency.</v>\n\n"
        "00:00:04.500 --> 00:00:07.250\n"
        "Measure lactate &amp; take\nblood cultures.\n\n"
        "01:02:03.004 --> 01:02:05.000 line:-1 size:80%\n"
        "The end &lt;3\n"
    )
    assert parse_webvtt(written) == cues


@pytest.mark.parametrize(
    ("text", "markup", "plain"),
    [
        ("<script>alert(1)</script>Hi", "alert(1)Hi", "alert(1)Hi"),
        ('<b onclick="x()">bold</b>', "<b>bold</b>", "bold"),
        ("<i>open at the end", "<i>open at the end</i>", "open at the end"),
        ("</i>stray end tag", "stray end tag", "stray end tag"),
        ("<b><i>both</b> after", "<b><i>both</i></b> after", "both after"),
        ("<ruby>漢<rt>kan</rt></ruby>", "漢kan", "漢kan"),
        ("<lang fr>bonjour</lang> <00:00:05.000>later", "bonjour later", "bonjour later"),
        ("<v>no speaker named</v>", "no speaker named", "no speaker named"),
        ("<v.loud Ann &amp; Bo>Hi</v>", "<v Ann &amp; Bo>Hi</v>", "Ann & Bo: Hi"),
        ("<img src=x onerror=alert(1)>", "", ""),
        ("1 < 2 unterminated <b", "1 ", "1"),
        ("&lt;b&gt; is text &nbsp;&eacute;", "&lt;b&gt; is text \xa0é", "<b> is text é"),
        ("&amp;lt; stays", "&amp;lt; stays", "&lt; stays"),
    ],
)
def test_cue_text_keeps_only_the_safe_tags(text: str, markup: str, plain: str) -> None:
    assert sanitize_cue_text(text) == (markup, plain)


def test_short_and_long_timestamps_a_byte_order_mark_and_any_line_ending() -> None:
    data = "\ufeffWEBVTT\r\n\r\n00:59.999 --> 01:00.000\rOld Mac\r\r100:00:00.000 --> "
    data += "100:00:01.000\nLong\n"
    cues = parse_webvtt(data.encode())
    assert [(cue.start_ms, cue.end_ms, cue.text) for cue in cues] == [
        (59999, 60000, "Old Mac"),
        (360000000, 360001000, "Long"),
    ]
    assert format_timestamp(360000000) == "100:00:00.000"


def test_a_cue_without_text_is_kept_with_empty_text() -> None:
    cues = parse_webvtt("WEBVTT\n\n00:01.000 --> 00:02.000\n\n00:02.000 --> 00:03.000\nHi\n")
    assert [(cue.text, cue.plain_text) for cue in cues] == [("", ""), ("Hi", "Hi")]
    assert write_webvtt(cues) == (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n00:00:02.000 --> 00:00:03.000\nHi\n"
    )


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("", 'line 1: a WebVTT file starts with the line "WEBVTT"'),
        ("WEBVTTX\n", 'line 1: a WebVTT file starts with the line "WEBVTT"'),
        (
            "1\n00:00:01.000 --> 00:00:02.000\nHi\n",
            'line 1: a WebVTT file starts with the line "WEBVTT"',
        ),
        (
            "WEBVTT\n00:01.000 --> 00:02.000\nHi\n",
            "line 2: leave a blank line between the header and the first cue",
        ),
        (
            "WEBVTT\n\n00:01.000 --> 00:02.000\nFine\n\n00:02.000 -> 00:03.000\nArrow\n",
            'line 6: expected cue timings like "00:00:01.000 --> 00:00:04.000"',
        ),
        (
            "WEBVTT\n\n00:01.000 --> 00:02.000\nFine\n\nintro\nno timing here\n",
            'line 7: expected cue timings like "00:00:01.000 --> 00:00:04.000"',
        ),
        (
            "WEBVTT\n\n00:01.000 --> 00:02.000\nFine\n\njust an identifier\n",
            'line 6: expected cue timings like "00:00:01.000 --> 00:00:04.000"',
        ),
        (
            "WEBVTT\n\n\n00:01,000 --> 00:02.000\nComma\n",
            'line 4: "00:01,000" is not a timestamp; write hh:mm:ss.ttt or mm:ss.ttt (00:01.500)',
        ),
        (
            "WEBVTT\n\n0:01.000 --> 0:02.000\nOne digit\n",
            'line 3: "0:01.000" is not a timestamp; write hh:mm:ss.ttt or mm:ss.ttt (00:01.500)',
        ),
        (
            "WEBVTT\n\n00:01.5 --> 00:02.000\nShort ms\n",
            'line 3: "00:01.5" is not a timestamp; write hh:mm:ss.ttt or mm:ss.ttt (00:01.500)',
        ),
        (
            "WEBVTT\n\n00:61.000 --> 01:02.000\nSixty-one\n",
            'line 3: "00:61.000": minutes and seconds go from 00 to 59',
        ),
        (
            "WEBVTT\n\n00:05.000 --> 00:02.000\nBackwards\n",
            "line 3: the cue must end after it starts (00:00:05.000 --> 00:00:02.000)",
        ),
        (
            "WEBVTT\n\n00:05.000 --> 00:06.000\nLater\n\n00:01.000 --> 00:02.000\nEarlier\n",
            "line 6: the cue starts at 00:00:01.000, before the cue above it (00:00:05.000); "
            "put the cues in order of time",
        ),
        (
            "WEBVTT\n\n00:01.000 --> 00:02.000 colour:red\nHi\n",
            'line 3: "colour:red" is not a cue setting (they are vertical, line, position, '
            "size, align, region, as name:value)",
        ),
        (
            "WEBVTT\n\n00:01.000 --> 00:02.000 position:150%\nHi\n",
            'line 3: "position:150%" is not a cue setting (they are vertical, line, position, '
            "size, align, region, as name:value)",
        ),
        (
            "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n00:02.000 --> 00:03.000\nNo blank line\n",
            'line 5: cue text cannot contain "-->"; leave a blank line between cues',
        ),
        (
            "WEBVTT\n\nNOTE a comment\nwith --> in it\n\n00:01.000 --> 00:02.000\nHi\n",
            'line 4: a NOTE cannot contain "-->"',
        ),
        (
            "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n\nSTYLE\n::cue { color: red }\n",
            "line 6: a STYLE block must come before the first cue",
        ),
        (
            "WEBVTT\n\nNOTE only a comment\n",
            "line 4: the file has no cue (like 00:00:01.000 --> 00:00:04.000)",
        ),
        (
            "WEBVTT\n\n00:01.000 --> 00:02.000\nA bell \x07 rings\n",
            "line 4: character 8 is an invisible control character (U+0007); remove it",
        ),
    ],
)
def test_a_malformed_file_is_refused_with_the_line_that_is_wrong(file: str, message: str) -> None:
    with pytest.raises(InvalidWebVTT) as refused:
        parse_webvtt(file)
    assert str(refused.value) == message


def test_a_file_that_is_not_utf8_is_refused_with_the_line_of_the_bad_byte() -> None:
    data = "WEBVTT\n\n00:01.000 --> 00:02.000\nCafé\n".encode("latin-1")
    with pytest.raises(InvalidWebVTT) as refused:
        parse_webvtt(data)
    assert str(refused.value) == "line 4: the file is not UTF-8 text (byte 0xE9); save it as UTF-8"


def test_a_file_over_the_limit_is_refused_before_it_is_read() -> None:
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\n" + b"x" * 3000 + b"\n"
    with pytest.raises(WebVTTTooLarge) as refused:
        parse_webvtt(data, max_bytes=2048)
    assert str(refused.value) == "The file is too large (3 KB); the limit is 2 KB."
    assert len(parse_webvtt(data, max_bytes=4096)) == 1

"""CSV cells a spreadsheet will show as text, never run as a formula (DESIGN section 4).

A learner's name such as ``=HYPERLINK("http://evil", "x")`` exported to CSV would be evaluated
by Excel or LibreOffice when the instructor opens the file ("CSV injection", OWASP). Cells
starting with a character that opens a formula get a leading apostrophe, which spreadsheets
treat as "this is text" and do not display.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> str:
    """The cell text for ``value``: ``str(value)``, prefixed with ``'`` if it could be a formula.

    ``None`` becomes an empty cell. Real numbers (int, float) are written as they are: ``-3``
    is a number to a spreadsheet, not a formula, and numeric columns stay sortable. The same
    text given as a string is prefixed, since text is where injected formulas come from.
    """
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """The rows as CSV text (RFC 4180, CRLF line ends), every cell neutralized."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralize(cell) for cell in row])
    return buffer.getvalue()

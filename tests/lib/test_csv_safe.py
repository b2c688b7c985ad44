"""Spreadsheet-formula neutralization of CSV cells."""

from __future__ import annotations

import pytest

from cadenza.lib.csv_safe import csv_text, neutralize


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23 45", "'+33 1 23 45"),
        ("-2", "'-2"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Ada Lovelace", "Ada Lovelace"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (-3, "-3"),
        (12.5, "12.5"),
        (True, "True"),
    ],
)
def test_cells_that_could_start_a_formula_get_an_apostrophe(value: object, cell: str) -> None:
    assert neutralize(value) == cell


def test_csv_text_neutralizes_every_cell_and_quotes_as_needed() -> None:
    text = csv_text([["Name", "Score"], ['=HYPERLINK("x")', 90], ["Smith, Ann", None]])

    assert text == 'Name,Score\r\n"\'=HYPERLINK(""x"")",90\r\n"Smith, Ann",\r\n'

"""Reads every worksheet of an XLSX/XLS/ODS workbook through calamine, cells turned into text as the original did."""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Iterator, Union

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum

from ._failure import ParseFailure
from ._table import RawRow, Sheet

Cell = Union[int, float, str, bool, date, datetime, time, timedelta]


def cell_text(value: Cell) -> str:
    """A float with no fraction is written without decimals (ids typed as numbers); the rest as text."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (date, time)):  # datetime is a date
        return value.isoformat()
    return str(value)


@contextmanager
def open_workbook(path: str | os.PathLike[str]) -> Iterator[Iterator[Sheet]]:
    try:
        workbook = CalamineWorkbook.from_path(os.fspath(path))
    except PasswordError:
        raise ParseFailure("the workbook is password-protected") from None
    except CalamineError as exc:
        raise ParseFailure(f"not a readable spreadsheet ({exc})") from None
    with workbook:
        yield _sheets(workbook)


def _sheets(workbook: CalamineWorkbook) -> Iterator[Sheet]:
    for meta in workbook.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue  # chart and macro sheets hold no rows
        try:
            rows = enumerate(workbook.get_sheet_by_name(meta.name).iter_rows(), start=1)
        except CalamineError as exc:
            raise ParseFailure(f"sheet '{meta.name}' cannot be read ({exc})") from None
        for _, cells in rows:
            header = [cell_text(cell) for cell in cells]
            if any(header):  # calamine yields the empty rows above the data; the header is the first real row
                yield Sheet(meta.name, header, _rows(rows))
                break


def _rows(rows: Iterator[tuple[int, list[Cell]]]) -> Iterator[RawRow]:
    for number, cells in rows:
        yield number, [cell_text(cell) for cell in cells]

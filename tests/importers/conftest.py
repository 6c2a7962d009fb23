"""Factories that write real import files into tmp_path: text in any encoding, XLSX, XLS and ODS workbooks."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence, Union

import pytest

Cell = Union[str, int, float, None]
Sheets = dict[str, Sequence[Sequence[Cell]]]


@pytest.fixture
def write_text(tmp_path: Path) -> Callable[..., Path]:
    def write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path: Path) -> Callable[[str, Sheets], Path]:
    from openpyxl import Workbook

    def write(name: str, sheets: Sheets) -> Path:
        workbook = Workbook()
        workbook.remove(workbook.active)
        for title, rows in sheets.items():
            sheet = workbook.create_sheet(title)
            for row in rows:
                sheet.append(list(row))
        path = tmp_path / name
        workbook.save(path)
        return path

    return write


@pytest.fixture
def write_xls(tmp_path: Path) -> Callable[[str, Sheets], Path]:
    import xlwt

    def write(name: str, sheets: Sheets) -> Path:
        workbook = xlwt.Workbook(encoding="utf-8")
        for title, rows in sheets.items():
            sheet = workbook.add_sheet(title)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if value is not None:
                        sheet.write(r, c, value)
        path = tmp_path / name
        workbook.save(str(path))
        return path

    return write


@pytest.fixture
def write_ods(tmp_path: Path) -> Callable[[str, Sheets], Path]:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    def cell(value: Cell) -> TableCell:
        if value is None:
            return TableCell()
        if isinstance(value, (int, float)):
            element = TableCell(valuetype="float", value=value)
        else:
            element = TableCell(valuetype="string")
        element.addElement(P(text=str(value)))
        return element

    def write(name: str, sheets: Sheets) -> Path:
        document = OpenDocumentSpreadsheet()
        for title, rows in sheets.items():
            table = Table(name=title)
            for row in rows:
                table_row = TableRow()
                for value in row:
                    table_row.addElement(cell(value))
                table.addElement(table_row)
            document.spreadsheet.addElement(table)
        path = tmp_path / name
        document.save(str(path))
        return path

    return write

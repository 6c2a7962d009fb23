"""The child process that reads a workbook with calamine and streams its sheets back as text rows.

calamine is native code: a damaged or hostile workbook can make it panic, or ask for hundreds of GiB (a two-cell
XLSX whose second cell is at XFD1048576 does), and a failed allocation aborts the whole process. So it runs
here, under a memory cap where the OS offers one, and the worst a file can do is end this process.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from multiprocessing.connection import Connection
from typing import Union

Cell = Union[int, float, str, bool, date, datetime, time, timedelta]

ROWS_PER_MESSAGE = 2000

# Messages, child to parent: (SHEET, name, header), (ROWS, [(number, cells), ...]), (END,) or (ERROR, why).
SHEET, ROWS, END, ERROR = "sheet", "rows", "end", "error"


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


def run(path: str, memory_limit: int, conn: Connection) -> None:
    """The child's entry point."""
    _cap_memory(memory_limit)
    try:
        _stream(path, conn)
    except BaseException as exc:  # noqa: BLE001 — a Rust panic arrives as a BaseException; every failure is reported
        conn.send((ERROR, _describe(exc)))
    finally:
        conn.close()


def _cap_memory(limit: int) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass  # Windows has no rlimit, macOS ignores RLIMIT_AS: a huge allocation then still only ends this process


def _stream(path: str, conn: Connection) -> None:
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    with CalamineWorkbook.from_path(path) as workbook:
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue  # chart and macro sheets hold no rows
            rows = enumerate(workbook.get_sheet_by_name(meta.name).iter_rows(), start=1)
            for _, cells in rows:
                header = [cell_text(cell) for cell in cells]
                if any(header):  # calamine yields the empty rows above the data; the header is the first real row
                    conn.send((SHEET, meta.name, header))
                    _send_rows(rows, conn)
                    break
    conn.send((END,))


def _send_rows(rows: "enumerate[list[Cell]]", conn: Connection) -> None:
    batch = []
    for number, cells in rows:
        batch.append((number, [cell_text(cell) for cell in cells]))
        if len(batch) == ROWS_PER_MESSAGE:
            conn.send((ROWS, batch))
            batch = []
    if batch:
        conn.send((ROWS, batch))


def _describe(exc: BaseException) -> str:
    from python_calamine import PasswordError

    if isinstance(exc, PasswordError):
        return "the workbook is password-protected"
    if isinstance(exc, MemoryError):
        return "the workbook needs more memory than an import may use"
    return f"not a readable spreadsheet ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"



"""`parse`: every sheet of a file to import records, with skipped rows counted by reason (`read_records`: the same,
one record at a time)."""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass
from itertools import islice
from typing import Callable, Iterator, Optional, Union

from ..contract import FileFormat, ImportedData, ImportResult, ImportStatistics
from ..errors import ErrorCode, ErrorKind, VdpError
from ._failure import ParseFailure
from ._headers import FieldMapping, HeaderMatcher
from ._limits import DEFAULT_LIMITS, ImportLimits
from ._rows import RowReader
from ._source import open_table
from ._table import SkipReason, Table


def parse(
    path: str | os.PathLike[str],
    *,
    strict: bool = False,
    max_rows: int = 0,
    field_mapping: Optional[FieldMapping] = None,
    limits: ImportLimits = DEFAULT_LIMITS,
) -> ImportResult:
    """Import records from every sheet. A row without a valid http(s) video URL is skipped and counted under
    its reason, or in `strict` mode stops the import. `max_rows` > 0 reads no more data rows than that."""
    records: list[ImportedData] = []
    read = read_records(path, records.append, strict=strict, max_rows=max_rows, field_mapping=field_mapping,
                        limits=limits)
    return ImportResult(imported_data=records, statistics=read.statistics, file_format=read.file_format,
                        encoding=read.encoding)


@dataclass(frozen=True, slots=True)
class SheetRead:
    """What `read_records` saw of a file, beyond the records it handed on."""

    statistics: ImportStatistics
    file_format: FileFormat
    encoding: str


def read_records(
    path: str | os.PathLike[str],
    keep: Callable[[ImportedData], None],
    *,
    strict: bool = False,
    max_rows: int = 0,
    field_mapping: Optional[FieldMapping] = None,
    limits: ImportLimits = DEFAULT_LIMITS,
) -> SheetRead:
    """`parse`, handing each record to `keep` as soon as it is read instead of collecting them: a re-import drops
    the rows it already knows one by one (docs/benchmarks.md, "Import: 200,000 rows")."""
    started = time.perf_counter()
    matcher = HeaderMatcher(field_mapping)
    parsed = 0
    skipped: Counter[str] = Counter()
    try:
        with open_table(path, limits, strict=strict) as table:
            outcomes = islice(_outcomes(table, matcher, limits), max_rows or None)
            for place, number, outcome in outcomes:
                if isinstance(outcome, ImportedData):
                    parsed += 1
                    keep(outcome)
                elif strict and outcome is not SkipReason.EMPTY_ROW:
                    raise ParseFailure(f"{place} {number}: {outcome.description}")
                else:
                    skipped[outcome.value] += 1
    except ParseFailure as exc:
        raise VdpError(ErrorCode.PARSE_ERROR, f"File parsing failed: {exc}", kind=ErrorKind.PARSE) from None
    statistics = ImportStatistics(
        total_rows=parsed + skipped.total(),
        parsed_rows=parsed,
        skipped_rows=skipped.total(),
        parse_time_ms=round((time.perf_counter() - started) * 1000),
        file_size=table.file_size,
        skip_reasons=dict(skipped),
    )
    return SheetRead(statistics, table.format, table.encoding)


def _outcomes(
    table: Table, matcher: HeaderMatcher, limits: ImportLimits
) -> Iterator[tuple[str, int, Union[ImportedData, SkipReason]]]:
    """(where the row is, for messages: place and number; its record or skip reason) for every data row."""
    for sheet in table.sheets:
        reader = RowReader(sheet.header, matcher, sheet.name, limits.max_cell_chars)
        place = f"sheet '{sheet.name}', row" if sheet.name is not None else "line"
        for number, cells in sheet.rows:
            yield place, number, reader.read(cells)
